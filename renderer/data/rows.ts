/**
 * Queries for the row table and the row detail: pages of previews, and one row in full. Each is a
 * value (`xQuery(…) → Sql`) read by a parser, as in `explore.ts`.
 */
import type { Engine } from './engine'
import { type RowSource, tableSource } from './filter'
import type { ColumnInfo, LoadedDataset } from './dataset'
import { quoteIdent } from '../../shared/sql'
import { type Sql, ident, raw, runSql, sql } from './sql'
import type { CellValue, Row } from './values'

/** Rows fetched per table page. */
export const PAGE_SIZE = 100
/** Characters of a text cell the table fetches; the detail pane fetches the rest. */
export const TEXT_PREVIEW_CHARS = 240
/** Elements of a list cell the table fetches. */
export const LIST_PREVIEW_ITEMS = 3

/** How the table is ordered: a column and direction, or null for file order. */
export interface RowOrder {
  readonly column: string
  readonly direction: 'asc' | 'desc'
}

/** One row as the table shows it: previews of each cell and the full size of each. */
export interface TableRow {
  /** The row's identity in the engine (its position in the dataset). */
  readonly id: number
  readonly values: Row
  /** Full length of text cells (characters) and list cells (items), by column. */
  readonly sizes: Readonly<Record<string, number>>
}

const ID = '__rl_id'
const sizeAlias = (index: number) => `__rl_size_${index}`

function previewExpr(column: ColumnInfo, index: number): string {
  const c = quoteIdent(column.name)
  switch (column.kind) {
    case 'text':
      return `left(${c}, ${TEXT_PREVIEW_CHARS}) AS ${c}, length(${c}) AS ${sizeAlias(index)}`
    case 'list':
      return `${c}[1:${LIST_PREVIEW_ITEMS}] AS ${c}, len(${c}) AS ${sizeAlias(index)}`
    default:
      return c
  }
}

/** ORDER BY for a row order; ties and file order fall back to the row identity. */
export function orderSql(order: RowOrder | null, id = 'rowid'): string {
  if (!order) return `ORDER BY ${id}`
  const dir = order.direction === 'asc' ? 'ASC' : 'DESC'
  return `ORDER BY ${quoteIdent(order.column)} ${dir} NULLS LAST, ${id}`
}

/**
 * The query choosing the rows of table page `page`: their identities, in order. It reads only the
 * identity and the order column, never the text.
 */
export function pageIdsQuery(source: RowSource, order: RowOrder | null, page: number): Sql {
  return sql`SELECT ${raw(source.id)} AS ${raw(ID)} FROM ${raw(source.from)} WHERE ${source.where} ${raw(orderSql(order, source.id))} LIMIT ${PAGE_SIZE} OFFSET ${page * PAGE_SIZE}`
}

/**
 * Rows whose ids lie within this many of a cluster's first are read by one range: a range of
 * rowids lets DuckDB skip every other part of the table.
 */
const CLUSTER_ROWS = 2048

/** Sorted ids in clusters, each spanning fewer than CLUSTER_ROWS rows. */
function idClusters(ids: readonly number[]): number[][] {
  const clusters: number[][] = []
  for (const id of [...ids].map((i) => Math.trunc(i)).sort((a, b) => a - b)) {
    const last = clusters.at(-1)
    if (last && id - last[0]! < CLUSTER_ROWS) last.push(id)
    else clusters.push([id])
  }
  return clusters
}

/**
 * The SQL of the previews of some rows of a table, by rowid. The ids come from the engine and are
 * written as integer literals. Each cluster of nearby ids is read by its own rowid range: with
 * `rowid IN (...)` alone DuckDB scans the whole table, which on a million rows stored compressed
 * took 4 s for one page (20 ms by range).
 */
export function previewsSql(
  table: string,
  columns: readonly ColumnInfo[],
  ids: readonly number[],
): string {
  const projection = [`rowid AS ${ID}`, ...columns.map(previewExpr)].join(', ')
  return idClusters(ids)
    .map((cluster) => {
      const range = `rowid BETWEEN ${cluster[0]} AND ${cluster.at(-1)}`
      return `SELECT ${projection} FROM ${quoteIdent(table)} WHERE ${range} AND rowid IN (${cluster.join(', ')})`
    })
    .join('\nUNION ALL\n')
}

/**
 * The ids of a page's rows. Unfiltered and in file order they are the page's positions: a dataset
 * table is only ever appended to, so its rowids run from 0 without gaps, and a far page needs no
 * query (an OFFSET of 700,000 rows took 340 ms in the browser).
 */
