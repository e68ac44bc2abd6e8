/**
 * What an export of the current filter would write: the rows (or pairs) it selects and what the
 * dialog says of them. Its conditions are the same the writer uses, so the summary and the file agree.
 */
import type { Profile } from '../../../shared/profile'
import { quoteIdent } from '../../../shared/sql'
import type { LoadedDataset } from '../dataset'
import type { Engine } from '../engine'
import { countRows } from '../explore'
import { type Filter, filterWhere, rowSource } from '../filter'
import { type Relations, relationNames } from '../relations'
import { type EngineRead, type Sql, sqlKey } from '../sql'
import { relationExists } from './columns'
import { type ExportOptions, exportFilter } from './options'
import { type PairsSql, pairCountsSql, pairsSql, pairsUnavailable } from './pairs'
import type { PairCounts } from './provenance'

/** The condition that keeps no row. */
const NOTHING: Sql = { text: 'false', params: [] }

/** The roles of the open dataset and the relations built from them (the store's ProfileState fits). */
export interface ExportRoles {
  readonly profile: Profile
  readonly relations: Relations
  /**
   * The second file the dataset is compared with, when the filter may read the comparison: the
   * provenance record names and hashes it beside the source, with the key that joined them.
   */
  readonly compared?: {
    readonly dataset: LoadedDataset
    readonly key: string
    /** Which side of the comparison the exported file is. */
    readonly side: 'A' | 'B'
  } | null
  /**
   * The rows to write when they are not the filter's own: B's rows of the pairs the filter shows
   * (a WHERE over the dataset table). The filter is still recorded, as what chose them.
   */
  readonly rows?: Sql | null
}

/** What an export will write, for the dialog's summary. */
export interface ExportPlan {
  /** Rows (or, for pairs, pairs) the export will write. */
  readonly rows: number
  /** Rows the current filter shows. */
  readonly shown: number
  readonly total: number
  /** For pairs: what is kept and skipped. */
  readonly pairs: PairCounts | null
  /** True when records are copied byte for byte from the source. */
  readonly faithful: boolean
  /** Why this export cannot be made, or null. */
  readonly unavailable: string | null
}

/** True when records are copied from the source's bytes instead of re-encoded. */
export function isFaithful(dataset: LoadedDataset, options: ExportOptions): boolean {
  const jsonSource = dataset.format === 'jsonl' || dataset.format === 'json'
  return jsonSource && (options.format === 'jsonl' || options.format === 'json')
}

/**
 * The filter an export can run. Without a flags table nothing is flagged yet: "only flagged"
 * keeps nothing (`nothing`) and "exclude flagged" keeps everything, so the part is dropped.
 */
async function usableFilter(
  engine: Engine,
  dataset: LoadedDataset,
  filter: Filter,
): Promise<{ readonly filter: Filter; readonly nothing: boolean }> {
  if (filter.flagged === null) return { filter, nothing: false }
  if (await relationExists(engine, relationNames(dataset.table).flags)) {
    return { filter, nothing: false }
  }
  return { filter: { ...filter, flagged: null }, nothing: filter.flagged === 'only' }
}

/** The WHERE over the dataset table selecting the rows an export writes, with its parameters. */
export async function rowCondition(
  engine: Engine,
  dataset: LoadedDataset,
  roles: ExportRoles | null,
  filter: Filter,
): Promise<Sql> {
  if (roles?.rows) return roles.rows
  const usable = await usableFilter(engine, dataset, filter)
  if (usable.nothing) return NOTHING
  return rowSource(dataset.table, roles?.relations ?? null, usable.filter).where
}

/** The pairs SQL of an export, or the reason it cannot be made. */
export async function pairsOf(
  engine: Engine,
  dataset: LoadedDataset,
  roles: ExportRoles | null,
  filter: Filter,
) {
  const reason = pairsUnavailable(roles?.profile ?? null)
  if (reason !== null || !roles) return { reason: reason ?? '', sql: null }
  const { filter: usable, nothing } = await usableFilter(engine, dataset, filter)
  const where = filterWhere(roles.relations, usable)
  const sql = pairsSql(roles.profile, roles.relations.units, nothing ? NOTHING : where)
  return { reason: null, sql }
}

/** Rows of the dataset table a condition keeps. */
export async function countWhere(engine: Engine, table: string, where: Sql): Promise<number> {
  return countRows(engine, { from: quoteIdent(table), id: 'rowid', where })
}

export async function pairCounts(engine: Engine, sql: PairsSql, gap: number): Promise<PairCounts> {
  const result = await engine.query(pairCountsSql(sql, gap), [...sql.params])
  const row = result.rows[0] ?? {}
  const n = (key: string) => Number(row[key] ?? 0)
  const units = n('units')
  const skipped = n('incomplete') + n('ties') + n('below_gap')
  return {
    units,
    written: units - skipped,
    ties: n('ties'),
    belowGap: n('below_gap'),
    incomplete: n('incomplete'),
  }
}

/** What an export of the current filter with these options would write. */
export async function planExport(
  engine: Engine,
  dataset: LoadedDataset,
  roles: ExportRoles | null,
  filter: Filter,
  options: ExportOptions,
): Promise<ExportPlan> {
  const shown = await countWhere(
    engine,
    dataset.table,
    await rowCondition(engine, dataset, roles, filter),
  )
  const effective = exportFilter(filter, options)
  const base = { shown, total: dataset.rowCount, faithful: isFaithful(dataset, options) }
  if (options.format === 'triplets') {
    const pairs = await pairsOf(engine, dataset, roles, effective)
    if (!pairs.sql) return { ...base, rows: 0, pairs: null, unavailable: pairs.reason }
    const counts = await pairCounts(engine, pairs.sql, options.minScoreGap)
    return { ...base, rows: counts.written, pairs: counts, unavailable: null }
  }
  const where = await rowCondition(engine, dataset, roles, effective)
  const rows = effective === filter ? shown : await countWhere(engine, dataset.table, where)
  return { ...base, rows, pairs: null, unavailable: null }
}

/**
 * A read of what an export would write, for the dialog (see `planExport`). Its key is every query
 * the plan may run and the format, which decides whether records are copied byte for byte.
 */
export function planExportRead(
  dataset: LoadedDataset,
  roles: ExportRoles | null,
  filter: Filter,
  options: ExportOptions,
): EngineRead<ExportPlan> {
  const effective = exportFilter(filter, options)
  const where = (f: Filter) =>
    roles?.rows ?? rowSource(dataset.table, roles?.relations ?? null, f).where
  const pairs =
    roles && options.format === 'triplets'
      ? pairsSql(roles.profile, roles.relations.units, filterWhere(roles.relations, effective))
      : null
  const asked = [where(filter), where(effective)]
  if (pairs) asked.push({ text: pairCountsSql(pairs, options.minScoreGap), params: pairs.params })
  return {
    key: `${sqlKey(...asked)}|${options.format}`,
    run: (engine) => planExport(engine, dataset, roles, filter, options),
  }
}
