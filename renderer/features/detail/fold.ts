/**
 * How long text folds in the detail pane: the first lines or characters, then "Show all". The cell
 * viewer, which exists to show one value whole, never folds.
 */
import { createContext } from 'react'

/** Lines of a long text shown before "Show all". */
export const FOLD_LINES = 14
/** Characters of a long text shown before "Show all", when its lines are long. */
const FOLD_CHARS = 1200

/** Whether long text starts folded; the cell viewer, which exists to show one value whole, says no. */
export const FoldLongText = createContext(true)

/** The start of a long text to show folded, or null when the text is short enough to show whole. */
export function foldedText(text: string): string | null {
  let end = -1
  for (let line = 0; line < FOLD_LINES; line++) {
    end = text.indexOf('\n', end + 1)
    if (end < 0) break
  }
  const byLines = end < 0 ? text : text.slice(0, end)
  const folded = byLines.length > FOLD_CHARS ? byLines.slice(0, FOLD_CHARS) : byLines
  return folded.length < text.length ? folded : null
}
