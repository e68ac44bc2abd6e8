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
 */
export function extractCodeSql(textExpr: string): string {
  // (?s): '.' crosses lines. The info string runs to the end of the fence's line; the body stops
  // at the closing fence on a line of its own, or at the end of the text.
  const block = `regexp_extract(${textExpr}, '(?s)${FENCE}[^\\n]*\\n(.*?)(?:\\n?[ \\t]*${FENCE}|$)', 1)`
  return `(CASE WHEN ${fenceCountSql(textExpr)} = 0 THEN ${textExpr} ELSE ${block} END)`
}
