/**
 * Parquet exports: each batch of rows becomes an Arrow record batch with the columns' own types
 * (64-bit integers, structs and lists nested as they are, real timestamps), and parquet-wasm
 * writes one ZSTD-compressed row group per batch as the batches stream through.
 */
import {
  Bool,
  type Data,
  type DataType,
  DateDay,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  tableToIPC,
} from 'apache-arrow'
import type { DuckType } from '../profile/duckType'
import type { CellValue } from '../values'
import type { ExportColumn } from './columns'
import { jsonValue } from './jsonText'

/** The parts of parquet-wasm the export uses (its browser and Node builds both have them). */
export interface ParquetWasm {
  readonly Table: {
    fromIPCStream(ipc: Uint8Array): { recordBatch(index: number): unknown; free(): void }
  }
  readonly WriterPropertiesBuilder: new () => WriterPropertiesBuilder
  readonly Compression: { readonly ZSTD: number }
  transformParquetStream(
    batches: ReadableStream,
    properties?: unknown,
  ): Promise<ReadableStream<Uint8Array>>
}

interface WriterPropertiesBuilder {
  setCompression(value: number): WriterPropertiesBuilder
  setMaxRowGroupSize(value: number): WriterPropertiesBuilder
  setCreatedBy(value: string): WriterPropertiesBuilder
  build(): unknown
}

/** The typed array a fixed-width column is written into. */
type NumberArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array

/** An Arrow type and how a batch of values becomes its column data. */
interface ArrowPlan {
  readonly type: DataType
  build(values: readonly CellValue[]): Data
}

/** A validity bitmap for values, and how many of them are null. */
function validityOf(
  values: readonly CellValue[],
  isValid: (value: CellValue) => boolean = (v) => v !== null,
): { bitmap: Uint8Array | null; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8))
  let nulls = 0
  values.forEach((value, i) => {
    if (isValid(value)) bitmap[i >> 3]! |= 1 << (i & 7)
    else nulls++
  })
  return { bitmap: nulls > 0 ? bitmap : null, nulls }
}

// makeData's overloads are per concrete type; these plans build the data of several, so the
// props are checked here and handed on as `never`.
function numberPlan(type: DataType, make: (length: number) => NumberArray): ArrowPlan {
  return {
    type,
    build(values) {
      const data = make(values.length)
      values.forEach((v, i) => {
        if (typeof v === 'number') data[i] = v
      })
      const { bitmap, nulls } = validityOf(values, (v) => typeof v === 'number')
      return makeData({
        type,
        length: values.length,
        nullCount: nulls,
        nullBitmap: bitmap,
        data,
      } as never)
    },
  }
}

/** A 64-bit integer from a value: numbers, and the digits of integers too large for a number. */
function bigIntOf(value: CellValue): bigint | null {
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value))
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value)
  return null
}

function bigIntPlan(type: DataType, unsigned: boolean): ArrowPlan {
  return {
    type,
    build(values) {
      const big = values.map(bigIntOf)
      const data = unsigned ? new BigUint64Array(values.length) : new BigInt64Array(values.length)
      big.forEach((v, i) => {
        if (v !== null) data[i] = v
      })
      const { bitmap, nulls } = validityOf(values, (v) => bigIntOf(v) !== null)
      return makeData({
        type,
        length: values.length,
        nullCount: nulls,
        nullBitmap: bitmap,
        data,
      } as never)
    },
  }
}

const boolPlan: ArrowPlan = {
  type: new Bool(),
  build(values) {
    const data = new Uint8Array(Math.ceil(values.length / 8))
    values.forEach((v, i) => {
      if (v === true) data[i >> 3]! |= 1 << (i & 7)
    })
    const { bitmap, nulls } = validityOf(values, (v) => typeof v === 'boolean')
    return makeData({
      type: new Bool(),
      length: values.length,
      nullCount: nulls,
      nullBitmap: bitmap,
      data,
    })
  },
}

const encoder = new TextEncoder()

/**
 * Text written straight into one UTF-8 buffer: most of an export's bytes are text (code,
 * completions), and `encodeInto` is several times faster than encoding value by value.
 */
