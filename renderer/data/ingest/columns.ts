/**
 * Column builders that write Arrow buffers directly.
 *
 * apache-arrow's generic builders allocate per value (a new byte array per string, a BigInt per
 * integer) and cost several times the JSON parse. These write straight into growable typed
 * arrays: strings are UTF-8 encoded in place with `encodeInto`, integers are split into two
 * 32-bit words, and lists and structs are offsets and validity over child builders.
 */
import {
  Bool,
  type Data,
  Float64,
  Int64,
  type List,
  type Struct,
  Utf8,
  makeData,
} from 'apache-arrow'
import { arrowType } from './arrowType'
import type { StoredType } from './schema'

/** Builds one Arrow column from parsed JSON values. */
export interface ColumnBuilder {
  /** Appends a value; null and undefined are nulls, values of the wrong type become null. */
  append(value: unknown): void
  /** The values so far as Arrow data; the builder starts empty again. */
  finish(): Data
}

/** Makes the builder for a stored type. */
export function columnBuilder(type: StoredType): ColumnBuilder {
  switch (type.kind) {
    case 'bool':
      return new BoolBuilder()
    case 'int':
      return new Int64Builder()
    case 'float':
      return new Float64Builder()
    case 'string':
      return new Utf8Builder()
    case 'list':
      return new ListBuilder(type.element)
    case 'struct':
      return new StructBuilder(type)
  }
}

/** A validity bitmap that grows as values are appended. */
class Validity {
  private bits = new Uint8Array(64)
  length = 0
  nulls = 0

  push(valid: boolean): void {
    const i = this.length++
    if (i >> 3 >= this.bits.length) this.bits = grow(this.bits, (i >> 3) + 1)
    if (valid) this.bits[i >> 3]! |= 1 << (i & 7)
    else this.nulls++
  }

  /** The bitmap, or an empty one when there are no nulls (Arrow allows omitting it). */
  take(): { nullBitmap: Uint8Array; nullCount: number; length: number } {
    const out = {
      nullBitmap: this.nulls === 0 ? new Uint8Array(0) : this.bits.slice(0, (this.length + 7) >> 3),
      nullCount: this.nulls,
      length: this.length,
    }
    this.bits = new Uint8Array(64)
    this.length = 0
    this.nulls = 0
    return out
  }
}

function grow<T extends Uint8Array | Int32Array | Float64Array>(array: T, needed: number): T {
  let size = array.length * 2
  while (size < needed) size *= 2
  const next = new (array.constructor as new (n: number) => T)(size)
  next.set(array)
  return next
}

class BoolBuilder implements ColumnBuilder {
  private readonly validity = new Validity()
  private values = new Uint8Array(64)

  append(value: unknown): void {
    const i = this.validity.length
    if (i >> 3 >= this.values.length) this.values = grow(this.values, (i >> 3) + 1)
    const valid = typeof value === 'boolean'
    if (valid && value) this.values[i >> 3]! |= 1 << (i & 7)
    this.validity.push(valid)
  }

  finish(): Data {
    const v = this.validity.take()
    const data = this.values.slice(0, (v.length + 7) >> 3)
    this.values = new Uint8Array(64)
    return makeData({ type: new Bool(), ...v, data })
  }
}

class Float64Builder implements ColumnBuilder {
  private readonly validity = new Validity()
  private values = new Float64Array(1024)

  append(value: unknown): void {
    const i = this.validity.length
    if (i >= this.values.length) this.values = grow(this.values, i + 1)
    const valid = typeof value === 'number'
    this.values[i] = valid ? value : 0
    this.validity.push(valid)
  }

  finish(): Data {
    const v = this.validity.take()
    const data = this.values.slice(0, v.length)
    this.values = new Float64Array(1024)
    return makeData({ type: new Float64(), ...v, data })
  }
}

/** 64-bit integers as pairs of 32-bit words (little-endian), so no BigInt is made per value. */
class Int64Builder implements ColumnBuilder {
  private readonly validity = new Validity()
  private words = new Int32Array(2048)

