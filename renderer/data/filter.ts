/**
 * The one filter: a plain, serialisable object from which every query's WHERE is derived, so the
 * table, the counts and the charts always agree on which units are shown.
 */
import type { FieldPath } from '../../shared/profile'
import { fieldSql } from './profile/fields'
import { TEXT_COLUMNS, UNIT_COLUMNS as U, unitKeySql } from './profile/units'
import { type Relations, unitsFrom } from './relations'
import { type Sql, TRUE, ident, join, list, raw, sql } from './sql'

/** A closed range; either end may be open (null). */
export interface NumberRange {
  readonly min: number | null
  readonly max: number | null
}

/** A range over one numeric field of the units view. */
export interface FieldRange extends NumberRange {
  readonly path: FieldPath
}

/** Which pairs of a comparison with a second file to show (renderer/data/compare/). */
export type CompareShow = 'both' | 'a-only' | 'b-only' | 'changed' | 'flipped'

/** What a choice of the compare facet shows, in words. */
export function compareLabel(compare: CompareFilter): string {
  switch (compare.show) {
    case 'both':
      return 'in both files'
    case 'a-only':
      return 'only in A'
    case 'b-only':
      return 'only in B'
    case 'changed':
      return 'changed in B'
    case 'flipped':
      return `flipped (pass at reward ≥ ${compare.threshold})`
  }
}

/** A range's name for people: its field's label, or what a column RewardLens adds means. */
export function rangeLabel(key: string): string {
  if (key === U.deltaReward) return 'reward change (B − A)'
  if (key === U.rerunPassRate) return 'pass rate when run'
  return key
}

/** The comparison part of the filter. */
export interface CompareFilter {
  readonly show: CompareShow
  /** The reward a pass needs, for `flipped`: a pair flips when its two rewards fall on either side. */
  readonly threshold: number
}

/** Which near-duplicate groups to show (renderer/data/neardup/). */
export interface NearDupFilter {
  /** Groups of prompts or of code. */
  readonly kind: 'prompt' | 'code'
  /** `any`: units in some group; `none`: units in none; a number: that group (1 = the largest). */
  readonly group: 'any' | 'none' | number
}

/** What a choice of the near-duplicates facet shows, in words. */
export function nearDupLabel(nearDup: NearDupFilter): string {
  const of = nearDup.kind === 'prompt' ? 'prompt' : 'code'
  if (nearDup.group === 'any') return `${of} has near-duplicates`
  if (nearDup.group === 'none') return `${of} has no near-duplicate`
  return `${of} near-duplicate group ${nearDup.group}`
}

/** What the contamination choice shows, in words. */
export function contaminatedLabel(choice: 'only' | 'exclude'): string {
  return choice === 'only' ? 'in the reference set' : 'not in the reference set'
}

/** Which units are shown. Every part narrows; an empty part does not filter. */
export interface Filter {
  /** Folded languages to keep (`cpp`, `python`); empty keeps all. */
  readonly languages: readonly string[]
  /** Numeric ranges, keyed by the field's label (`reward`, `metadata.chosen_scores.overall`). */
  readonly ranges: Readonly<Record<string, FieldRange>>
  /** Text to find in the prompt or either side's code, case-insensitively. */
  readonly search: string
  /** A SQL condition over the dataset's columns and the role columns, for power users. */
  readonly where: string
  /** Models to keep (the model role's values); empty keeps all. */
  readonly models: readonly string[]
  /** How many units a group must have (completions of a question, rows of a prompt); null keeps all. */
  readonly groupSize: NumberRange | null
  /** QA rules (their ids) a unit must trip, any of them; empty keeps all. */
  readonly rules: readonly string[]
  /** Only flagged rows, or none of them; null keeps all. */
  readonly flagged: 'only' | 'exclude' | null
  /** With a second file open beside this one: which pairs to show; null shows all. */
  readonly compare: CompareFilter | null
  /** Near-duplicate groups to show, once found; null shows all. */
  readonly nearDup: NearDupFilter | null
  /** Only units matching a row of the reference set, or none of them; null keeps all. */
  readonly contaminated: 'only' | 'exclude' | null
}

