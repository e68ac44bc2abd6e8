/**
 * The reads of a comparison: how many units of each kind the facet offers, the change per
 * language, the units only in B, and the pair of an A row. Each is a query value and its parser.
 */
import { type Filter, compareClause, filterUnits } from '../filter'
import { UNIT_COLUMNS as U, unitKeySql } from '../profile/units'
import type { Relations } from '../relations'
import { type Sql, ident, raw, sql } from '../sql'
import { type Row, valueText } from '../values'

/** How many of A's units (under the rest of the filter) each choice of the facet keeps. */
export interface CompareFacetCounts {
  readonly both: number
  readonly aOnly: number
  readonly changed: number
  readonly flipped: number
}

/** The facet's counts over A's units, every other part of the filter applied. */
export function compareFacetQuery(relations: Relations, filter: Filter, threshold: number): Sql {
  const { from, where } = filterUnits(relations, filter, 'compare')
  const flipped = compareClause({ show: 'flipped', threshold })
  return sql`SELECT count(*) FILTER (WHERE ${raw(U.compareSide)} = 'both') AS both,
      count(*) FILTER (WHERE ${raw(U.compareSide)} = 'a') AS a_only,
      count(*) FILTER (WHERE ${raw(U.compareChanged)}) AS changed,
      count(*) FILTER (WHERE ${flipped}) AS flipped
    FROM ${raw(from)} WHERE ${where}`
}

export function parseCompareFacet(rows: readonly Row[]): CompareFacetCounts {
  const r = rows[0] ?? {}
  return {
    both: Number(r.both ?? 0),
    aOnly: Number(r.a_only ?? 0),
    changed: Number(r.changed ?? 0),
    flipped: Number(r.flipped ?? 0),
  }
}

/** The change of one language's joined units. */
export interface LanguageChange {
  readonly language: string
  readonly pairs: number
  readonly meanA: number | null
  readonly meanB: number | null
  readonly meanDelta: number | null
  readonly changed: number
  /** Pass in A, fail in B (by the threshold). */
  readonly down: number
  /** Fail in A, pass in B. */
  readonly up: number
}

/** The change per language over the joined units the filter shows. */
export function languageChangeQuery(relations: Relations, filter: Filter, threshold: number): Sql {
  const { from, where } = filterUnits(relations, filter)
  const [a, b] = [raw(U.reward), raw(U.compareReward)]
  return sql`SELECT ${raw(U.language)} AS language, count(*) AS pairs,
      avg(${a}) AS mean_a, avg(${b}) AS mean_b, avg(${raw(U.deltaReward)}) AS mean_delta,
      count(*) FILTER (WHERE ${raw(U.compareChanged)}) AS changed,
      count(*) FILTER (WHERE ${a} >= ${threshold} AND ${b} < ${threshold}) AS down,
      count(*) FILTER (WHERE ${a} < ${threshold} AND ${b} >= ${threshold}) AS up
    FROM ${raw(from)} WHERE ${where} AND ${raw(U.compareSide)} = 'both'
    GROUP BY 1 ORDER BY pairs DESC, language`
}

const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v))

export function parseLanguageChanges(rows: readonly Row[]): LanguageChange[] {
  return rows.map((r) => ({
    language: valueText(r.language ?? null),
    pairs: Number(r.pairs ?? 0),
    meanA: numberOrNull(r.mean_a),
    meanB: numberOrNull(r.mean_b),
    meanDelta: numberOrNull(r.mean_delta),
    changed: Number(r.changed ?? 0),
    down: Number(r.down ?? 0),
    up: Number(r.up ?? 0),
  }))
}

/** A unit only in B, as the list of them shows it. */
export interface OnlyInB {
  readonly row: number
  readonly item: number | null
  readonly language: string
  readonly reward: number | null
  readonly prompt: string
}

/** At most this many of B's own units are listed. */
export const ONLY_IN_B_LISTED = 200

/** The units only in B (the first ONLY_IN_B_LISTED, in B's order), with a prompt preview. */
export function onlyInBQuery(compare: string, b: Relations): Sql {
  return sql`SELECT p.b_row AS row, p.b_item AS item, p.language AS language, p.b_reward AS reward,
      left(coalesce(u.${raw(U.prompt)}, ''), 160) AS prompt
    FROM ${ident(compare)} p
    JOIN ${ident(b.units)} u ON u.${raw(U.row)} = p.b_row AND coalesce(u.${raw(U.item)}, 0) = coalesce(p.b_item, 0)
    WHERE p.side = 'b' ORDER BY p.b_row, p.b_item LIMIT ${ONLY_IN_B_LISTED}`
}

export function parseOnlyInB(rows: readonly Row[]): OnlyInB[] {
  return rows.map((r) => ({
    row: Number(r.row),
    item: numberOrNull(r.item),
    language: valueText(r.language ?? null),
    reward: numberOrNull(r.reward),
    prompt: valueText(r.prompt ?? null),
  }))
}

/** The pair of one unit of an A row: B's row and item, or nothing when only A has it. */
export interface UnitPair {
  readonly aItem: number | null
  readonly bRow: number | null
  readonly bItem: number | null
  readonly key: string
}

/** The pairs of an A row's units. */
export function pairsOfRowQuery(compare: string, aRow: number): Sql {
  return sql`SELECT a_item, b_row, b_item, key FROM ${ident(compare)} WHERE a_row = ${aRow} ORDER BY a_item`
}

export function parsePairs(rows: readonly Row[]): UnitPair[] {
  return rows.map((r) => ({
    aItem: numberOrNull(r.a_item),
    bRow: numberOrNull(r.b_row),
    bItem: numberOrNull(r.b_item),
    key: valueText(r.key ?? null),
  }))
}

/**
 * The WHERE over B's table selecting B's rows of the pairs the filter shows: the pairs whose A unit
 * the filter keeps, and, unless the facet asks for pairs in both files, the units only in B.
 */
export function bRowsWhere(compare: string, a: Relations, filter: Filter): Sql {
  const units = filterUnits(a, filter)
  const key = raw(unitKeySql())
  const show = filter.compare?.show ?? null
  const onlyB = show === null || show === 'b-only' ? raw(" OR side = 'b'") : raw('')
  return sql`rowid IN (SELECT b_row FROM ${ident(compare)} WHERE b_row IS NOT NULL AND ((a_row * 4294967296 + a_item_key) IN (SELECT ${key} FROM ${raw(units.from)} WHERE ${units.where})${onlyB}))`
}
