/**
 * Arrow record batches into a native DuckDB table: the native engine's `insertArrowIPC`.
 *
 * Native DuckDB has no Arrow IPC reader built in (that is a downloadable extension), so the batches
 * are decoded with apache-arrow and appended in data chunks through DuckDB's appender. The table is
 * created from the Arrow schema with the types DuckDB-WASM gives the same schema, so the app's SQL
 * sees the same columns on either engine.
 */
import {
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBStructType,
  type DuckDBType,
  JSToDuckDBValueConverter,
  structValue,
} from '@duckdb/node-api'
import { type Data, type DataType, type Field, Type, makeVector, tableFromIPC } from 'apache-arrow'
import { quoteIdent } from '../../shared/sql'

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048

/** The DuckDB column type of an Arrow type, as DuckDB-WASM's Arrow scan maps it. */
export function duckTypeOf(type: DataType): string {
  switch (type.typeId) {
    case Type.Null:
      return 'INTEGER'
    case Type.Bool:
      return 'BOOLEAN'
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean }
      const name = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[bitWidth]
      return `${isSigned ? '' : 'U'}${name ?? 'BIGINT'}`
    }
    case Type.Float: {
      const { precision } = type as unknown as { precision: number }
      // Arrow's Precision: HALF = 0, SINGLE = 1, DOUBLE = 2.
      return precision === 2 ? 'DOUBLE' : 'FLOAT'
    }
    case Type.Decimal: {
      const { precision, scale } = type as unknown as { precision: number; scale: number }
      return precision <= 38 ? `DECIMAL(${precision}, ${scale})` : 'DOUBLE'
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'VARCHAR'
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return 'BLOB'
    case Type.Date:
      return 'DATE'
    case Type.Timestamp: {
      const { timezone } = type as unknown as { timezone: string | null }
      return timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP'
    }
    case Type.List:
    case Type.FixedSizeList:
      return `${duckTypeOf(childType(type, 0))}[]`
    case Type.Struct: {
      const fields = childrenOf(type)
      if (fields.length === 0) return 'VARCHAR'
      return `STRUCT(${fields.map((f) => `${quoteIdent(f.name)} ${duckTypeOf(f.type)}`).join(', ')})`
    }
    case Type.Map: {
      const entry = childType(type, 0)
      return `MAP(${duckTypeOf(childType(entry, 0))}, ${duckTypeOf(childType(entry, 1))})`
    }
    case Type.Dictionary:
      return duckTypeOf((type as unknown as { dictionary: DataType }).dictionary)
    default:
      // Times, intervals, unions: kept as their text.
      return 'VARCHAR'
  }
}

function childrenOf(type: DataType): readonly Field<DataType>[] {
  return (type.children as Field<DataType>[] | undefined) ?? []
}

function childType(type: DataType, index: number): DataType {
  const child = childrenOf(type)[index]
  if (!child) throw new Error(`An Arrow ${Type[type.typeId]} type has no child ${index}.`)
  return child.type
}

/**
 * An Arrow value as the plain JS value DuckDB's converter takes for the column type `duckTypeOf`
 * gives: Date for dates and timestamps, bigint for 64-bit integers and decimals, arrays for lists,
 * objects for structs, `{ key, value }` entries for maps.
 */
export function plainOf(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null
  switch (type.typeId) {
    case Type.Date:
    case Type.Timestamp:
      return value instanceof Date ? value : new Date(Number(value))
    case Type.Decimal: {
      const { precision, scale } = type as unknown as { precision: number; scale: number }
      const unscaled = toBigInt(value)
      return precision <= 38 ? unscaled : Number(unscaled) / 10 ** scale
    }
    case Type.List:
    case Type.FixedSizeList: {
      // Through the list's own data, column by column: its struct elements then read their
      // fields by position (a struct row's accessors answer `__proto__` with its prototype).
      const element = childType(type, 0)
      return (value as { readonly data: readonly Data[] }).data.flatMap((chunk) =>
        columnOf(chunk, element),
      )
    }
    case Type.Struct: {
      const row = value as Record<string, unknown>
      return Object.fromEntries(
        childrenOf(type).map((field) => [field.name, plainOf(row[field.name], field.type)]),
      )
    }
    case Type.Map: {
      const entry = childType(type, 0)
      const [keyType, valueType] = [childType(entry, 0), childType(entry, 1)]
      return Array.from(value as Iterable<[unknown, unknown]>, ([key, item]) => ({
        key: plainOf(key, keyType),
        value: plainOf(item, valueType),
      }))
    }
    case Type.Dictionary:
      return plainOf(value, (type as unknown as { dictionary: DataType }).dictionary)
    case Type.Int:
    case Type.Float:
    case Type.Bool:
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return value
    case Type.Null:
      return null
    default:
      return textOf(value)
  }
}

