/**
 * What a reload keeps: the open dataset's path, remembered in this window's session storage, so
 * that reloading (the crash screen's Reload, or View > Reload) reopens it on the desktop. The
 * dataset's flags and chosen roles come back with it, since they are loaded whenever it opens.
 *
 * The browser build cannot reopen a file after a reload (a page never keeps access to a file the
 * person picked), so there the person chooses it again; the crash screen says so.
 */
import { useEffect } from 'react'
import type { Host } from '../../shared/host'
import type { AppStore } from './store'

/** The session storage key holding the open dataset's path. */
export const OPEN_PATH_KEY = 'rewardlens.session.openPath'

/** The path of the dataset open before the page was reloaded, or null. */
export function rememberedOpenPath(): string | null {
  try {
    return sessionStorage.getItem(OPEN_PATH_KEY)
  } catch {
    return null
  }
}

/** Remembers the open dataset's path for a reload; null forgets it (the dataset was closed). */
export function rememberOpenPath(path: string | null): void {
  try {
    if (path === null) sessionStorage.removeItem(OPEN_PATH_KEY)
    else sessionStorage.setItem(OPEN_PATH_KEY, path)
  } catch {
    // Storage refused (private mode, quota): a reload then starts on the start screen.
  }
}

/** Reopening happens once per page load, not again when React remounts the app. */
let reopenAttempted = false

/**
 * Keeps the remembered path in step with the open dataset and, on the desktop, reopens the dataset
 * that was open before the page was reloaded.
 */
export function useSessionReopen(host: Host, store: AppStore): void {
  useEffect(() => {
    let previous = store.getState().dataset
    return store.subscribe(() => {
      const { dataset } = store.getState()
      if (dataset === previous) return
      // A dataset replaced or closed; the start screen of a fresh page load forgets nothing.
      rememberOpenPath(dataset ? dataset.source.path : null)
      previous = dataset
    })
  }, [store])

  useEffect(() => {
    if (reopenAttempted) return
    reopenAttempted = true
    const path = rememberedOpenPath()
    if (host.kind !== 'desktop' || path === null) return
    host.openRecent(path).then(
      (source) => store.open(source),
      (error: unknown) => {
        // The file is gone, or it was one Open Recent cannot reopen (the demo, several dropped files).
        console.warn(`RewardLens: cannot reopen ${path} after the reload: ${String(error)}`)
        rememberOpenPath(null)
      },
    )
  }, [host, store])
}
