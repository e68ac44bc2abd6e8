/**
 * Builds Arrow record batches from parsed JSON rows with a schema known in advance.
 *
 * The output is an Arrow IPC stream, which the engine inserts as is; nested structs and lists stay
 * real Arrow types, so the engine sees `STRUCT(...)[]` and not text.
 */
import { Field, RecordBatch, Schema, Struct, Table, makeData, tableToIPC } from 'apache-arrow'
import { arrowType } from './arrowType'
import { type ColumnBuilder, columnBuilder } from './columns'
import type { StoredField, StoredType } from './schema'

/** Where a row came from: its file (shard index), byte offset and byte length in that file. */
export interface RowOrigin {
  readonly file: number
  readonly offset: number
  readonly bytes: number
}

/** Columns RewardLens adds to every JSON-sourced table; the prefix is reserved. */
export const ORIGIN_COLUMNS = {
  file: '__rl_file',
  offset: '__rl_offset',
  bytes: '__rl_bytes',
} as const

/** Column names starting with this belong to RewardLens, not to the dataset. */
export const RESERVED_PREFIX = '__rl_'

const ORIGIN_TYPES: readonly [string, StoredType][] = [
  [ORIGIN_COLUMNS.file, { kind: 'int' }],
  [ORIGIN_COLUMNS.offset, { kind: 'int' }],
  [ORIGIN_COLUMNS.bytes, { kind: 'int' }],
]

/** Accumulates rows into Arrow columns and emits them as IPC stream batches. */
export class ArrowBatchBuilder {
  private readonly builders: ColumnBuilder[]
  private readonly origin: ColumnBuilder[]
  private readonly schema: Schema
  private count = 0

  constructor(private readonly fields: readonly StoredField[]) {
    this.builders = fields.map((f) => columnBuilder(f.type))
    this.origin = ORIGIN_TYPES.map(([, type]) => columnBuilder(type))
    this.schema = new Schema([
      ...fields.map((f) => new Field(f.name, arrowType(f.type), true)),
      ...ORIGIN_TYPES.map(([name, type]) => new Field(name, arrowType(type), false)),
    ])
  }

  /** Rows added since the last flush. */
  get length(): number {
    return this.count
  }

  /** Adds one parsed row and where it came from. */
  add(row: Readonly<Record<string, unknown>>, origin: RowOrigin): void {
    const { fields, builders } = this
    for (let i = 0; i < fields.length; i++) builders[i]!.append(row[fields[i]!.key])
    this.origin[0]!.append(origin.file)
    this.origin[1]!.append(origin.offset)
    this.origin[2]!.append(origin.bytes)
    this.count++
  }

  /** Returns the rows added so far as one Arrow IPC stream and starts a new batch. */
  flush(): Uint8Array {
    const children = [...this.builders, ...this.origin].map((b) => b.finish())
    const type = new Struct(this.schema.fields)
    const data = makeData({ type, length: this.count, nullCount: 0, children })
    this.count = 0
    return tableToIPC(new Table([new RecordBatch(this.schema, data)]), 'stream')
  }
}