async function pageIds(
  engine: Engine,
  dataset: LoadedDataset,
  source: RowSource,
  order: RowOrder | null,
  page: number,
): Promise<number[]> {
  const start = page * PAGE_SIZE
  if (order === null && source.where.text === 'true' && source.id === 'rowid') {
    const end = Math.min(dataset.rowCount, start + PAGE_SIZE)
    return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i)
  }
  // Rows on screen come before every chart.
  const chosen = await runSql(engine, pageIdsQuery(source, order, page), 'first')
  return chosen.rows.map((row) => Number(row[ID]))
}

/**
 * Fetches page `page` (0-based) of the table: first which rows, then their previews. In one
 * statement the engine would cut every row's text to a preview before ordering and skipping them,
 * which on a wide file costs seconds per page.
 */
export async function fetchPage(
  engine: Engine,
  dataset: LoadedDataset,
  order: RowOrder | null,
  page: number,
  source: RowSource = tableSource(dataset.table),
): Promise<TableRow[]> {
  const ids = await pageIds(engine, dataset, source, order, page)
  if (ids.length === 0) return []
  const result = await engine.query(previewsSql(dataset.table, dataset.columns, ids), [], 'first')
  const byId = new Map(result.rows.map((row) => [Number(row[ID]), row]))
  return ids.flatMap((id) => {
    const row = byId.get(id)
    if (!row) return []
    // From entries: a column named `__proto__` is a value, not the object's prototype.
    const values: Row = Object.fromEntries(
      dataset.columns.map((column) => [column.name, own(row, column.name)]),
    )
    const sizes: Readonly<Record<string, number>> = Object.fromEntries(
      dataset.columns.flatMap((column, index) => {
        const size = own(row, sizeAlias(index))
        return typeof size === 'number' ? [[column.name, size]] : []
      }),
    )
    return [{ id, values, sizes }]
  })
}

/** The query of one row with every value in full. */
export function rowQuery(dataset: LoadedDataset, id: number): Sql {
  const columns = raw(dataset.columns.map((c) => quoteIdent(c.name)).join(', '))
  return sql`SELECT ${columns} FROM ${ident(dataset.table)} WHERE rowid = ${id}`
}

/** The query of whether the filter shows a row: one count, 1 when it does, 0 when it does not. */
export function rowShownQuery(source: RowSource, id: number): Sql {
  return sql`SELECT count(*) AS n FROM ${raw(source.from)} WHERE (${source.where}) AND ${raw(source.id)} = ${id}`
}

/** The row a row query answers; null when there is no such row. */
export function parseRow(rows: readonly Row[]): Row | null {
  return rows[0] ?? null
}

/** A row's own value of a column (never one inherited from Object.prototype), or null. */
function own(row: Row, column: string): CellValue {
  return Object.hasOwn(row, column) ? (row[column] ?? null) : null
}

/** Fetches one row with every value in full; null when there is no such row. */
export async function fetchRow(
  engine: Engine,
  dataset: LoadedDataset,
  id: number,
): Promise<Row | null> {
  return parseRow((await runSql(engine, rowQuery(dataset, id), 'first')).rows)
}

/** Rows sampled to size the table's text columns. */
const WIDTH_SAMPLE_ROWS = 500

/** The query of the longest text (in characters, at most 400) of each text column over the first rows. */
export function textLengthsQuery(dataset: LoadedDataset): Sql | null {
  const text = dataset.columns.filter((c) => c.kind === 'text')
  if (text.length === 0) return null
  const lengths = text.map(
    (c, i) => `max(length(left(${quoteIdent(c.name)}, 400))) AS ${sizeAlias(i)}`,
  )
  return sql`SELECT ${raw(lengths.join(', '))} FROM (SELECT * FROM ${ident(dataset.table)} LIMIT ${raw(String(WIDTH_SAMPLE_ROWS))})`
}

/** The lengths a text-lengths query answers, by column name. */
export function parseTextLengths(
  dataset: LoadedDataset,
  rows: readonly Row[],
): Readonly<Record<string, number>> {
  const row = rows[0] ?? {}
  const text = dataset.columns.filter((c) => c.kind === 'text')
  return Object.fromEntries(text.map((c, i) => [c.name, Number(row[sizeAlias(i)] ?? 0)]))
}

/** The longest text (in characters, at most 400) of each text column over the first rows. */
export async function sampleTextLengths(
  engine: Engine,
  dataset: LoadedDataset,
): Promise<Readonly<Record<string, number>>> {
  const query = textLengthsQuery(dataset)
  if (query === null) return {}
  return parseTextLengths(dataset, (await runSql(engine, query)).rows)
}
