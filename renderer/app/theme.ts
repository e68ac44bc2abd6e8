/**
 * Light or dark: the system's by default, or the person's choice, remembered by the Host (the
 * desktop's settings file; local storage in the browser build).
 * The chosen theme is written to `<html data-theme>`, which the stylesheet reads.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Host, ThemeChoice } from '../../shared/host'

export type { ThemeChoice } from '../../shared/host'

const DARK_QUERY = '(prefers-color-scheme: dark)'

/** The choice each Host had saved, once it has answered; read synchronously by the first render. */
const loadedChoices = new WeakMap<Pick<Host, 'loadTheme'>, ThemeChoice>()
const loadingChoices = new WeakMap<Pick<Host, 'loadTheme'>, Promise<ThemeChoice>>()

/** Writes the theme a choice means right now to the document. */
export function applyTheme(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'system' && window.matchMedia(DARK_QUERY).matches)
  document.documentElement.dataset.theme = dark ? 'dark' : 'light'
}

/**
 * The choice saved earlier (`system` when there is none or the Host cannot say), asked once per Host.
 *
 * Call it before the first render: the browser Host answers from local storage within the same
 * task, so the saved theme is applied before the first paint; the desktop answers over IPC a few
 * milliseconds later, and until then the system's theme is shown.
 */
export function loadSavedTheme(host: Pick<Host, 'loadTheme'>): Promise<ThemeChoice> {
  let loading = loadingChoices.get(host)
  if (!loading) {
    loading = host.loadTheme().then(
      (choice) => {
        loadedChoices.set(host, choice)
        return choice
      },
      () => 'system' as const,
    )
    loadingChoices.set(host, loading)
  }
  return loading
}

/** The theme choice, applied and saved through the Host; `system` follows the OS as it changes. */
export function useTheme(
  host: Pick<Host, 'loadTheme' | 'saveTheme'>,
): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(() => loadedChoices.get(host) ?? 'system')
  // A choice made before the saved one arrived wins over it (main.tsx applies the saved one first).
  const chosen = useRef<ThemeChoice | null>(null)

  useEffect(() => {
    let live = true
    void loadSavedTheme(host).then((saved) => {
      if (!live) return
      if (chosen.current === null) setChoice(saved)
      else applyTheme(chosen.current)
    })
    return () => {
      live = false
    }
  }, [host])

  useEffect(() => {
    applyTheme(choice)
    if (choice !== 'system') return
    const media = window.matchMedia(DARK_QUERY)
    const follow = () => applyTheme('system')
    media.addEventListener('change', follow)
    return () => media.removeEventListener('change', follow)
  }, [choice])

  const choose = useCallback(
    (next: ThemeChoice) => {
      chosen.current = next
      setChoice(next)
      // Only a choice the person made is saved, never the guess shown before the saved one loads.
      host.saveTheme(next).catch((error: unknown) => {
        console.warn(`RewardLens: cannot save the theme: ${String(error)}`)
      })
    },
    [host],
  )
  return [choice, choose]
}
