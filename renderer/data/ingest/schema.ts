/**
 * Schema inference for JSON rows: one type per column, widened as rows are seen.
 *
 * The rules follow what a person expects of a table built from messy JSON: ints and floats in one
 * field become floats, struct keys are unioned, nulls are allowed anywhere, and values that cannot
 * share a type (a string here, an object there) fall back to text so nothing is dropped.
 */

/** The type inferred for one JSON value position (a column, a struct field, a list element). */
export type InferredType =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'int' }
  | { readonly kind: 'float' }
  | { readonly kind: 'string' }
  | { readonly kind: 'list'; readonly element: InferredType }
  | { readonly kind: 'struct'; readonly fields: ReadonlyMap<string, InferredType> }

/** Objects with more distinct keys than this are maps, not records: they are kept as JSON text. */
export const MAX_STRUCT_FIELDS = 256

const NULL: InferredType = { kind: 'null' }
const BOOL: InferredType = { kind: 'bool' }
const INT: InferredType = { kind: 'int' }
const FLOAT: InferredType = { kind: 'float' }
const STRING: InferredType = { kind: 'string' }

const FLOAT_LITERAL = /"([^"\\]{1,200})"\s*:\s*\[?\s*-?\d+[.eE]/g

/**
 * The keys whose value is written as a float literal (`1.0`, `2e3`) somewhere in a record.
 *
 * JSON.parse turns `1.0` into the integer 1, so a column written `1.0, 0.0` would look integral;
 * a full-text reader like DuckDB's sees the decimal point. The key is matched by name at any depth
 * (and for a list, by its first element), which is what the writers of such files mean.
 */
export function floatKeysOf(text: string): ReadonlySet<string> | undefined {
  let keys: Set<string> | undefined
  for (const match of text.matchAll(FLOAT_LITERAL)) (keys ??= new Set()).add(match[1]!)
  return keys
}

/**
 * The type of one parsed JSON value. `floatKeys` names keys written as float literals in the
 * record's text, so their integral values still count as floats.
 */
export function typeOfValue(
  value: unknown,
  floatKeys?: ReadonlySet<string>,
  key = '',
): InferredType {
  if (value === null || value === undefined) return NULL
  switch (typeof value) {
    case 'boolean':
      return BOOL
    case 'number':
      return Number.isSafeInteger(value) && !floatKeys?.has(key) ? INT : FLOAT
    case 'string':
      return STRING
    case 'object': {
      if (Array.isArray(value)) {
        let element: InferredType = NULL
        for (const item of value) element = mergeTypes(element, typeOfValue(item, floatKeys, key))
        return { kind: 'list', element }
      }
      const fields = new Map<string, InferredType>()
      for (const field in value) {
        fields.set(field, typeOfValue((value as Record<string, unknown>)[field], floatKeys, field))
        if (fields.size > MAX_STRUCT_FIELDS) return STRING
      }
      return { kind: 'struct', fields }
    }
    default:
      return STRING
  }
}

/** The narrowest type that holds values of both types. */
export function mergeTypes(a: InferredType, b: InferredType): InferredType {
  if (a === b || b.kind === 'null') return a
  if (a.kind === 'null') return b
  if (a.kind === b.kind) {
    if (a.kind === 'list' && b.kind === 'list') {
      const element = mergeTypes(a.element, b.element)
      return element === a.element ? a : { kind: 'list', element }
    }
    if (a.kind === 'struct' && b.kind === 'struct') return mergeStructs(a.fields, b.fields)
    return a
  }
  if ((a.kind === 'int' && b.kind === 'float') || (a.kind === 'float' && b.kind === 'int')) {
    return FLOAT
  }
  return STRING
}

function mergeStructs(
  a: ReadonlyMap<string, InferredType>,
  b: ReadonlyMap<string, InferredType>,
): InferredType {
  let merged: Map<string, InferredType> | null = null
  for (const [key, typeB] of b) {
    const typeA = a.get(key)
    const next = typeA === undefined ? typeB : mergeTypes(typeA, typeB)
    if (next !== typeA) {
      merged ??= new Map(a)
      merged.set(key, next)
    }
  }
  if (merged === null) return { kind: 'struct', fields: a }
  if (merged.size > MAX_STRUCT_FIELDS) return STRING
  return { kind: 'struct', fields: merged }
}

/** Infers the row type of a stream of JSON objects, one row at a time. */
export class SchemaBuilder {
  private columns = new Map<string, InferredType>()

