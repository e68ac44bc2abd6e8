/** Messages between the highlighter and its worker. */

/** One token: its text, its colour (`#rrggbb`, or empty for the theme's default) and shiki's font style bits. */
export type Token = readonly [content: string, color: string, fontStyle: number]

/**
 * Tokenise `code` with a grammar and theme, forget a request whose answer is no longer wanted, or
 * load grammars ahead of use.
 */
export type HighlightRequest =
  | {
      readonly id: number
      readonly code: string
      /** A shiki grammar id (grammars.ts). */
      readonly grammar: string
      readonly theme: string
    }
  | { readonly id: number; readonly cancel: true }
  /** Load these grammars (and the theme) now, ahead of the first request for them. */
  | { readonly warm: readonly string[]; readonly theme: string }

/**
 * The tokens of the code's lines, or why there are none. Code longer than `FIRST_LINES` lines gets
 * two answers: its first lines (`partial`), so the top of a long diff gets its colours at once,
 * then every line.
 */
export type HighlightResponse =
  | { readonly id: number; readonly lines: Token[][]; readonly partial?: true }
  | { readonly id: number; readonly error: string }

/** Lines tokenised first, ahead of every request’s remaining lines: a screen of a diff and more. */
export const FIRST_LINES = 48
