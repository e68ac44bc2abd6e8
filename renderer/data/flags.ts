/**
 * Flags in the engine: the content hash that names a row, saved flags placed on the rows of the
 * file as it is now, and the `<table>_flags` table the filter reads.
 */
import { type FlagsDocument, type RowFlag, compareFlags } from '../../shared/flags'
import type { Engine } from './engine'
import type { LoadedDataset } from './dataset'
import { type DuckType, parseDuckType, scalarKind } from './profile/duckType'
import { UNIT_COLUMNS } from './profile/units'
import { relationNames } from './relations'
import { quoteIdent, quoteString } from '../../shared/sql'
import { valueText } from './values'

/** What row hashes read of a loaded dataset: its table and its own columns (never `__rl_` ones). */
export type HashedDataset = Pick<LoadedDataset, 'table' | 'columns'>

/** A value of the row as SQL, with what the hash needs to know of it. */
interface HashedValue {
  readonly name: string
  readonly type: DuckType
  readonly sql: string
}

/**
 * SQL for the content hash of a row: the MD5, in hex, of a canonical text of its own columns.
 *
 * The text keeps a row's hash through changes that leave its content alone: columns and struct
 * fields go in name order and NULL ones are left out, so a key that appears only in other rows (a
 * new column, or struct field, NULL here) and the order keys were first seen in (which reordering a
 * JSON Lines file can change) do not matter; numbers are read as DOUBLE, so a column widened from
 * integers to floats does not matter either. Every value is prefixed with its length in bytes,
 * so no text can pass for a separator. Uses only DuckDB's core functions.
 */
export function rowHashSql(columns: HashedDataset['columns']): string {
  const values = columns.map((column) => ({
    name: column.name,
    type: parseDuckType(column.type),
    sql: quoteIdent(column.name),
  }))
  return `md5(concat('', ${canonicalFieldsSql(values, 0)}))`
}

/** The named values' canonical texts in name order, each after its name; NULL ones add nothing. */
function canonicalFieldsSql(values: readonly HashedValue[], depth: number): string {
  const sorted = [...values].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  // `||` is NULL when the value is, and concat skips NULLs: a NULL field leaves no trace.
  return sorted
    .map((v) => `${quoteString(prefixed(v.name))} || ${canonicalSql(v.type, v.sql, depth)}`)
    .join(', ')
}

/** SQL for the canonical text of one value; NULL when the value is NULL. */
function canonicalSql(type: DuckType, sql: string, depth: number): string {
  switch (type.kind) {
    case 'struct': {
      const fields = type.fields.map((field) => ({
        name: field.name,
        type: field.type,
        sql: `${sql}[${quoteString(field.name)}]`,
      }))
      return `CASE WHEN ${sql} IS NULL THEN NULL ELSE concat('{', ${canonicalFieldsSql(fields, depth)}, '}') END`
    }
    case 'list': {
      // A NULL element still holds its place: `n`, which no other value's text can be.
      const item = `__rl_item_${depth}`
      const items = `list_transform(${sql}, lambda ${item}: coalesce(${canonicalSql(type.element, item, depth + 1)}, 'n'))`
      // array_to_string gives NULL for an empty list, which concat skips: `[]`.
      return `CASE WHEN ${sql} IS NULL THEN NULL ELSE concat('[', array_to_string(${items}, ','), ']') END`
    }
    case 'map':
      return lengthPrefixed(`CAST(${sql} AS VARCHAR)`)
    case 'scalar':
      return lengthPrefixed(
        scalarKind(type.name) === 'number'
          ? `CAST(CAST(${sql} AS DOUBLE) AS VARCHAR)`
          : `CAST(${sql} AS VARCHAR)`,
      )
  }
}

/** SQL for a text after its length in bytes and a colon; NULL when the text is NULL. */
function lengthPrefixed(text: string): string {
  return `(CAST(strlen(${text}) AS VARCHAR) || ':' || ${text})`
}

/** A name as it goes into the canonical text: its length in UTF-8 bytes, a colon, the name. */
function prefixed(name: string): string {
  return `${new TextEncoder().encode(name).length}:${name}`
}

/** The content hashes of rows (by rowid); rows past the end of the dataset are left out. */
export async function rowHashes(
  engine: Engine,
  dataset: HashedDataset,
  rows: readonly number[],
): Promise<Map<number, string>> {
  const wanted = rows.filter((row) => Number.isSafeInteger(row) && row >= 0)
  if (wanted.length === 0) return new Map()
  // One list parameter, split in SQL: the hash is computed only for the rows that are asked for.
  const result = await engine.query(
    `SELECT rowid AS row, ${rowHashSql(dataset.columns)} AS hash FROM ${quoteIdent(dataset.table)}
      WHERE rowid IN (SELECT CAST(unnest(string_split(?, ',')) AS BIGINT))`,
    [wanted.join(',')],
  )
  return new Map(result.rows.map((r) => [Number(r.row), valueText(r.hash ?? null)]))
}