/** The filter that shows everything. */
export const EMPTY_FILTER: Filter = {
  languages: [],
  ranges: {},
  search: '',
  where: '',
  models: [],
  groupSize: null,
  rules: [],
  flagged: null,
  compare: null,
  nearDup: null,
  contaminated: null,
}

/** True when the filter shows everything. */
export function isEmptyFilter(filter: Filter): boolean {
  return (
    filter.languages.length === 0 &&
    Object.keys(filter.ranges).length === 0 &&
    filter.search.trim() === '' &&
    filter.where.trim() === '' &&
    filter.models.length === 0 &&
    filter.groupSize === null &&
    filter.rules.length === 0 &&
    filter.flagged === null &&
    filter.compare === null &&
    filter.nearDup === null &&
    filter.contaminated === null
  )
}

/** SQL reading a numeric field of the units view as a DOUBLE. */
export function numberSql(path: FieldPath): string {
  return `TRY_CAST(${fieldSql(path)} AS DOUBLE)`
}

/** A part of the filter `filterWhere` can leave out: a facet, the search, one range... */
export type FilterPart =
  | 'languages'
  | 'models'
  | 'search'
  | 'where'
  | 'groupSize'
  | 'rules'
  | 'flagged'
  | 'compare'
  | 'nearDup'
  | 'contaminated'
  | `range:${string}`

/** The conditions of a range over a numeric field. */
function rangeClauses(range: FieldRange): Sql[] {
  const x = raw(numberSql(range.path))
  return [
    ...(range.min !== null ? [sql`${x} >= ${range.min}`] : []),
    ...(range.max !== null ? [sql`${x} <= ${range.max}`] : []),
  ]
}

/** The condition that a unit's text (prompt or either side) contains `text`, case ignored. */
function searchClause(relations: Relations, text: string): Sql {
  const key = raw(unitKeySql())
  const needle = text.toLowerCase()
  const found = join(
    TEXT_COLUMNS.map((f) => sql`contains(lower(coalesce(${raw(f)}, '')), ${needle})`),
    ' OR ',
  )
  return sql`${key} IN (SELECT ${key} FROM ${ident(relations.unitText)} WHERE ${found})`
}

/** The condition that a unit's group has a size within the range. */
function groupSizeClause(from: string, size: NumberRange): Sql {
  const having = join(
    [
      ...(size.min !== null ? [sql`count(*) >= ${size.min}`] : []),
      ...(size.max !== null ? [sql`count(*) <= ${size.max}`] : []),
    ],
    ' AND ',
  )
  const key = raw(U.groupKey)
  return sql`${key} IN (SELECT ${key} FROM ${ident(from)} GROUP BY 1 HAVING ${having})`
}

/**
 * The WHERE of a filter over the units relation `from` (the units view unless said), never empty:
 * `true` when nothing filters. The power user's condition is wrapped in parentheses so it cannot
 * swallow the other parts; it is checked by the engine before use. `skip` leaves one part out.
 */
export function filterWhere(
  relations: Relations,
  filter: Filter,
  skip?: FilterPart,
  from: string = relations.units,
): Sql {
  const parts: Sql[] = []
  if (filter.languages.length > 0 && skip !== 'languages') {
    parts.push(sql`${raw(U.language)} IN ${list(filter.languages)}`)
  }
  for (const [key, range] of Object.entries(filter.ranges)) {
    if (skip !== `range:${key}`) parts.push(...rangeClauses(range))
  }
  const search = filter.search.trim()
  if (search !== '' && skip !== 'search') parts.push(searchClause(relations, search))
  if (filter.models.length > 0 && skip !== 'models') {
    parts.push(sql`${raw(U.model)} IN ${list(filter.models)}`)
  }
  const size = filter.groupSize
  if (size && (size.min !== null || size.max !== null) && skip !== 'groupSize') {
    parts.push(groupSizeClause(from, size))
  }
  if (filter.rules.length > 0 && skip !== 'rules') {
    const key = raw(unitKeySql())
    parts.push(
      sql`${key} IN (SELECT ${key} FROM ${ident(relations.qa)} WHERE rule IN ${list(filter.rules)})`,
    )
  }
  if (filter.flagged !== null && skip !== 'flagged') {
    const not = raw(filter.flagged === 'exclude' ? 'NOT ' : '')
    const row = raw(U.row)
    parts.push(sql`${row} ${not}IN (SELECT ${row} FROM ${ident(relations.flags)})`)
  }
  if (filter.compare !== null && skip !== 'compare') parts.push(compareClause(filter.compare))
  if (filter.nearDup !== null && skip !== 'nearDup') {
    parts.push(nearDupClause(relations, filter.nearDup))
  }
  if (filter.contaminated !== null && skip !== 'contaminated') {
    const not = raw(filter.contaminated === 'exclude' ? 'NOT ' : '')
    const key = raw(unitKeySql())
    parts.push(
      sql`${key} ${not}IN (SELECT ${key} FROM ${ident(relations.nearDup)} WHERE ${raw(CONTAMINATED)})`,
    )
  }
  if (filter.where.trim() !== '' && skip !== 'where') parts.push(sql`(${raw(filter.where)})`)
  return parts.length > 0 ? join(parts, ' AND ') : TRUE
}

