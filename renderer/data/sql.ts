/**
 * Queries as values: a `sql` tagged template whose interpolations carry their parameters in order.
 *
 * - a fragment (`Sql`) brings its text and its parameters;
 * - `ident(name)` is an identifier, quoted;
 * - `raw(text)` is SQL text the app wrote itself (a role column, an expression built from quoted
 *   identifiers), inserted as it is;
 * - any other value (a string, number, boolean or null) becomes `?` and a parameter.
 *
 * A query is then data: tests read its text and parameters without an engine, and views key on it.
 */
import { quoteIdent } from '../../shared/sql'
import type { Engine, Priority, QueryResult, SqlParam } from './engine'

/** A piece of SQL with the parameters its `?` placeholders bind, in order. */
export interface Sql {
  readonly text: string
  readonly params: readonly SqlParam[]
}

/** SQL text inserted as it is, never as a parameter. */
class RawText {
  constructor(readonly text: string) {}
}

/** What may stand in a `${…}` of the `sql` tag. */
export type SqlValue = Sql | RawText | SqlParam

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && 'text' in value && 'params' in value
}

/** Builds a query from a template; see the module's comment for what each interpolation becomes. */
export function sql(strings: TemplateStringsArray, ...values: readonly SqlValue[]): Sql {
  let text = strings[0] ?? ''
  const params: SqlParam[] = []
  values.forEach((value, i) => {
    if (value instanceof RawText) text += value.text
    else if (isSql(value)) {
      text += value.text
      params.push(...value.params)
    } else {
      text += '?'
      params.push(value)
    }
    text += strings[i + 1] ?? ''
  })
  return { text, params }
}

/** SQL text the app wrote itself, inserted as it is (never a person's input: that is a value). */
export function raw(text: string): RawText {
  return new RawText(text)
}

/** An identifier (a table, view or column name), quoted. */
export function ident(name: string): RawText {
  return new RawText(quoteIdent(name))
}

/** Joins fragments with a separator (`, ` by default), keeping their parameters in order. */
export function join(parts: readonly SqlValue[], separator = ', '): Sql {
  return parts.reduce<Sql>(
    (joined, part, i) => (i === 0 ? sql`${part}` : sql`${joined}${raw(separator)}${part}`),
    EMPTY,
  )
}

/** Values as a parenthesised list of parameters: `(?, ?, ?)`. */
export function list(values: readonly SqlParam[]): Sql {
  return sql`(${join(values)})`
}

/** The empty fragment. */
export const EMPTY: Sql = { text: '', params: [] }

/** The condition that keeps every row. */
export const TRUE: Sql = { text: 'true', params: [] }

/** Runs a query value on an engine. */
export function runSql(engine: Engine, query: Sql, priority?: Priority): Promise<QueryResult> {
  return engine.query(query.text, [...query.params], priority)
}

/** The key naming what queries ask: their text and parameters. */
export function sqlKey(...queries: readonly Sql[]): string {
  return JSON.stringify(queries.map((q) => [q.text, q.params]))
}

/**
 * A read of the engine as a value: what it asks (`key`, the text and parameters of its queries)
 * and how to get the answer. Views run reads through `useEngineQuery`, which keys on `key`.
 */
export interface EngineRead<T> {
  readonly key: string
  readonly run: (engine: Engine) => Promise<T>
}

/** A read of one query, its rows turned into an answer by `parse`. */
export function readQuery<T>(
  query: Sql,
  parse: (rows: QueryResult['rows']) => T,
  priority?: Priority,
): EngineRead<T> {
  return {
    key: sqlKey(query),
    run: async (engine) => parse((await runSql(engine, query, priority)).rows),
  }
}
