/**
 * Tokenising code a slice of lines at a time (the highlight worker's steps): each slice continues
 * from the grammar's state after the one before, so a string or comment that spans a slice's end
 * keeps its colour, and the result is the same as tokenising the whole code at once.
 */
import type { GrammarState, HighlighterCore } from 'shiki/core'
import { FIRST_LINES, type Token } from './highlightProtocol'

/** Lines tokenised per step after the first ones: a few tens of milliseconds of work. */
export const SLICE_LINES = 200

/** Lines longer than this are not tokenised. */
const MAX_LINE_LENGTH = 2000

/** The end of the next slice, after `done` of `total` lines: a screen first, then `SLICE_LINES`. */
export function sliceEnd(done: number, total: number): number {
  return Math.min(total, done + (done === 0 ? FIRST_LINES : SLICE_LINES))
}

/** Tokens of some lines, from the grammar's state after the lines before them (none: the start). */
export function tokenizeLines(
  highlighter: HighlighterCore,
  grammar: string,
  theme: string,
  lines: readonly string[],
  state: GrammarState | undefined,
): { tokens: Token[][]; state: GrammarState | undefined } {
  const result = highlighter.codeToTokens(lines.join('\n'), {
    lang: grammar,
    theme,
    grammarState: state,
    // A longer line (minified code, a 44k-character trace) is left plain rather than stall.
    tokenizeMaxLineLength: MAX_LINE_LENGTH,
  })
  return {
    tokens: result.tokens.map((line) =>
      line.map((t) => [t.content, t.color ?? '', t.fontStyle ?? 0] as Token),
    ),
    state: result.grammarState,
  }
}