function utf8Data(texts: readonly (string | null)[]): Data {
  const offsets = new Int32Array(texts.length + 1)
  let capacity = 1024
  for (const text of texts) if (text !== null) capacity += text.length
  let bytes = new Uint8Array(capacity)
  let at = 0
  texts.forEach((text, i) => {
    if (text !== null) {
      // Text that is not all ASCII takes more bytes than characters: grow until it fits.
      for (;;) {
        const written = encoder.encodeInto(text, bytes.subarray(at))
        if (written.read === text.length) {
          at += written.written
          break
        }
        const grown = new Uint8Array(Math.max(bytes.length * 2, at + text.length * 3))
        grown.set(bytes.subarray(0, at))
        bytes = grown
      }
    }
    offsets[i + 1] = at
  })
  const { bitmap, nulls } = validityOf(texts)
  return makeData({
    type: new Utf8(),
    length: texts.length,
    nullCount: nulls,
    nullBitmap: bitmap,
    valueOffsets: offsets,
    data: bytes.subarray(0, at),
  })
}

/** Text columns; `toText` turns a value that is not text yet (a map, a HUGEINT) into its JSON. */
function textPlan(type: DuckType): ArrowPlan {
  return {
    type: new Utf8(),
    build: (values) =>
      utf8Data(
        values.map((v) => (v === null ? null : typeof v === 'string' ? v : jsonValue(v, type))),
      ),
  }
}

function listPlan(element: DuckType): ArrowPlan {
  const child = arrowPlan(element)
  const type = new List(new Field('element', child.type, true))
  return {
    type,
    build(values) {
      const offsets = new Int32Array(values.length + 1)
      const items: CellValue[] = []
      values.forEach((v, i) => {
        if (Array.isArray(v)) items.push(...(v as readonly CellValue[]))
        offsets[i + 1] = items.length
      })
      const { bitmap, nulls } = validityOf(values, (v) => Array.isArray(v))
      return makeData({
        type,
        length: values.length,
        nullCount: nulls,
        nullBitmap: bitmap,
        valueOffsets: offsets,
        child: child.build(items),
      })
    },
  }
}

function structPlan(
  fields: readonly { readonly name: string; readonly type: DuckType }[],
): ArrowPlan {
  const children = fields.map((f) => ({ name: f.name, plan: arrowPlan(f.type) }))
  const type = new Struct(children.map((c) => new Field(c.name, c.plan.type, true)))
  const isRecord = (v: CellValue) => v !== null && typeof v === 'object' && !Array.isArray(v)
  return {
    type,
    build(values) {
      const records = values.map((v) =>
        isRecord(v) ? (v as { readonly [key: string]: CellValue }) : null,
      )
      const { bitmap, nulls } = validityOf(values, isRecord)
      return makeData({
        type,
        length: values.length,
        nullCount: nulls,
        nullBitmap: bitmap,
        children: children.map((c) => c.plan.build(records.map((r) => r?.[c.name] ?? null))),
      })
    },
  }
}

/**
 * The Arrow type of a DuckDB type, with column data built by hand: Arrow's own builders compile
 * code with `new Function`, which the app's Content-Security-Policy refuses. Types with no exact
 * counterpart here (maps, HUGEINT, BLOB, intervals) are written as their JSON text, so no value is
 * ever dropped.
 */
function arrowPlan(type: DuckType): ArrowPlan {
  switch (type.kind) {
    case 'list':
      return listPlan(type.element)
    case 'struct':
      return structPlan(type.fields)
    case 'map':
      return textPlan(type)
    case 'scalar':
      return scalarPlan(type)
  }
}