/**
 * The condition that a unit is among the pairs shown, read from the compare columns of the units
 * table. Units of this file are never "only in B": that choice keeps none of them.
 */
export function compareClause(compare: CompareFilter): Sql {
  const side = raw(U.compareSide)
  switch (compare.show) {
    case 'both':
      return sql`${side} = 'both'`
    case 'a-only':
      return sql`${side} = 'a'`
    case 'b-only':
      return sql`false`
    case 'changed':
      return sql`coalesce(${raw(U.compareChanged)}, false)`
    case 'flipped': {
      const t = compare.threshold
      const [a, b] = [raw(U.reward), raw(U.compareReward)]
      return sql`(${side} = 'both' AND coalesce((${a} >= ${t}) <> (${b} >= ${t}) OR ${raw(U.compareSwapped)}, false))`
    }
  }
}

/** The condition, over the near-duplicate table, that a unit matches a row of the reference set. */
export const CONTAMINATED = 'prompt_ref_row IS NOT NULL OR code_ref_row IS NOT NULL'

/** The condition that a unit is in the near-duplicate groups shown. */
function nearDupClause(relations: Relations, nearDup: NearDupFilter): Sql {
  const key = raw(unitKeySql())
  const group = raw(`${nearDup.kind}_group`)
  const where =
    nearDup.group === 'any' || nearDup.group === 'none'
      ? sql`${group} IS NOT NULL`
      : sql`${group} = ${nearDup.group}`
  const not = raw(nearDup.group === 'none' ? 'NOT ' : '')
  return sql`${key} ${not}IN (SELECT ${key} FROM ${ident(relations.nearDup)} WHERE ${where})`
}

/** A filter's WHERE with the relation it applies to (already quoted). */
export interface FilteredUnits {
  readonly from: string
  readonly where: Sql
}

/**
 * The units a filter shows, read from the cheapest relation that can answer: the units table, or
 * the full view when the filter (minus its `skip` part) has a SQL condition the table cannot answer.
 */
export function filterUnits(
  relations: Relations,
  filter: Filter,
  skip?: FilterPart,
): FilteredUnits {
  const from = unitsFrom(relations, skip === 'where' ? '' : filter.where)
  return { from: ident(from).text, where: filterWhere(relations, filter, skip, from) }
}

/** Where the table reads the rows the filter shows, and the counts count them. */
export interface RowSource {
  /** The relation to read, already quoted. */
  readonly from: string
  /** Its column holding the dataset row's identity. */
  readonly id: string
  readonly where: Sql
}

/** Every row of a dataset table, unfiltered. */
export function tableSource(table: string): RowSource {
  return { from: ident(table).text, id: 'rowid', where: TRUE }
}

/**
 * The rows of a dataset the filter shows (a row shows when any of its units does): the dataset
 * table, narrowed by the units the filter keeps.
 */
export function rowSource(table: string, relations: Relations | null, filter: Filter): RowSource {
  if (relations === null || isEmptyFilter(filter)) return tableSource(table)
  const units = filterUnits(relations, filter)
  return {
    from: ident(table).text,
    id: 'rowid',
    where: sql`rowid IN (SELECT ${raw(U.row)} FROM ${raw(units.from)} WHERE ${units.where})`,
  }
}