  /** Widens the schema to hold this row; `floatKeys` as for `typeOfValue`. */
  add(row: Readonly<Record<string, unknown>>, floatKeys?: ReadonlySet<string>): void {
    for (const key in row) {
      const seen = this.columns.get(key)
      const type = typeOfValue(row[key], floatKeys, key)
      this.columns.set(key, seen === undefined ? type : mergeTypes(seen, type))
    }
  }

  /** The columns seen so far, in order of first appearance. */
  columnTypes(): ReadonlyMap<string, InferredType> {
    return this.columns
  }
}

/** A column or struct field as it will be stored: its JSON key and the name the engine uses. */
export interface StoredField {
  /** The key in the JSON object. */
  readonly key: string
  /** The column name in the engine; differs from `key` only to avoid a clash. */
  readonly name: string
  readonly type: StoredType
}

/** The final type of a stored value: the inferred type with every name made safe for the engine. */
export type StoredType =
  | { readonly kind: 'bool' | 'int' | 'float' | 'string' }
  | { readonly kind: 'list'; readonly element: StoredType }
  | { readonly kind: 'struct'; readonly fields: readonly StoredField[] }

/**
 * Turns inferred column types into stored fields.
 *
 * DuckDB compares names case-insensitively, so `Name` and `name` would clash: the later one is
 * renamed `name_2`. An all-null column is stored as text. Columns whose names start with the
 * reserved prefix are renamed too, so a file can never shadow RewardLens's own columns.
 */
export function toStoredFields(
  columns: ReadonlyMap<string, InferredType>,
  reservedPrefix = '',
): StoredField[] {
  const taken = new Set<string>()
  const fields: StoredField[] = []
  for (const [key, type] of columns) {
    let base = key === '' ? 'column' : key
    // DuckDB compares names without case, so `__RL_FILE` would clash with RewardLens's own column.
    if (reservedPrefix !== '' && base.toLowerCase().startsWith(reservedPrefix)) base = `_${base}`
    let name = base
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`
    taken.add(name.toLowerCase())
    fields.push({ key, name, type: toStoredType(type) })
  }
  return fields
}

function toStoredType(type: InferredType): StoredType {
  switch (type.kind) {
    case 'null':
      return { kind: 'string' }
    case 'list':
      return { kind: 'list', element: toStoredType(type.element) }
    case 'struct':
      return type.fields.size === 0
        ? { kind: 'string' }
        : { kind: 'struct', fields: toStoredFields(type.fields) }
    default:
      return { kind: type.kind }
  }
}

/** A short SQL-like rendering of a stored type, for messages and tests: `STRUCT(a BIGINT)[]`. */
export function describeType(type: StoredType): string {
  switch (type.kind) {
    case 'bool':
      return 'BOOLEAN'
    case 'int':
      return 'BIGINT'
    case 'float':
      return 'DOUBLE'
    case 'string':
      return 'VARCHAR'
    case 'list':
      return `${describeType(type.element)}[]`
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `${typeFieldName(f.name)} ${describeType(f.type)}`).join(', ')})`
  }
}

/** A struct field name as DuckDB prints it in a type: quoted unless a plain identifier. */
function typeFieldName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/i.test(name) ? name : `"${name.replaceAll('"', '""')}"`
}

/**
 * True when a value can be stored under an inferred type exactly as a full scan would store it.
 *
 * A position seen only as null (or an empty list) is still unknown, so any value there does not
 * fit; text holds anything, since a full scan would have widened it to text as well.
 */
export function fitsType(value: unknown, type: InferredType): boolean {
  if (value === null || value === undefined) return true
  switch (type.kind) {
    case 'null':
      return false
    case 'string':
      return true
    case 'bool':
      return typeof value === 'boolean'
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value)
    case 'float':
      return typeof value === 'number'
    case 'list': {
      if (!Array.isArray(value)) return false
      for (const item of value) if (!fitsType(item, type.element)) return false
      return true
    }
    case 'struct':
      return (
        typeof value === 'object' &&
        !Array.isArray(value) &&
        fitsFields(value as Record<string, unknown>, type.fields)
      )
  }
}

/** True when every key of a row is a known column and its value fits that column. */
export function fitsFields(
  row: Readonly<Record<string, unknown>>,
  fields: ReadonlyMap<string, InferredType>,
): boolean {
  for (const key in row) {
    const type = fields.get(key)
    if (type === undefined || !fitsType(row[key], type)) return false
  }
  return true
}
