/**
 * How the native engine reads Arrow batches: the DuckDB type each Arrow type gets, and the values
 * of a column walked column by column, the same as row by row through Arrow, nulls and slices too.
 */
import {
  vectorFromArray,
  Field,
  Int64,
  List,
  Struct,
  Utf8,
  Float64,
  Bool,
  tableFromArrays,
} from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { columnOf, duckTypeOf, plainOf } from '../../../electron/engine/arrowAppend'

const completion = new Struct([
  new Field('text', new Utf8(), true),
  new Field('pass_rate', new Float64(), true),
  new Field('tests', new List(new Field('item', new Int64(), true)), true),
])
const completions = new List(new Field('item', completion, true))

const rows = [
  [
    { text: 'def f(): pass', pass_rate: 0.5, tests: [1n, 2n] },
    null,
    { text: null, pass_rate: null, tests: null },
  ],
  null,
  [],
  [{ text: 'fn main() {}', pass_rate: 1, tests: [] }],
]

describe('duckTypeOf', () => {
  it('gives nested types the shape DuckDB-WASM gives them', () => {
    expect(duckTypeOf(completions)).toBe(
      'STRUCT("text" VARCHAR, "pass_rate" DOUBLE, "tests" BIGINT[])[]',
    )
    expect(duckTypeOf(new Bool())).toBe('BOOLEAN')
  })
})

describe('columnOf', () => {
  const vector = vectorFromArray(rows, completions)

  it('reads a list of structs as plainOf reads each row', () => {
    const byRow = Array.from({ length: vector.length }, (_, i) =>
      plainOf(vector.get(i), completions),
    )
    expect(columnOf(vector.data[0]!, completions)).toEqual(byRow)
    expect(byRow[0]).toEqual([
      { text: 'def f(): pass', pass_rate: 0.5, tests: [1n, 2n] },
      null,
      { text: null, pass_rate: null, tests: null },
    ])
    expect(byRow[1]).toBeNull()
  })

  it('reads a slice from where it starts', () => {
    const sliced = vector.slice(1, 4)
    expect(columnOf(sliced.data[0]!, completions)).toEqual([
      null,
      [],
      [{ text: 'fn main() {}', pass_rate: 1, tests: [] }],
    ])
    const table = tableFromArrays({ n: new Float64Array([1, 2, 3]) }).slice(1)
    const data = table.getChild('n')!.data[0]!
    expect(columnOf(data, data.type)).toEqual([2, 3])
  })
})
