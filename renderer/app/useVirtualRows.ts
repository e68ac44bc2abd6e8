/**
 * Virtualisation of a scrolled list of fixed-height rows (the table, the diff): which rows are on
 * screen, so only those are drawn, absolutely positioned at `index * rowHeight` in a spacer as tall
 * as all rows.
 *
 * Why not @tanstack/react-virtual (issue #24): with every row the same height its work is the two
 * divisions below, and `useVirtualizer` trips react-hooks' `incompatible-library` rule (its return
 * value cannot be memoised safely), which the lint's `--max-warnings 0` refuses.
 */
import { type RefObject, type UIEvent, useEffect, useState } from 'react'

/** What part of the list to draw. */
export interface VirtualRows {
  /** Takes the scroll events of the scrolling element, or of a pane scrolled in step with it. */
  readonly onScroll: (event: UIEvent<HTMLElement>) => void
  /** The first row to draw: the first on screen, less the overscan. */
  readonly first: number
  /** The last row to draw (inclusive); below `first` when there are no rows. */
  readonly last: number
  /** The scrolling element's visible height in pixels. */
  readonly viewportHeight: number
}

/**
 * The rows on screen in the scrolling element `scroller` (whose size is watched): `count` rows
 * `rowHeight` pixels tall, and `overscan` more each side.
 */
export function useVirtualRows(
  scroller: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan: number,
): VirtualRows {
  // Until the element is measured, a guess as tall as a typical window's list.
  const [viewport, setViewport] = useState({ top: 0, height: 600 })

  useEffect(() => {
    const el = scroller.current
    if (!el) return
    const observer = new ResizeObserver(() =>
      setViewport({ top: el.scrollTop, height: el.clientHeight }),
    )
    observer.observe(el)
    return () => observer.disconnect()
  }, [scroller])

  return {
    onScroll: (event) =>
      setViewport({ top: event.currentTarget.scrollTop, height: event.currentTarget.clientHeight }),
    first: Math.max(0, Math.floor(viewport.top / rowHeight) - overscan),
    last: Math.min(count - 1, Math.ceil((viewport.top + viewport.height) / rowHeight) + overscan),
    viewportHeight: viewport.height,
  }
}
