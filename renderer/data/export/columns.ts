/**
 * The columns an export reads from the engine: the dataset's own, each with the SQL that fetches
 * it in a form the encoder can write exactly, and the columns RewardLens derives on request.
 */
import type { Profile } from '../../../shared/profile'
import type { Engine } from '../engine'
import type { LoadedDataset } from '../dataset'
import { type DuckType, parseDuckType, scalarKind } from '../profile/duckType'
import { UNIT_COLUMNS as U } from '../profile/units'
import { type Relations, relationNames } from '../relations'
import { quoteIdent } from '../../../shared/sql'
import { type CellValue, valueText } from '../values'
import type { ExportOptions } from './options'

/** How a time column is fetched for Parquet: as an exact integer the Arrow column is built from. */
export type TimeEncoding = 'timestamp' | 'timestamptz' | 'date'

/** One column of the export. */
export interface ExportColumn {
  readonly name: string
  /** DuckDB's spelling of the column's type in the dataset (or of a derived column). */
  readonly sourceType: string
  /** The type of the values as fetched, which the encoders follow. */
  readonly type: DuckType
  /** The SQL expression fetching it from the dataset table. */
  readonly select: string
  /** Set when a Parquet export fetches a time column as an integer (microseconds or days). */
  readonly time: TimeEncoding | null
}

const VARCHAR: DuckType = { kind: 'scalar', name: 'VARCHAR' }

/**
 * The dataset's own columns. Time columns are fetched as DuckDB's text for the text formats, and
 * as exact integers for Parquet, which gets real timestamp and date columns.
 */
export function sourceColumns(dataset: LoadedDataset, forParquet: boolean): ExportColumn[] {
  return dataset.columns.map((column) => {
    const type = parseDuckType(column.type)
    const c = quoteIdent(column.name)
    const base = { name: column.name, sourceType: column.type }
    if (type.kind !== 'scalar' || scalarKind(type.name) !== 'time') {
      return { ...base, type, select: c, time: null }
    }
    if (forParquet && /^TIMESTAMP/.test(type.name)) {
      const tz = type.name === 'TIMESTAMP WITH TIME ZONE'
      return {
        ...base,
        type: { kind: 'scalar', name: 'BIGINT' },
        select: `epoch_us(${c}) AS ${c}`,
        time: tz ? 'timestamptz' : 'timestamp',
      }
    }
    if (forParquet && type.name === 'DATE') {
      return {
        ...base,
        type: { kind: 'scalar', name: 'INTEGER' },
        select: `(${c} - DATE '1970-01-01')::INTEGER AS ${c}`,
        time: 'date',
      }
    }
    return { ...base, type: VARCHAR, select: `CAST(${c} AS VARCHAR) AS ${c}`, time: null }
  })
}

/** The columns RewardLens adds on request, and how to fetch their values for a range of rows. */
export interface DerivedColumns {
  readonly columns: readonly ExportColumn[]
  /** Fetches the values of rows `lo` to `hi` (rowids); the result gives a row's values in column order. */
  fetch(lo: number, hi: number): Promise<(id: number) => CellValue[]>
}

/** One query behind some of the derived columns, with the values a row it does not find gets. */
interface DerivedQuery {
  readonly sql: string | null
  readonly defaults: readonly CellValue[]
}

/** Names of the engine's tables and views, to add QA and flag columns only when they exist. */
async function existingRelations(engine: Engine): Promise<Set<string>> {
  const result = await engine.query(
    `SELECT table_name AS name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()`,
  )
  return new Set(result.rows.map((r) => valueText(r.name ?? null)))
}

/** True when the engine holds a table or view of that name. */
export async function relationExists(engine: Engine, name: string): Promise<boolean> {
  return (await existingRelations(engine)).has(name)
}

/** A column name for a code side's label: `rl_code_student`, `rl_code_best_completion`. */
function codeColumnName(label: string, fallback: string): string {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return `rl_code_${slug || fallback}`
}

/**
 * The derived columns an export asks for: `rl_language` (folded), `rl_code_<side>` (the code
 * extracted from each side's text), `rl_qa` (the checks a row trips, when QA has run), and
 * `rl_flagged` / `rl_note`. When the profile unnests a list, a row's language and code are lists
 * with one entry per unit, and its QA findings name their unit. Null when nothing is asked for.
 */
