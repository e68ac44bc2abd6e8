/**
 * How a rule reads the parse facts of a unit's answer: the key the facts are stored under,
 * computed over the units view like the parse run computes it, and a join adding each fact as a
 * column `<side>_<fact>` (`a_error_line`, `b_code_key`).
 */
import { factKeySql, testsTextSql } from '../../parse/facts'
import { UNIT_COLUMNS as U } from '../../profile/units'
import type { QaContext } from '../context'

/** The facts a rule can read, as columns of the parse table. */
const FACTS = [
  'grammar',
  'error_line',
  'error_column',
  'error_text',
  'error_at_end',
  'stub_line',
  'stub_text',
  'hack_line',
  'hack_kind',
  'hack_text',
  'other_language',
  'code_key',
] as const

/** The value holding the key of a side's facts, by the side's key. */
export const factKeyName = (side: 'a' | 'b') => `${side}_pk`

/** The values a rule reads a side's facts by: the key of its answer's facts. */
export function factKeyValues(
  ctx: QaContext,
  side: 'a' | 'b',
  raw: string,
): Record<string, string> {
  const tests = testsTextSql(ctx.fields, ctx.profile, U.tests)
  return { [factKeyName(side)]: factKeySql(U.language, raw, tests) }
}

/** The values table with the facts of the given sides joined, each as `<side>_<fact>`. */
export function withFacts(from: string, parse: string, sides: readonly ('a' | 'b')[]): string {
  const columns = sides.flatMap((side) => FACTS.map((f) => `${side}_f.${f} AS ${side}_${f}`))
  const joins = sides.map(
    (side) => `LEFT JOIN ${parse} ${side}_f ON ${side}_f.k = v.${factKeyName(side)}`,
  )
  return `(SELECT v.*, ${columns.join(', ')} FROM ${from} v ${joins.join(' ')})`
}

/** SQL: a fact's place as a reason shows it, `line 12, column 5: "text"`. */
export function placeSql(side: 'a' | 'b', fact: 'error' | 'stub' | 'hack'): string {
  const column = fact === 'error' ? `', column ', ${side}_error_column, ` : ''
  return `concat('line ', ${side}_${fact}_line, ${column}': "', ${side}_${fact}_text, '"')`
}
