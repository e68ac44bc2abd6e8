/**
 * JSON text for exports: values written with their column's type in mind, and original records
 * compacted or extended without re-encoding a single value.
 */
import { type DuckType, scalarKind } from '../profile/duckType'
import type { CellValue } from '../values'

const FLOAT_TYPE = /^(FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC)/
const INTEGER_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)/

/**
 * A value as JSON text. A whole number in a float column keeps its `.0`, so the file reads back as
 * the same type; a 64-bit integer too large for a JS number arrives as digits and stays digits.
 */
export function jsonValue(value: CellValue, type: DuckType): string {
  if (value === null) return 'null'
  switch (type.kind) {
    case 'list':
      if (!Array.isArray(value)) return JSON.stringify(value)
      return `[${(value as readonly CellValue[]).map((item) => jsonValue(item, type.element)).join(',')}]`
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value)
      const record = value as { readonly [key: string]: CellValue }
      const fields = type.fields.map(
        (field) =>
          `${JSON.stringify(field.name)}:${jsonValue(record[field.name] ?? null, field.type)}`,
      )
      return `{${fields.join(',')}}`
    }
    case 'map':
      return JSON.stringify(value)
    case 'scalar':
      return scalarJson(value, type.name)
  }
}

function scalarJson(value: CellValue, typeName: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'null'
    if (FLOAT_TYPE.test(typeName) && Number.isInteger(value) && Math.abs(value) < 1e21) {
      return `${value}.0`
    }
    return String(value)
  }
  if (typeof value === 'string' && INTEGER_TYPE.test(typeName) && /^-?\d+$/.test(value)) {
    return value
  }
  return JSON.stringify(value)
}

/** True for a type whose values are written as bare numbers. */
export function isNumberType(type: DuckType): boolean {
  return type.kind === 'scalar' && scalarKind(type.name) === 'number'
}

const SPACE = 0x20
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

function isJsonSpace(byte: number): boolean {
  return byte === SPACE || byte === LF || byte === CR || byte === TAB
}

/**
 * The record's JSON with the whitespace between tokens removed: one line, every value byte for
 * byte as written (numbers keep their spelling, strings their escapes, keys their order).
 */
export function compactJson(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length)
  let length = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    if (inString) {
      out[length++] = byte
      if (byte === BACKSLASH && i + 1 < bytes.length) out[length++] = bytes[++i]!
      else if (byte === QUOTE) inString = false
    } else if (!isJsonSpace(byte)) {
      out[length++] = byte
      if (byte === QUOTE) inString = true
    }
  }
  return out.subarray(0, length)
}

const encoder = new TextEncoder()

/**
 * The record with members appended before its closing brace (`"k":v,"k2":v2` text), as parts to
 * write in order; the original bytes are not copied or changed.
 */
export function appendMembers(record: Uint8Array, members: string): Uint8Array[] {
  if (members === '') return [record]
  let close = record.length - 1
  while (close >= 0 && isJsonSpace(record[close]!)) close--
  if (close < 0 || record[close] !== CLOSE_BRACE) {
    throw new Error('a record to extend must be a JSON object')
  }
  let open = 0
  while (open < close && isJsonSpace(record[open]!)) open++
  let inside = open + 1
  while (inside < close && isJsonSpace(record[inside]!)) inside++
  const empty = record[open] === OPEN_BRACE && inside === close
  return [
    record.subarray(0, close),
    encoder.encode(empty ? members : `,${members}`),
    record.subarray(close),
  ]
}
