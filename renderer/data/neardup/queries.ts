/**
 * What the near-duplicate views ask the engine: the facet's counts under the filter, and a row's
 * near-duplicates and reference matches for the detail pane.
 */
import type { Row as QueryRow } from '../../../shared/engine'
import { CONTAMINATED, type Filter, filterUnits } from '../filter'
import { UNIT_COLUMNS as U, unitKeySql } from '../profile/units'
import type { Relations } from '../relations'
import { type Sql, ident, raw, sql } from '../sql'
import type { NearDupKind } from './core'

/** Groups the facet lists by name; the others are counted. */
export const FACET_GROUPS = 8

/** The facet's counts: units in a group or in none, the largest groups, and the contaminated. */
export interface NearDupFacet {
  readonly grouped: number
  readonly alone: number
  readonly groups: number
  /** The largest groups (their number and units shown), largest first. */
  readonly top: readonly { readonly group: number; readonly units: number }[]
}

/** The units the filter shows (its near-duplicate part left out) by group of `kind`. */
export function nearDupFacetQuery(relations: Relations, filter: Filter, kind: NearDupKind): Sql {
  const { from, where } = filterUnits(relations, filter, 'nearDup')
  const key = raw(unitKeySql())
  const group = raw(`${kind}_group`)
  return sql`SELECT g, n, sum(CASE WHEN g IS NOT NULL THEN n END) OVER () AS grouped,
      count(g) OVER () AS groups
    FROM (SELECT ${group} AS g, count(*) AS n FROM ${ident(relations.nearDup)}
           WHERE ${key} IN (SELECT ${key} FROM ${raw(from)} WHERE ${where}) GROUP BY 1)
    ORDER BY g IS NOT NULL, n DESC, g LIMIT ${FACET_GROUPS + 1}`
}

export function parseNearDupFacet(rows: readonly QueryRow[]): NearDupFacet {
  const alone = rows.find((r) => r.g === null)
  const top = rows
    .filter((r) => r.g !== null)
    .map((r) => ({ group: Number(r.g), units: Number(r.n) }))
  const first = rows[0]
  return {
    grouped: Number(first?.grouped ?? 0),
    alone: Number(alone?.n ?? 0),
    groups: Number(first?.groups ?? 0),
    top: top.slice(0, FACET_GROUPS),
  }
}

/** The units the filter shows (its contamination part left out) that match the reference set. */
export function contaminatedCountQuery(relations: Relations, filter: Filter): Sql {
  const { from, where } = filterUnits(relations, filter, 'contaminated')
  const key = raw(unitKeySql())
  return sql`SELECT count(*) AS n FROM ${ident(relations.nearDup)}
    WHERE (${raw(CONTAMINATED)}) AND ${key} IN (SELECT ${key} FROM ${raw(from)} WHERE ${where})`
}

/** One kind of a unit's near-duplicates and reference match. */
export interface UnitNearDup {
  readonly id: number | null
  readonly group: number | null
  readonly size: number | null
  readonly refRow: number | null
  readonly refSim: number | null
  readonly refText: string | null
}

/** A unit of the selected row as the near-duplicate table has it. */
export interface NearDupUnit {
  readonly item: number | null
  readonly prompt: UnitNearDup
  readonly code: UnitNearDup
}

const KINDS: readonly NearDupKind[] = ['prompt', 'code']

/** The near-duplicate table's rows of a dataset row, one per unit. */
export function nearDupOfRowQuery(relations: Relations, row: number): Sql {
  return sql`SELECT * FROM ${ident(relations.nearDup)} WHERE ${raw(U.row)} = ${row} ORDER BY ${raw(U.item)}`
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value))

export function parseNearDupUnits(rows: readonly QueryRow[]): NearDupUnit[] {
  const kind = (r: QueryRow, k: NearDupKind): UnitNearDup => ({
    id: num(r[`${k}_id`]),
    group: num(r[`${k}_group`]),
    size: num(r[`${k}_size`]),
    refRow: num(r[`${k}_ref_row`]),
    refSim: num(r[`${k}_ref_sim`]),
    refText: typeof r[`${k}_ref_text`] === 'string' ? (r[`${k}_ref_text`] as string) : null,
  })
  return rows.map((r) => ({
    item: num(r[U.item]),
    prompt: kind(r, KINDS[0]!),
    code: kind(r, KINDS[1]!),
  }))
}

/** A member of a near-duplicate group, for the detail pane's list. */
export interface GroupMember {
  readonly row: number
  readonly item: number | null
  /** Its text's id (to measure its similarity to the selected unit's). */
  readonly id: number
  readonly reward: number | null
}

/** Members listed at most, per group. */
export const MEMBERS_SHOWN = 20

/**
 * The members of a group of `kind` but the selected row's own: for prompts one per row (the units
 * of a row share its prompt: AceCode's completions are not listed as near-duplicates of each
 * other), for code every unit (the selected unit is left out by the view).
 */
export function groupMembersQuery(
  relations: Relations,
  kind: NearDupKind,
  group: number,
  selectedRow: number,
): Sql {
  const g = raw(`${kind}_group`)
  const id = raw(`${kind}_id`)
  const [row, item] = [raw(U.row), raw(U.item)]
  const units = sql`SELECT n.${row} AS row, n.${item} AS item, n.${id} AS id, u.${raw(U.reward)} AS reward
    FROM ${ident(relations.nearDup)} n
    LEFT JOIN ${ident(relations.unitTable)} u
      ON u.${row} = n.${row} AND u.__rl_item_key = coalesce(n.${item}, 0)
    WHERE n.${g} = ${group}`
  return kind === 'prompt'
    ? sql`SELECT row, NULL AS item, min(id) AS id,
          CASE WHEN count(*) = 1 THEN any_value(reward) END AS reward
        FROM (${units}) WHERE row <> ${selectedRow} GROUP BY row ORDER BY row LIMIT ${MEMBERS_SHOWN + 1}`
    : sql`${units} ORDER BY row, item LIMIT ${MEMBERS_SHOWN + 2}`
}

export function parseGroupMembers(rows: readonly QueryRow[]): GroupMember[] {
  return rows.map((r) => ({
    row: Number(r.row),
    item: num(r.item),
    id: Number(r.id),
    reward: typeof r.reward === 'number' && Number.isFinite(r.reward) ? r.reward : null,
  }))
}