function scalarPlan(type: DuckType & { kind: 'scalar' }): ArrowPlan {
  switch (type.name) {
    case 'TINYINT':
      return numberPlan(new Int8(), (n) => new Int8Array(n))
    case 'SMALLINT':
      return numberPlan(new Int16(), (n) => new Int16Array(n))
    case 'INTEGER':
      return numberPlan(new Int32(), (n) => new Int32Array(n))
    case 'UTINYINT':
      return numberPlan(new Uint8(), (n) => new Uint8Array(n))
    case 'USMALLINT':
      return numberPlan(new Uint16(), (n) => new Uint16Array(n))
    case 'UINTEGER':
      return numberPlan(new Uint32(), (n) => new Uint32Array(n))
    case 'BIGINT':
      return bigIntPlan(new Int64(), false)
    case 'UBIGINT':
      return bigIntPlan(new Uint64(), true)
    case 'FLOAT':
    case 'REAL':
      return numberPlan(new Float32(), (n) => new Float32Array(n))
    case 'DOUBLE':
      return numberPlan(new Float64(), (n) => new Float64Array(n))
    case 'BOOLEAN':
      return boolPlan
    default:
      // DECIMAL arrives as a double (both engines convert it).
      if (type.name.startsWith('DECIMAL')) {
        return numberPlan(new Float64(), (n) => new Float64Array(n))
      }
      return textPlan(type)
  }
}

/** The plan of an export column: its own type, or exact integers for Parquet's time types. */
function columnPlan(column: ExportColumn): ArrowPlan {
  if (column.time === 'timestamp' || column.time === 'timestamptz') {
    const type = new TimestampMicrosecond(column.time === 'timestamptz' ? 'UTC' : null)
    return { type, build: (values) => bigIntPlan(type, false).build(values) }
  }
  if (column.time === 'date') return numberPlan(new DateDay(), (n) => new Int32Array(n))
  return arrowPlan(column.type)
}

/** Turns batches of rows into Arrow IPC streams, all with one schema. */
export class ArrowBatches {
  private readonly plans: readonly ArrowPlan[]
  private readonly schema: Schema

  constructor(columns: readonly ExportColumn[]) {
    this.plans = columns.map(columnPlan)
    this.schema = new Schema(columns.map((c, i) => new Field(c.name, this.plans[i]!.type, true)))
  }

  /** One record batch as an Arrow IPC stream, from each row's values in column order. */
  ipc(rows: readonly (readonly CellValue[])[]): Uint8Array {
    const children = this.plans.map((plan, i) => plan.build(rows.map((row) => row[i] ?? null)))
    const data = makeData({
      type: new Struct(this.schema.fields),
      length: rows.length,
      nullCount: 0,
      children,
    })
    return tableToIPC(new Table(this.schema, [new RecordBatch(this.schema, data)]), 'stream')
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

/**
 * Streams Parquet bytes from Arrow IPC batches: parquet-wasm pulls the next batch only when it has
 * written the previous one as a row group, so at most one batch and one row group are in memory.
 */
export async function* parquetChunks(
  wasm: ParquetWasm,
  batches: AsyncIterator<Uint8Array>,
  rowsPerGroup: number,
  createdBy: string,
): AsyncGenerator<Uint8Array> {
  let failure: unknown = null
  const input = new ReadableStream(
    {
      async pull(controller) {
        try {
          const next = await batches.next()
          if (next.done) {
            controller.close()
            return
          }
          const table = wasm.Table.fromIPCStream(next.value)
          const batch = table.recordBatch(0)
          table.free()
          controller.enqueue(batch)
        } catch (error) {
          failure = error
          controller.error(error)
        }
      },
    },
    { highWaterMark: 0 },
  )
  const properties = new wasm.WriterPropertiesBuilder()
    .setCompression(wasm.Compression.ZSTD)
    .setMaxRowGroupSize(Math.max(1, rowsPerGroup))
    .setCreatedBy(createdBy)
    .build()
  let stream: ReadableStream<Uint8Array>
  try {
    stream = await wasm.transformParquetStream(input, properties)
  } catch (error) {
    // parquet-wasm reports a failed first batch as a "dyn casting error"; the cause is ours.
    throw asError(failure ?? error)
  }
  const output = stream.getReader()
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>
      try {
        next = await output.read()
      } catch (error) {
        throw asError(failure ?? error)
      }
      if (next.done) break
      yield next.value
    }
    if (failure !== null) throw asError(failure)
  } finally {
    await output.cancel().catch(() => undefined)
    await batches.return?.()
  }
}
