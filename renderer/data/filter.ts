/**
 * The one filter: a plain, serialisable object from which every query's WHERE is derived, so the
 * table, the counts and the charts always agree on which units are shown.
 */
import type { FieldPath } from '../../shared/profile'
import type { SqlParam } from './engine'
import { fieldSql } from './profile/fields'
import {
  TEXT_COLUMNS,
  UNIT_COLUMNS as U,
  flagsTableName,
  qaTableName,
  tableOfUnitsView,
  unitKeySql,
  unitTextViewName,
  unitsRelation,
} from './profile/units'
import { quoteIdent } from '../../shared/sql'

/** A closed range; either end may be open (null). */
export interface NumberRange {
  readonly min: number | null
  readonly max: number | null
}

/** A range over one numeric field of the units view. */
export interface FieldRange extends NumberRange {
  readonly path: FieldPath
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
    filter.flagged === null
  )
}

/** SQL reading a numeric field of the units view as a DOUBLE. */
export function numberSql(path: FieldPath): string {
  return `TRY_CAST(${fieldSql(path)} AS DOUBLE)`
}

/** A WHERE condition (never empty: `true` when nothing filters) and its parameters. */
export interface WhereClause {
  readonly sql: string
  readonly params: readonly SqlParam[]
}

/**
 * The WHERE of a filter over the units view or table. The power user's condition is wrapped in
 * parentheses so it cannot swallow the other parts; it is checked by the engine before use.
 * `skip` leaves one part out: 'languages', 'models', 'search', 'where', 'groupSize', 'rules',
 * 'flagged' or 'range:<key>'.
 */
export function filterWhere(view: string, filter: Filter, skip?: string): WhereClause {
  const parts: string[] = []
  const params: SqlParam[] = []
  if (filter.languages.length > 0 && skip !== 'languages') {
    parts.push(`${U.language} IN (${filter.languages.map(() => '?').join(', ')})`)
    params.push(...filter.languages)
  }
  for (const [key, range] of Object.entries(filter.ranges)) {
    if (skip === `range:${key}`) continue
    const x = numberSql(range.path)
    if (range.min !== null) {
      parts.push(`${x} >= ?`)
      params.push(range.min)
    }
    if (range.max !== null) {
      parts.push(`${x} <= ?`)
      params.push(range.max)
    }
  }
  const search = filter.search.trim()
  if (search !== '' && skip !== 'search') {
    const text = quoteIdent(unitTextViewName(tableOfUnitsView(view)))
    parts.push(
      `${unitKeySql()} IN (SELECT ${unitKeySql()} FROM ${text} WHERE ${TEXT_COLUMNS.map((f) => `contains(lower(coalesce(${f}, '')), ?)`).join(' OR ')})`,
    )
    params.push(...TEXT_COLUMNS.map(() => search.toLowerCase()))
  }
  if (filter.models.length > 0 && skip !== 'models') {
    parts.push(`${U.model} IN (${filter.models.map(() => '?').join(', ')})`)
    params.push(...filter.models)
  }
  const size = filter.groupSize
  if (size && (size.min !== null || size.max !== null) && skip !== 'groupSize') {
    const having = [
      size.min !== null ? 'count(*) >= ?' : '',
      size.max !== null ? 'count(*) <= ?' : '',
    ]
    parts.push(
      `${U.groupKey} IN (SELECT ${U.groupKey} FROM ${quoteIdent(view)} GROUP BY 1 HAVING ${having.filter(Boolean).join(' AND ')})`,
    )
    if (size.min !== null) params.push(size.min)
    if (size.max !== null) params.push(size.max)
  }
  if (filter.rules.length > 0 && skip !== 'rules') {
    const table = tableOfUnitsView(view)
    parts.push(
      `${unitKeySql()} IN (SELECT ${unitKeySql()} FROM ${quoteIdent(qaTableName(table))} WHERE rule IN (${filter.rules.map(() => '?').join(', ')}))`,
    )
    params.push(...filter.rules)
  }
  if (filter.flagged !== null && skip !== 'flagged') {
    const table = tableOfUnitsView(view)
    const not = filter.flagged === 'exclude' ? 'NOT ' : ''
    parts.push(`${U.row} ${not}IN (SELECT ${U.row} FROM ${quoteIdent(flagsTableName(table))})`)
  }
  if (filter.where.trim() !== '' && skip !== 'where') parts.push(`(${filter.where})`)
  return { sql: parts.length > 0 ? parts.join(' AND ') : 'true', params }
}

/** A filter's WHERE with the relation it applies to (already quoted). */
export interface FilteredUnits {
  readonly from: string
  readonly where: WhereClause
}

/**
 * The units a filter shows, read from the cheapest relation that can answer: the units table, or
 * the full view when the filter (minus its `skip` part) has a SQL condition.
 */
export function filterUnits(view: string, filter: Filter, skip?: string): FilteredUnits {
  const relation = unitsRelation(view, { where: skip === 'where' ? '' : filter.where })
  return { from: quoteIdent(relation), where: filterWhere(relation, filter, skip) }
}

/** Where the table reads the rows the filter shows, and the counts count them. */
export interface RowSource {
  /** The relation to read, already quoted. */
  readonly from: string
  /** Its column holding the dataset row's identity. */
  readonly id: string
  readonly where: WhereClause
  /**
   * Changes when engine tables the WHERE reads change under the same filter (the flagged rows), so
   * anything keyed by the source reads it again.
   */
  readonly version?: number
}

/** Every row of a dataset table, unfiltered. */
export function tableSource(table: string): RowSource {
  return { from: quoteIdent(table), id: 'rowid', where: { sql: 'true', params: [] } }
}

/**
 * The rows of a dataset the filter shows (a row shows when any of its units does): the dataset
 * table, narrowed by the units the filter keeps.
 */
export function rowSource(table: string, view: string | null, filter: Filter): RowSource {
  if (view === null || isEmptyFilter(filter)) return tableSource(table)
  const units = filterUnits(view, filter)
  return {
    from: quoteIdent(table),
    id: 'rowid',
    where: {
      sql: `rowid IN (SELECT ${U.row} FROM ${units.from} WHERE ${units.where.sql})`,
      params: units.where.params,
    },
  }
}
