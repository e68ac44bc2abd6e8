/**
 * Builds Arrow record batches from parsed JSON rows with a schema known in advance.
 *
 * The output is an Arrow IPC stream, which the engine inserts as is; nested structs and lists stay
 * real Arrow types, so the engine sees `STRUCT(...)[]` and not text.
 */
import {
  Bool,
  type Builder,
  type DataType,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Struct,
  Table,
  Utf8,
  type Vector,
  makeBuilder,
  tableToIPC,
} from 'apache-arrow'
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

/** The Arrow type of a stored type. */
export function arrowType(type: StoredType): DataType {
  switch (type.kind) {
    case 'bool':
      return new Bool()
    case 'int':
      return new Int64()
    case 'float':
      return new Float64()
    case 'string':
      return new Utf8()
    case 'list':
      return new List(new Field('item', arrowType(type.element), true))
    case 'struct':
      return new Struct(type.fields.map((f) => new Field(f.name, arrowType(f.type), true)))
  }
}

/** Converts a parsed JSON value to what the Arrow builder of its stored type accepts. */
export function builderValue(value: unknown, type: StoredType): unknown {
  if (value === null || value === undefined) return null
  switch (type.kind) {
    case 'bool':
      return typeof value === 'boolean' ? value : null
    case 'int':
      return typeof value === 'number' ? BigInt(value) : null
    case 'float':
      return typeof value === 'number' ? value : null
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value)
    case 'list': {
      if (!Array.isArray(value)) return null
      return value.map((item) => builderValue(item, type.element))
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return null
      const source = value as Record<string, unknown>
      const out: Record<string, unknown> = {}
      for (const field of type.fields) out[field.name] = builderValue(source[field.key], field.type)
      return out
    }
  }
}

/** Accumulates rows into Arrow columns and emits them as IPC stream batches. */
export class ArrowBatchBuilder {
  private builders: Builder[] = []
  private fileBuilder!: Builder<Int32>
  private offsetBuilder!: Builder<Float64>
  private bytesBuilder!: Builder<Int32>
  private count = 0

  constructor(private readonly fields: readonly StoredField[]) {
    this.reset()
  }

  /** Rows added since the last flush. */
  get length(): number {
    return this.count
  }

  /** Adds one parsed row and where it came from. */
  add(row: Readonly<Record<string, unknown>>, origin: RowOrigin): void {
    const { fields, builders } = this
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!
      builders[i]!.append(builderValue(row[field.key], field.type))
    }
    this.fileBuilder.append(origin.file)
    this.offsetBuilder.append(origin.offset)
    this.bytesBuilder.append(origin.bytes)
    this.count++
  }

  /** Returns the rows added so far as one Arrow IPC stream and starts a new batch. */
  flush(): Uint8Array {
    const columns: Record<string, Vector> = {}
    this.fields.forEach((field, i) => {
      columns[field.name] = this.builders[i]!.finish().toVector()
    })
    columns[ORIGIN_COLUMNS.file] = this.fileBuilder.finish().toVector()
    columns[ORIGIN_COLUMNS.offset] = this.offsetBuilder.finish().toVector()
    columns[ORIGIN_COLUMNS.bytes] = this.bytesBuilder.finish().toVector()
    const ipc = tableToIPC(new Table(columns), 'stream')
    this.reset()
    return ipc
  }

  private reset(): void {
    const nullValues = [null, undefined]
    this.builders = this.fields.map((f) => makeBuilder({ type: arrowType(f.type), nullValues }))
    this.fileBuilder = makeBuilder({ type: new Int32(), nullValues })
    this.offsetBuilder = makeBuilder({ type: new Float64(), nullValues })
    this.bytesBuilder = makeBuilder({ type: new Int32(), nullValues })
    this.count = 0
  }
}
