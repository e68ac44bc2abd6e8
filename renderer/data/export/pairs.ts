/**
 * Preference pairs `{prompt, chosen, rejected, metadata}` (the layout of the vizhub RLHF export)
 * from any profile with two code sides and a score for each: the higher-scored side is chosen,
 * ties are skipped, and so are pairs closer than a minimum gap.
 */
import type { Profile } from '../../../shared/profile'
import type { SqlParam } from '../engine'
import { UNIT_COLUMNS as U, scoreColumn } from '../profile/units'
import { quoteIdent } from '../../../shared/sql'
import type { Sql } from '../sql'
import type { Row } from '../values'

/** Scores closer than this are equal: a tie, whatever rounding made them differ. */
const TIE = 1e-12

/** Why a profile cannot make pairs, or null when it can. */
export function pairsUnavailable(profile: Profile | null): string | null {
  if (!profile) return 'The roles are still being worked out.'
  if (!profile.codeA || !profile.codeB) return 'Pairs need two code roles (A and B).'
  if (profile.codeB.fromGroup) {
    if (!profile.unnest || profile.scores.length < 1) {
      return 'Pairs need a score for each side: B is taken from another unit, which needs the units of a list and a score.'
    }
    return null
  }
  if (profile.scores.length < 2) {
    return `Pairs need a score for each side: the first score goes with ${profile.codeA.label}, the second with ${profile.codeB.label}.`
  }
  return null
}

/** The SQL pieces of a pairs export over the units the filter shows. */
export interface PairsSql {
  /** FROM ... with the filter applied, aliasing the unit `u` (and B's unit `b` when joined). */
  readonly from: string
  readonly params: readonly SqlParam[]
  /** Side A's score, side B's score. */
  readonly scoreA: string
  readonly scoreB: string
  /** True when the unit has both texts and both scores. */
  readonly complete: string
  /** The columns one pair is built from. */
  readonly select: string
}

/** The SQL of the pairs of a profile's units (the units view `view`) under a filter's WHERE. */
export function pairsSql(profile: Profile, view: string, where: Sql): PairsSql {
  const joined = profile.codeB?.fromGroup !== undefined
  const v = quoteIdent(view)
  const from = joined
    ? `(SELECT * FROM ${v} WHERE ${where.text}) u LEFT JOIN ${v} b ON b.${U.row} = u.${U.row} AND b.${U.item} = u.${U.codeBItem}`
    : `(SELECT * FROM ${v} WHERE ${where.text}) u`
  const scoreA = `u.${scoreColumn(0)}`
  const scoreB = joined ? `b.${scoreColumn(0)}` : `u.${scoreColumn(1)}`
  const modelB = joined ? `b.${U.model}` : 'NULL::VARCHAR'
  const complete = `(u.${U.codeARaw} IS NOT NULL AND u.${U.codeBRaw} IS NOT NULL AND ${scoreA} IS NOT NULL AND ${scoreB} IS NOT NULL)`
  const select = [
    `u.${U.row} AS unit_row`,
    `u.${U.item} AS unit_item`,
    `u.${U.prompt} AS prompt`,
    `u.${U.codeARaw} AS code_a`,
    `u.${U.codeBRaw} AS code_b`,
    `${scoreA} AS score_a`,
    `${scoreB} AS score_b`,
    `u.${U.model} AS model_a`,
    `${modelB} AS model_b`,
    `u.${U.language} AS language`,
    `u.${U.group} AS grp`,
  ].join(', ')
  return { from, params: where.params, scoreA, scoreB, complete, select }
}

/** The condition a unit must meet to become a pair: complete, not a tie, at least `gap` apart. */
export function pairCondition(sql: PairsSql, gap: number): string {
  const diff = `abs(${sql.scoreA} - ${sql.scoreB})`
  // A gap typed as 0.1 must keep 0.95 against 0.85, whose difference is 0.09999999999999998.
  return `${sql.complete} AND ${diff} > ${TIE} AND ${diff} >= ${Math.max(0, gap) - 1e-9}`
}

/** The SQL counting what a pairs export keeps and skips; binds `params` only. */
export function pairCountsSql(sql: PairsSql, gap: number): string {
  const diff = `abs(${sql.scoreA} - ${sql.scoreB})`
  return `SELECT count(*) AS units,
    count(*) FILTER (WHERE NOT ${sql.complete}) AS incomplete,
    count(*) FILTER (WHERE ${sql.complete} AND ${diff} <= ${TIE}) AS ties,
    count(*) FILTER (WHERE ${sql.complete} AND ${diff} > ${TIE} AND ${diff} < ${Math.max(0, gap) - 1e-9}) AS below_gap
    FROM ${sql.from}`
}

/** What the pairs record of the source names. */
export interface PairContext {
  readonly source: string
  readonly labelA: string
  readonly labelB: string
  readonly unnested: boolean
  readonly generatedAt: string
}

const str = (value: unknown) => (typeof value === 'string' ? value : null)
const rounded = (x: number) => Number(x.toPrecision(12))

/** One pair as a JSON line: the higher-scored side is `chosen`. */
export function pairLine(row: Row, context: PairContext): string {
  const scoreA = Number(row.score_a)
  const scoreB = Number(row.score_b)
  const aWins = scoreA > scoreB
  const chosen = aWins ? 'a' : 'b'
  const rejected = aWins ? 'b' : 'a'
  const label = { a: context.labelA, b: context.labelB }
  const score = { a: scoreA, b: scoreB }
  const model = { a: str(row.model_a), b: str(row.model_b) }
  const text = { a: str(row.code_a), b: str(row.code_b) }
  const pair = {
    prompt: str(row.prompt),
    chosen: text[chosen],
    rejected: text[rejected],
    metadata: {
      source: context.source,
      row: Number(row.unit_row),
      ...(context.unnested ? { item: Number(row.unit_item) } : {}),
      group: str(row.grp),
      language: str(row.language),
      chosen_side: label[chosen],
      rejected_side: label[rejected],
      chosen_model: model[chosen],
      rejected_model: model[rejected],
      chosen_score: score[chosen],
      rejected_score: score[rejected],
      score_difference: rounded(score[chosen] - score[rejected]),
      generated_at: context.generatedAt,
    },
  }
  return `${JSON.stringify(pair)}\n`
}
