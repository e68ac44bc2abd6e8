import { tableFromIPC } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { ArrowBatchBuilder, ORIGIN_COLUMNS } from '../../../renderer/data/ingest/arrowBatch'
import {
  SchemaBuilder,
  type StoredField,
  toStoredFields,
} from '../../../renderer/data/ingest/schema'
import { tableRows } from './arrowRead'

function fieldsFor(rows: readonly Record<string, unknown>[]): StoredField[] {
  const schema = new SchemaBuilder()
  for (const row of rows) schema.add(row)
  return toStoredFields(schema.columnTypes(), '__rl_')
}

function origin(i: number) {
  return { file: 0, offset: i * 100, bytes: 10 + i }
}

describe('ArrowBatchBuilder', () => {
  it('emits an IPC stream whose columns read back as the rows added, with origin columns last', () => {
    const rows = [
      { s: 'a', i: 1, f: 0.5, b: true, l: ['x'], st: { k: 1, t: [{ z: 'q' }] } },
      { s: null, i: -2, f: 2, b: false, l: [], st: { k: null, t: [] } },
      { i: 3, l: null, st: null },
    ]
    const builder = new ArrowBatchBuilder(fieldsFor(rows))
    rows.forEach((row, i) => builder.add(row, origin(i)))
    expect(builder.length).toBe(3)
    const table = tableFromIPC(builder.flush())
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      's',
      'i',
      'f',
      'b',
      'l',
      'st',
      ORIGIN_COLUMNS.file,
      ORIGIN_COLUMNS.offset,
      ORIGIN_COLUMNS.bytes,
    ])
    const read = tableRows(table).map((r) => ({
      ...r,
      [ORIGIN_COLUMNS.file]: Number(r[ORIGIN_COLUMNS.file]),
      [ORIGIN_COLUMNS.offset]: Number(r[ORIGIN_COLUMNS.offset]),
      [ORIGIN_COLUMNS.bytes]: Number(r[ORIGIN_COLUMNS.bytes]),
    }))
    expect(read).toEqual([
      {
        s: 'a',
        i: 1n,
        f: 0.5,
        b: true,
        l: ['x'],
        st: { k: 1n, t: [{ z: 'q' }] },
        __rl_file: 0,
        __rl_offset: 0,
        __rl_bytes: 10,
      },
      {
        s: null,
        i: -2n,
        f: 2,
        b: false,
        l: [],
        st: { k: null, t: [] },
        __rl_file: 0,
        __rl_offset: 100,
        __rl_bytes: 11,
      },
      {
        s: null,
        i: 3n,
        f: null,
        b: null,
        l: null,
        st: null,
        __rl_file: 0,
        __rl_offset: 200,
        __rl_bytes: 12,
      },
    ])
  })

  it('starts an empty batch after each flush', () => {
    const fields = fieldsFor([{ n: 1 }])
    const builder = new ArrowBatchBuilder(fields)
    builder.add({ n: 1 }, origin(0))
    builder.add({ n: 2 }, origin(1))
    expect(tableFromIPC(builder.flush()).numRows).toBe(2)
    expect(builder.length).toBe(0)
    builder.add({ n: 3 }, origin(2))
    const second = tableRows(tableFromIPC(builder.flush()))
    expect(second.map((r) => r.n)).toEqual([3n])
  })

  it('writes renamed columns under their new name, reading values by the JSON key', () => {
    const fields = fieldsFor([{ Name: 'A', name: 'b', __rl_file: 'mine' }])
    const builder = new ArrowBatchBuilder(fields)
    builder.add({ Name: 'A', name: 'b', __rl_file: 'mine' }, { file: 4, offset: 0, bytes: 1 })
    const [row] = tableRows(tableFromIPC(builder.flush()))
    expect(row).toMatchObject({ Name: 'A', name_2: 'b', ___rl_file: 'mine' })
    expect(Number(row?.__rl_file)).toBe(4)
  })

  it('stores a value of the wrong type for its column as null rather than failing', () => {
    const fields = fieldsFor([{ i: 1, b: true, l: [1], s: { k: 1 } }])
    const builder = new ArrowBatchBuilder(fields)
    builder.add({ i: 'x', b: 1, l: 'no', s: [1] }, origin(0))
    const [row] = tableRows(tableFromIPC(builder.flush()))
    expect(row).toMatchObject({ i: null, b: null, l: null, s: null })
  })

  it('keeps long and astral-plane text exact', () => {
    const long = `${'😀é中a'.repeat(40_000)}\r\n\t"`
    const fields = fieldsFor([{ t: 'x' }])
    const builder = new ArrowBatchBuilder(fields)
    builder.add({ t: long }, origin(0))
    builder.add({ t: '' }, origin(1))
    expect(tableRows(tableFromIPC(builder.flush())).map((r) => r.t)).toEqual([long, ''])
  })

  it('grows past its initial buffers without losing rows', () => {
    const fields = fieldsFor([{ n: 1, b: true, l: [1.5], t: 'x' }])
    const builder = new ArrowBatchBuilder(fields)
    const count = 5000
    for (let i = 0; i < count; i++) {
      builder.add(
        { n: i % 7 === 0 ? null : -i, b: i % 3 === 0, l: [i, i / 2], t: `r${i}` },
        origin(i),
      )
    }
    const rows = tableRows(tableFromIPC(builder.flush()))
    expect(rows).toHaveLength(count)
    for (const i of [0, 1, 7, 1023, 1024, 2047, 2048, 4999]) {
      expect(rows[i]).toMatchObject({
        n: i % 7 === 0 ? null : BigInt(-i),
        b: i % 3 === 0,
        l: [i, i / 2],
        t: `r${i}`,
      })
      expect(Number(rows[i]?.__rl_offset)).toBe(i * 100)
    }
  })
})
