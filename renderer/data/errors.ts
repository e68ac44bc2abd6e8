/** Errors in words for the person using the app. */

/**
 * An error's message. DuckDB's out-of-memory report (a paragraph of advice for people writing
 * SQL) becomes one sentence on what happened and what to do.
 */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  if (!/^Out of Memory Error/i.test(text)) return text
  const used = /\(([\d.]+ \w+B)\/([\d.]+ \w+B) used\)/.exec(text)
  const figures = used ? ` (${used[1]} of ${used[2]} in use)` : ''
  return `the engine ran out of memory${figures}. Open a smaller part of the data, or use the desktop app, whose engine can also use the disk when memory runs out`
}
