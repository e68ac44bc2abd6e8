/**
 * The window's title and where it reopens: small decisions kept out of index.ts so they can be tested.
 */
import type { WindowBounds } from './settings'

/** The product name, as the title bar and dialogs show it. */
export const APP_NAME = 'RewardLens'

/** The size of the first window, before the user chooses one. */
export const DEFAULT_WINDOW_SIZE = { width: 1400, height: 900 } as const

/** Below this the workspace's panes no longer fit side by side. */
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const

/** "RewardLens" with no dataset open, "<dataset> — RewardLens" with one. */
export function windowTitle(datasetName: string | null): string {
  return datasetName ? `${datasetName} — ${APP_NAME}` : APP_NAME
}

/** A rectangle on the desktop, as Electron's screen module reports work areas. */
export interface Rectangle {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/**
 * The saved bounds if enough of the window would still be on a screen, else null.
 *
 * A monitor unplugged since the last run would otherwise reopen the window where nobody can see it.
 */
export function restorableBounds(
  saved: WindowBounds | null,
  workAreas: readonly Rectangle[],
  minVisible = 100,
): WindowBounds | null {
  if (!saved) return null
  const width = Math.max(saved.width, MIN_WINDOW_SIZE.width)
  const height = Math.max(saved.height, MIN_WINDOW_SIZE.height)
  const visible = workAreas.some((area) => {
    const overlapX = Math.min(saved.x + width, area.x + area.width) - Math.max(saved.x, area.x)
    const overlapY = Math.min(saved.y + height, area.y + area.height) - Math.max(saved.y, area.y)
    return overlapX >= minVisible && overlapY >= minVisible
  })
  return visible ? { ...saved, width, height } : null
}
