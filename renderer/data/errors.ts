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

/** Candidate names DuckDB suggests that a message repeats: more reads as noise. */
const SHOWN_CANDIDATES = 3

/** A list of names as a person says it: `a`, `a or b`, `a, b or c`. */
function orList(names: readonly string[]): string {
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
}

/**
 * Why a SQL condition typed into the filter cannot run, in words. DuckDB's report names the
 * statement the app wrapped the condition in (its own view names, a caret under it), which means
 * nothing to the person who typed it: a missing column becomes "no column named x; did you mean
 * y?" from DuckDB's own candidate list, and anything else loses its error class and that quote.
 */
export function conditionErrorMessage(error: unknown): string {
  const text = errorMessage(error)
  const column = /Referenced column "([^"]+)" not found/.exec(text)
  if (column) {
    const listed = /Candidate bindings: ([^\n]+)/.exec(text)?.[1] ?? ''
    const candidates = [...listed.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '')
    const names = candidates.slice(0, SHOWN_CANDIDATES)
    const hint = names.length > 0 ? `; did you mean ${orList(names)}?` : '.'
    return `No column named ${column[1]}${hint}`
  }
  const table = /Referenced table "([^"]+)" not found/.exec(text)
  if (table) return `No table named ${table[1]}: a condition reads the columns of the open file.`
  const [first = text] = text.split(/\n\s*LINE \d+:/)
  const message = first.replace(/^[A-Z][\w ]* Error: /, '').trim()
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}`
}
