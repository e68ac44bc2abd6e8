/**
 * How the workspace divides the window's width: the filter panel, the table and the detail pane.
 * Widths follow the window: the detail's width is remembered as its share of the room beside the
 * filter panel, and the table always keeps a usable width.
 */

/** The splitter between the table and the detail pane. */
export const SPLITTER_WIDTH = 5
/** The table never gets narrower than this while the window has room for it. */
export const MIN_TABLE = 320
/** The detail never gets narrower than this while the window has room for it. */
export const MIN_DETAIL = 280
/**
 * The detail's first share of the room beside the filter panel: at 1440 px it shows about 42
 * characters of each side of a split diff and leaves the table about 450 px. It is the same with
 * or without a selected row, so a click on a row never moves the table under the pointer.
 */
export const DEFAULT_DETAIL_SHARE = 0.62

/** The filter panel's width: 260 px on a wide window, down to 200 px on a small one. */
export function filterPanelWidth(windowWidth: number): number {
  return Math.round(Math.max(200, Math.min(260, windowWidth * 0.18)))
}

/** The room the table and the detail share. */
export function splitRoom(windowWidth: number): number {
  return windowWidth - filterPanelWidth(windowWidth) - SPLITTER_WIDTH
}

/** The detail pane's width in pixels for a window and a remembered share. */
export function detailPaneWidth(options: {
  readonly windowWidth: number
  readonly share: number
  /** Widened: the detail takes all but the table's minimum. */
  readonly wide: boolean
}): number {
  const room = splitRoom(options.windowWidth)
  const upper = Math.max(room - MIN_TABLE, Math.min(MIN_DETAIL, room / 2))
  const lower = Math.min(MIN_DETAIL, upper)
  const wanted = options.wide ? upper : options.share * room
  return Math.round(Math.max(lower, Math.min(upper, wanted)))
}

/** The share a detail width dragged to stands for, in a window of this width. */
export function detailShare(width: number, windowWidth: number): number {
  return Math.max(0, Math.min(1, width / splitRoom(windowWidth)))
}