export async function derivedColumns(
  engine: Engine,
  dataset: LoadedDataset,
  roles: { readonly profile: Profile; readonly relations: Relations } | null,
  options: ExportOptions,
): Promise<DerivedColumns | null> {
  const wantDerived = options.derived && roles !== null
  if (!wantDerived && !options.flags) return null
  const existing = await existingRelations(engine)
  const names = relationNames(dataset.table)
  const taken = new Set(dataset.columns.map((c) => c.name))
  const columns: ExportColumn[] = []
  const column = (wanted: string, type: string) => {
    let name = wanted
    for (let n = 2; taken.has(name); n++) name = `${wanted}_${n}`
    taken.add(name)
    columns.push({ name, sourceType: type, type: parseDuckType(type), select: '', time: null })
  }
  const queries: DerivedQuery[] = []

  if (wantDerived) {
    const { profile, relations } = roles
    const unnested = profile.unnest !== null
    const list = (t: string) => (unnested ? `${t}[]` : t)
    const exprs: string[] = [U.language]
    column('rl_language', list('VARCHAR'))
    if (profile.codeA) {
      exprs.push(U.codeA)
      column(codeColumnName(profile.codeA.label, 'a'), list('VARCHAR'))
    }
    if (profile.codeB && !(unnested && profile.codeB.fromGroup)) {
      exprs.push(U.codeB)
      column(codeColumnName(profile.codeB.label, 'b'), list('VARCHAR'))
    }
    if (profile.tests) {
      // Test re-runs (renderer/data/rerun): null for units whose tests have not been run.
      exprs.push(U.rerunPassRate, U.rerunStatus)
      column('rl_rerun_pass_rate', list('DOUBLE'))
      column('rl_rerun_status', list('VARCHAR'))
    }
    const select = exprs
      .map((e, i) => (unnested ? `list(${e} ORDER BY ${U.item}) AS v${i}` : `${e} AS v${i}`))
      .join(', ')
    queries.push({
      sql: `SELECT ${U.row} AS id, ${select} FROM ${quoteIdent(relations.units)} WHERE ${U.row} BETWEEN ? AND ?${unnested ? ' GROUP BY 1' : ''}`,
      defaults: exprs.map(() => (unnested ? [] : null)),
    })

    const qa = names.qa
    if (existing.has(qa)) {
      const struct = unnested
        ? `{'item': ${U.item}, 'rule': rule, 'detail': detail}`
        : `{'rule': rule, 'detail': detail}`
      column(
        'rl_qa',
        unnested
          ? 'STRUCT(item BIGINT, rule VARCHAR, detail VARCHAR)[]'
          : 'STRUCT(rule VARCHAR, detail VARCHAR)[]',
      )
      queries.push({
        sql: `SELECT ${U.row} AS id, list(${struct} ORDER BY ${U.item}, rule) AS v0 FROM ${quoteIdent(qa)} WHERE ${U.row} BETWEEN ? AND ? GROUP BY 1`,
        defaults: [[]],
      })
    }
  }

  if (options.flags) {
    column('rl_flagged', 'BOOLEAN')
    column('rl_note', 'VARCHAR')
    const flags = names.flags
    queries.push({
      sql: existing.has(flags)
        ? `SELECT ${U.row} AS id, true AS v0, note AS v1 FROM ${quoteIdent(flags)} WHERE ${U.row} BETWEEN ? AND ?`
        : null,
      defaults: [false, null],
    })
  }

  return {
    columns,
    async fetch(lo, hi) {
      const found: Map<number, CellValue[]>[] = []
      for (const query of queries) {
        const values = new Map<number, CellValue[]>()
        if (query.sql !== null) {
          const result = await engine.query(query.sql, [lo, hi])
          for (const row of result.rows) {
            values.set(
              Number(row.id),
              query.defaults.map((_, i) => row[`v${i}`] ?? null),
            )
          }
        }
        found.push(values)
      }
      return (id) => queries.flatMap((query, i) => found[i]!.get(id) ?? query.defaults)
    },
  }
}
