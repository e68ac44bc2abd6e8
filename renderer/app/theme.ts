/**
 * Light or dark: the system's by default, or the person's choice, remembered in local storage.
 * The chosen theme is written to `<html data-theme>`, which the stylesheet reads.
 */
import { useEffect, useState } from 'react'

/** What the person chose. */
export type ThemeChoice = 'system' | 'light' | 'dark'

const KEY = 'rewardlens.theme'
const DARK_QUERY = '(prefers-color-scheme: dark)'

/** The choice saved earlier, or `system`. */
export function savedTheme(): ThemeChoice {
  const saved = localStorage.getItem(KEY)
  return saved === 'light' || saved === 'dark' ? saved : 'system'
}

/** Writes the theme a choice means right now to the document. */
export function applyTheme(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'system' && window.matchMedia(DARK_QUERY).matches)
  document.documentElement.dataset.theme = dark ? 'dark' : 'light'
}

/** The theme choice, applied and saved; `system` follows the OS as it changes. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(savedTheme)
  useEffect(() => {
    applyTheme(choice)
    if (choice === 'system') localStorage.removeItem(KEY)
    else localStorage.setItem(KEY, choice)
    if (choice !== 'system') return
    const media = window.matchMedia(DARK_QUERY)
    const follow = () => applyTheme('system')
    media.addEventListener('change', follow)
    return () => media.removeEventListener('change', follow)
  }, [choice])
  return [choice, setChoice]
}