/**
 * Every value of one column of a record batch, as `plainOf` gives them. Lists and structs are
 * walked column by column (a list's items and a struct's fields converted once for the whole
 * batch, then cut per row), which is several times faster than reading each row through Arrow's
 * row proxies: AceCode's 80 completions a row are a list of structs.
 */
export function columnOf(data: Data, type: DataType): unknown[] {
  const out = new Array<unknown>(data.length)
  const valid = (i: number) => data.nullCount === 0 || data.getValid(i)
  switch (type.typeId) {
    case Type.List: {
      const offsets = data.valueOffsets as Int32Array
      const child = data.children[0]
      const items = child ? columnOf(child, childType(type, 0)) : []
      // A slice's offsets are cut to it already (Arrow slices them); its child is whole.
      for (let i = 0; i < data.length; i++) {
        out[i] = valid(i) ? items.slice(offsets[i], offsets[i + 1]) : null
      }
      return out
    }
    case Type.Struct: {
      const fields = childrenOf(type)
      const columns = fields.map((field, f) => columnOf(data.children[f]!, field.type))
      for (let i = 0; i < data.length; i++) {
        if (!valid(i)) {
          out[i] = null
          continue
        }
        // From entries: a field named `__proto__` is a value, not the object's prototype.
        out[i] = Object.fromEntries(fields.map((field, f) => [field.name, columns[f]![i]]))
      }
      return out
    }
    default: {
      const vector = makeVector(data)
      for (let i = 0; i < data.length; i++) out[i] = plainOf(vector.get(i), type)
      return out
    }
  }
}

/** Text for a value of a type kept as VARCHAR (times, intervals, unions). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'bigint') return value.toString()
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  )
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value
  const primitive = (value as { [Symbol.toPrimitive]?: (hint: string) => unknown })[
    Symbol.toPrimitive
  ]?.('default')
  return typeof primitive === 'bigint' ? primitive : BigInt(String(value))
}

/**
 * node-api's conversion of a plain value, but for structs, whose entries it builds by assignment:
 * a field named `__proto__` then set the object's prototype instead, and its type was looked up
 * by name the same way, so the append failed ("Failed to set column"). Here a struct's entries
 * are built from entries, their types taken by position.
 */
const toDuckDBValue: typeof JSToDuckDBValueConverter = (value, type, converter) => {
  if (!(type instanceof DuckDBStructType) || value === null || typeof value !== 'object') {
    return JSToDuckDBValueConverter(value, type, converter)
  }
  const fields = value as Readonly<Record<string, unknown>>
  return structValue(
    Object.fromEntries(
      type.entryNames.map((name, i) => [
        name,
        converter(fields[name] as never, type.entryTypes[i]!, converter),
      ]),
    ),
  )
}

/** Appends an Arrow IPC stream to `table`, creating the table from its schema when `create` is set. */
export async function appendArrowIPC(
  connection: DuckDBConnection,
  table: string,
  ipc: Uint8Array,
  create: boolean,
): Promise<void> {
  const arrow = tableFromIPC(ipc)
  const fields: readonly Field<DataType>[] = arrow.schema.fields
  if (create) {
    const columns = fields.map((f) => `${quoteIdent(f.name)} ${duckTypeOf(f.type)}`)
    await connection.run(`CREATE TABLE ${quoteIdent(table)} (${columns.join(', ')})`)
  }
  if (arrow.numRows === 0) return
  const appender = await connection.createAppender(table)
  try {
    const types: DuckDBType[] = fields.map((_, i) => appender.columnType(i))
    for (const batch of arrow.batches) {
      const columns = fields.map((field, i) => columnOf(batch.data.children[i]!, field.type))
      for (let start = 0; start < batch.numRows; start += CHUNK_ROWS) {
        const count = Math.min(CHUNK_ROWS, batch.numRows - start)
        const chunk = DuckDBDataChunk.create(types, count)
        for (let c = 0; c < fields.length; c++) {
          const values = columns[c]!.slice(start, start + count)
          chunk.setColumnValuesConverted(c, values as never[], toDuckDBValue)
        }
        appender.appendDataChunk(chunk)
      }
    }
    appender.flushSync()
  } finally {
    appender.closeSync()
  }
}
