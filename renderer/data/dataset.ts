/**
 * What a loaded dataset is: its table, its columns and how it was read. A leaf of the data layer:
 * the loader makes these, every query reads them, and it imports nothing but plain types.
 */
import type { Compression, DatasetFormat, DatasetSource } from '../../shared/host'
import type { FieldPath } from '../../shared/profile'
import type { Engine } from './engine'
import { RESERVED_PREFIX } from './ingest/arrowBatch'
import type { SkippedRecord } from './ingest/jsonDecoder'
import { parseDuckType, scalarKind } from './profile/duckType'
import { quoteIdent } from '../../shared/sql'
import { valueText } from './values'

/** The broad family of a column's (or a nested field's) type. */
export type ColumnKind = 'number' | 'text' | 'bool' | 'time' | 'list' | 'struct' | 'other'

/** A column of the loaded dataset. */
export interface ColumnInfo {
  readonly name: string
  /** DuckDB's type, e.g. `VARCHAR`, `DOUBLE`, `STRUCT(a BIGINT)[]`. */
  readonly type: string
  /** How the views treat it. */
  readonly kind: ColumnKind
}

/** A text field whose values are JSON documents, parsed once into a hidden column of the table. */
export interface JsonField {
  /** The text field: a column, or a field of a struct column. */
  readonly path: FieldPath
  /** The hidden column holding the parsed documents (`jsonColumn(path)`). */
  readonly column: string
  /** DuckDB's type of the parsed documents. */
  readonly type: string
}

/** The hidden column holding the parsed JSON of a text field. */
export function jsonColumn(path: FieldPath): string {
  return `${RESERVED_PREFIX}json:${JSON.stringify(path)}`
}

/** A dataset in the engine, ready to query. */
export interface LoadedDataset {
  readonly source: DatasetSource
  readonly format: DatasetFormat
  /** The engine table holding it. */
  readonly table: string
  readonly rowCount: number
  /** The dataset's own columns, in file order (RewardLens's `__rl_` columns left out). */
  readonly columns: readonly ColumnInfo[]
  /** Its text fields that hold JSON documents, parsed (their fields can be picked for roles). */
  readonly jsonFields: readonly JsonField[]
  /** Records that could not be read (the first MAX_LISTED_SKIPS of them). */
  readonly skipped: readonly SkippedRecord[]
  /** How many records could not be read in all. */
  readonly skippedCount: number
  /** Milliseconds from start to a queryable table. */
  readonly loadMs: number
  /** Bytes the engine held once the table was loaded (all tables, not only this one). */
  readonly engineBytes: number
  /** The engine holding it (`Engine.name`). */
  readonly engineName: string
  /**
   * How each file of the source is compressed (null: plain), by index; absent means all plain.
   * Offsets (`__rl_offset`) of a compressed file's rows are in its decompressed text.
   */
  readonly compressions?: readonly (Compression | null)[]
}

/** The kind of a DuckDB type, spelled (`STRUCT(a BIGINT)[]`) or parsed. */
export function columnKind(type: string | ReturnType<typeof parseDuckType>): ColumnKind {
  const parsed = typeof type === 'string' ? parseDuckType(type) : type
  if (parsed.kind === 'list') return 'list'
  if (parsed.kind === 'struct' || parsed.kind === 'map') return 'struct'
  return scalarKind(parsed.name)
}

/** The dataset's own columns of an engine table, in order (RewardLens's `__rl_` columns left out). */
export async function describeTable(engine: Engine, table: string): Promise<ColumnInfo[]> {
  const result = await engine.query(`DESCRIBE ${quoteIdent(table)}`)
  return result.rows
    .map((r) => ({
      name: valueText(r.column_name ?? null),
      type: valueText(r.column_type ?? null),
    }))
    .filter((c) => !c.name.startsWith(RESERVED_PREFIX))
    .map((c) => ({ ...c, kind: columnKind(c.type) }))
}
