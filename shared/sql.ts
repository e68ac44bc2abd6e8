/**
 * Small pure builders of SQL text. Every identifier goes through `quoteIdent`; user values go
 * through prepared-statement parameters, except where DuckDB needs a literal (file names).
 */

/** Quotes an identifier for DuckDB: `a"b.c` becomes `"a""b.c"`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Quotes a string literal: `it's` becomes `'it''s'`. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