/** The rows whose content hash is one of `hashes`, in row order. Hashes every row of the dataset. */
async function rowsWithHashes(
  engine: Engine,
  dataset: HashedDataset,
  hashes: readonly string[],
): Promise<Map<string, number[]>> {
  const result = await engine.query(
    `SELECT row, hash FROM (SELECT rowid AS row, ${rowHashSql(dataset.columns)} AS hash FROM ${quoteIdent(dataset.table)})
      WHERE hash IN (SELECT unnest(string_split(?, ','))) ORDER BY row`,
    [hashes.join(',')],
  )
  const rows = new Map<string, number[]>()
  for (const r of result.rows) {
    const hash = valueText(r.hash ?? null)
    const list = rows.get(hash) ?? []
    list.push(Number(r.row))
    rows.set(hash, list)
  }
  return rows
}

/** A flag whose row's content was found at another position. */
export interface FlagMove {
  readonly from: number
  readonly to: number
}

/** Saved flags reconciled with the dataset as it is now. */
export interface FlagPlacement {
  /** The document with every flag found moved to its row now; orphaned flags kept as they were. */
  readonly document: FlagsDocument
  /** Flags on a row of the dataset now, in row order: what the flags table holds. */
  readonly placed: readonly RowFlag[]
  /** Flags whose content was found at another row than the one saved (the file was reordered). */
  readonly moved: readonly FlagMove[]
  /**
   * Flags whose content is nowhere in the dataset now (the row was edited or removed). They stay in
   * the document with their old row, attached to no row, until the person removes them.
   */
  readonly orphaned: readonly RowFlag[]
}

/**
 * Places saved flags on the dataset as it is now: a flag stays where its row still has its hash;
 * otherwise it moves to the nearest row with that hash not already flagged, or is orphaned.
 *
 * Only the flagged rows are hashed when every flag still matches, so reopening a large file costs
 * a few hashes; the whole table is hashed only when some flag does not match at its row.
 */
export async function placeFlags(
  engine: Engine,
  dataset: HashedDataset,
  doc: FlagsDocument,
): Promise<FlagPlacement> {
  const current = await rowHashes(
    engine,
    dataset,
    doc.flags.map((flag) => flag.row),
  )
  const placed: RowFlag[] = []
  const unmatched: RowFlag[] = []
  for (const flag of doc.flags) {
    if (current.get(flag.row) === flag.hash) placed.push(flag)
    else unmatched.push(flag)
  }
  const moved: FlagMove[] = []
  const orphaned: RowFlag[] = []
  if (unmatched.length > 0) {
    const taken = new Set(placed.map((flag) => flag.row))
    const found = await rowsWithHashes(engine, dataset, [
      ...new Set(unmatched.map((flag) => flag.hash)),
    ])
    for (const flag of unmatched) {
      const to = nearest(found.get(flag.hash) ?? [], flag.row, taken)
      if (to === null) {
        orphaned.push(flag)
        continue
      }
      taken.add(to)
      placed.push({ ...flag, row: to })
      moved.push({ from: flag.row, to })
    }
  }
  placed.sort(compareFlags)
  return {
    document: { ...doc, flags: [...placed, ...orphaned].sort(compareFlags) },
    placed,
    moved,
    orphaned,
  }
}

/** The row of `rows` closest to `row` that is not taken (the lower one on a tie); null if none. */
function nearest(rows: readonly number[], row: number, taken: ReadonlySet<number>): number | null {
  let best: number | null = null
  for (const candidate of rows) {
    if (taken.has(candidate)) continue
    if (best === null || Math.abs(candidate - row) < Math.abs(best - row)) best = candidate
  }
  return best
}

/** Separates notes in the one text parameter that carries them all (a control character). */
const NOTE_SEPARATOR = '\u001f'

/**
 * (Re)creates the dataset's flags table (`__rl_row BIGINT, note VARCHAR`) holding `flags`, the
 * placed ones; with none it is created empty, as it must be at open for the filter to read it.
 *
 * The rows and notes go in as two text parameters split in SQL (one statement, however many flags;
 * building Arrow in the page is not an option under the app's CSP), and the table is replaced in
 * that one statement, so a query running meanwhile sees the old flags or the new.
 */
export async function syncFlagsTable(
  engine: Engine,
  table: string,
  flags: readonly RowFlag[],
): Promise<void> {
  const target = quoteIdent(relationNames(table).flags)
  const row = UNIT_COLUMNS.row
  if (flags.length === 0) {
    await engine.exec(`CREATE OR REPLACE TABLE ${target} (${row} BIGINT, note VARCHAR)`)
    return
  }
  const rows = flags.map((flag) => flag.row).join(',')
  const notes = flags.map((flag) => flag.note.replaceAll(NOTE_SEPARATOR, ' ')).join(NOTE_SEPARATOR)
  await engine.query(
    `CREATE OR REPLACE TABLE ${target} AS
     SELECT CAST(unnest(string_split(?, ',')) AS BIGINT) AS ${row},
            unnest(string_split(?, chr(31))) AS note
      ORDER BY ${row}`,
    [rows, notes],
  )
}
