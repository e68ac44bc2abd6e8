/** Messages between the highlighter and its worker. */

/** One token: its text, its colour (`#rrggbb`, or empty for the theme's default) and shiki's font style bits. */
export type Token = readonly [content: string, color: string, fontStyle: number]

/** Tokenise `code` with a grammar and theme. */
export interface HighlightRequest {
  readonly id: number
  readonly code: string
  /** A shiki grammar id (grammars.ts). */
  readonly grammar: string
  readonly theme: string
}

/** The tokens of each line of the code, or why there are none. */
export type HighlightResponse =
  | { readonly id: number; readonly lines: Token[][] }
  | { readonly id: number; readonly error: string }
