/**
 * Code inside answers: most answers are markdown with the code in a fence, and answers cut off by a
 * token limit leave the fence open. These SQL builders give the engine, for any text column, the
 * code to compare and whether a fence was left open; the raw text stays available beside them.
 */

const FENCE = '```'

/** SQL counting the code fences (```) in a text. */
export function fenceCountSql(textExpr: string): string {
  return `((length(${textExpr}) - length(replace(${textExpr}, '${FENCE}', ''))) // 3)`
}

/** SQL: true when the text opens a fence it never closes (an odd number of fences). */
export function fenceOpenSql(textExpr: string): string {
  return `(${fenceCountSql(textExpr)} % 2 = 1)`
}

/**
 * SQL for the code of a text: the body of its first fenced block (to the end of the text when the
 * fence is never closed), or the whole text when it has no fence (bare code).
 *
 * Plain string positions rather than one regular expression: a lazy multi-line pattern runs at a
 * few MB/s in DuckDB-WASM, `strpos` at memory speed.
 */
export function extractCodeSql(textExpr: string): string {
  const start = `strpos(${textExpr}, '${FENCE}')`
  // The text after the opening backticks, then after the rest of the fence's line (its info string).
  const afterFence = `substr(${textExpr}, ${start} + 3)`
  const lineEnd = `strpos(${afterFence}, chr(10))`
  const body = `substr(${afterFence}, ${lineEnd} + 1)`
  const close = `strpos(${body}, '${FENCE}')`
  const block = `rtrim(CASE WHEN ${close} = 0 THEN ${body} ELSE left(${body}, ${close} - 1) END, ' ' || chr(9) || chr(13) || chr(10))`
  return `(CASE WHEN ${start} = 0 THEN ${textExpr} WHEN ${lineEnd} = 0 THEN '' ELSE ${block} END)`
}