  append(value: unknown): void {
    const i = this.validity.length
    if (2 * i + 1 >= this.words.length) this.words = grow(this.words, 2 * i + 2)
    const valid = typeof value === 'number' && Number.isSafeInteger(value)
    const n = valid ? value : 0
    this.words[2 * i] = n >>> 0
    this.words[2 * i + 1] = Math.floor(n / 4294967296)
    this.validity.push(valid)
  }

  finish(): Data {
    const v = this.validity.take()
    const data = new BigInt64Array(this.words.slice(0, 2 * v.length).buffer)
    this.words = new Int32Array(2048)
    return makeData({ type: new Int64(), ...v, data })
  }
}

const encoder = new TextEncoder()

/** Text, UTF-8 encoded straight into one growing buffer; anything not a string is kept as JSON. */
class Utf8Builder implements ColumnBuilder {
  private readonly validity = new Validity()
  private offsets = new Int32Array(1024)
  private bytes = new Uint8Array(64 * 1024)
  private used = 0

  append(value: unknown): void {
    const i = this.validity.length
    if (i + 1 >= this.offsets.length) this.offsets = grow(this.offsets, i + 2)
    const valid = value !== null && value !== undefined
    if (valid) {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      // UTF-8 needs at most 3 bytes per UTF-16 code unit.
      const worst = this.used + text.length * 3
      if (worst > this.bytes.length) this.bytes = grow(this.bytes, worst)
      this.used += encoder.encodeInto(text, this.bytes.subarray(this.used)).written
    }
    this.offsets[i + 1] = this.used
    this.validity.push(valid)
  }

  finish(): Data {
    const v = this.validity.take()
    const valueOffsets = this.offsets.slice(0, v.length + 1)
    const data = this.bytes.slice(0, this.used)
    this.offsets = new Int32Array(1024)
    this.bytes = new Uint8Array(64 * 1024)
    this.used = 0
    return makeData({ type: new Utf8(), ...v, valueOffsets, data })
  }
}

class ListBuilder implements ColumnBuilder {
  private readonly validity = new Validity()
  private offsets = new Int32Array(1024)
  private readonly child: ColumnBuilder
  private items = 0

  constructor(private readonly element: StoredType) {
    this.child = columnBuilder(element)
  }

  append(value: unknown): void {
    const i = this.validity.length
    if (i + 1 >= this.offsets.length) this.offsets = grow(this.offsets, i + 2)
    const valid = Array.isArray(value)
    if (valid) {
      for (const item of value as unknown[]) this.child.append(item)
      this.items += (value as unknown[]).length
    }
    this.offsets[i + 1] = this.items
    this.validity.push(valid)
  }

  finish(): Data {
    const v = this.validity.take()
    const valueOffsets = this.offsets.slice(0, v.length + 1)
    this.offsets = new Int32Array(1024)
    this.items = 0
    const child = this.child.finish()
    const type = arrowType({ kind: 'list', element: this.element }) as List
    return makeData({ type, ...v, valueOffsets, child })
  }
}

class StructBuilder implements ColumnBuilder {
  private readonly validity = new Validity()
  private readonly children: ColumnBuilder[]

  constructor(private readonly type: Extract<StoredType, { kind: 'struct' }>) {
    this.children = type.fields.map((f) => columnBuilder(f.type))
  }

  append(value: unknown): void {
    const valid = value !== null && typeof value === 'object' && !Array.isArray(value)
    const source = valid ? (value as Record<string, unknown>) : null
    const { fields } = this.type
    for (let i = 0; i < fields.length; i++) this.children[i]!.append(source?.[fields[i]!.key])
    this.validity.push(valid)
  }

  finish(): Data {
    const v = this.validity.take()
    const children = this.children.map((c) => c.finish())
    return makeData({ type: arrowType(this.type) as Struct, ...v, children })
  }
}
