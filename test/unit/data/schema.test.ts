import { describe, expect, it } from 'vitest'
import {
  type InferredType,
  MAX_STRUCT_FIELDS,
  SchemaBuilder,
  type StoredField,
  describeType,
  mergeTypes,
  toStoredFields,
  typeOfValue,
} from '../../../renderer/data/ingest/schema'

/** Infers the schema of some rows and renders it as `{ name: 'DUCKDB TYPE' }`. */
function schemaOf(
  rows: readonly Record<string, unknown>[],
  reservedPrefix = '',
): Record<string, string> {
  return Object.fromEntries(
    fieldsOf(rows, reservedPrefix).map((f) => [f.name, describeType(f.type)]),
  )
}

function fieldsOf(rows: readonly Record<string, unknown>[], reservedPrefix = ''): StoredField[] {
  const builder = new SchemaBuilder()
  for (const row of rows) builder.add(row)
  return toStoredFields(builder.columnTypes(), reservedPrefix)
}

function objectWithKeys(count: number, prefix = 'k'): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, i]))
}

const INT: InferredType = { kind: 'int' }
const FLOAT: InferredType = { kind: 'float' }
const STRING: InferredType = { kind: 'string' }

describe('typeOfValue', () => {
  it('tells ints, floats, strings, bools and nulls apart', () => {
    expect(typeOfValue(3)).toEqual(INT)
    expect(typeOfValue(-7)).toEqual(INT)
    expect(typeOfValue(0.5)).toEqual(FLOAT)
    expect(typeOfValue('3')).toEqual(STRING)
    expect(typeOfValue(false)).toEqual({ kind: 'bool' })
    expect(typeOfValue(null)).toEqual({ kind: 'null' })
  })

  it('types integers beyond 2^53 as floats, since they cannot be kept exactly', () => {
    expect(typeOfValue(Number.MAX_SAFE_INTEGER)).toEqual(INT)
    expect(typeOfValue(Number.MAX_SAFE_INTEGER + 1)).toEqual(FLOAT)
    expect(typeOfValue(-(2 ** 60))).toEqual(FLOAT)
    expect(typeOfValue(JSON.parse('12345678901234567890'))).toEqual(FLOAT)
  })

  it('types a list by merging its elements', () => {
    expect(typeOfValue([1, 2.5, null])).toEqual({ kind: 'list', element: FLOAT })
    expect(typeOfValue([])).toEqual({ kind: 'list', element: { kind: 'null' } })
    expect(typeOfValue([1, 'a'])).toEqual({ kind: 'list', element: STRING })
  })

  it('keeps an object with MAX_STRUCT_FIELDS keys as a struct and one with more as text', () => {
    expect(MAX_STRUCT_FIELDS).toBe(256)
    expect(typeOfValue(objectWithKeys(MAX_STRUCT_FIELDS)).kind).toBe('struct')
    expect(typeOfValue(objectWithKeys(MAX_STRUCT_FIELDS + 1))).toEqual(STRING)
  })
})

describe('mergeTypes', () => {
  it('widens int and float to float in either order', () => {
    expect(mergeTypes(INT, FLOAT)).toEqual(FLOAT)
    expect(mergeTypes(FLOAT, INT)).toEqual(FLOAT)
  })

  it('falls back to text for types that cannot share a column', () => {
    expect(mergeTypes(STRING, INT)).toEqual(STRING)
    expect(mergeTypes(INT, STRING)).toEqual(STRING)
    expect(mergeTypes({ kind: 'bool' }, INT)).toEqual(STRING)
    expect(mergeTypes(typeOfValue({ a: 1 }), typeOfValue([1]))).toEqual(STRING)
    expect(mergeTypes(typeOfValue([1]), FLOAT)).toEqual(STRING)
  })

  it('lets null take any type', () => {
    expect(mergeTypes({ kind: 'null' }, INT)).toEqual(INT)
    expect(mergeTypes(INT, { kind: 'null' })).toEqual(INT)
  })
})

describe('SchemaBuilder and toStoredFields', () => {
  it('widens a column holding ints and floats to DOUBLE', () => {
    expect(schemaOf([{ score: 5 }, { score: 4.5 }, { score: 3 }])).toEqual({ score: 'DOUBLE' })
    expect(schemaOf([{ score: 4.5 }, { score: 5 }])).toEqual({ score: 'DOUBLE' })
  })

  it('keeps an all-int column BIGINT', () => {
    expect(schemaOf([{ n: 1 }, { n: -2 }, { n: 0 }])).toEqual({ n: 'BIGINT' })
  })

  it('stores a column with an integer beyond 2^53 as DOUBLE', () => {
    expect(schemaOf([{ id: 1 }, { id: 2 ** 53 + 2 }])).toEqual({ id: 'DOUBLE' })
  })

  it('stores a column holding strings and numbers as VARCHAR', () => {
    expect(schemaOf([{ seed: '1797' }, { seed: 1403 }])).toEqual({ seed: 'VARCHAR' })
    expect(schemaOf([{ seed: 1403 }, { seed: '1797' }])).toEqual({ seed: 'VARCHAR' })
  })

  it('unions struct keys across rows in order of first appearance', () => {
    expect(
      schemaOf([
        { trials: { t0: { result: 'Pass' } } },
        { trials: { t1: { result: 'Fail', coverage: 0.5 } } },
        { trials: { t0: { coverage: 1 }, t2: null } },
      ]),
    ).toEqual({
      trials:
        'STRUCT(t0 STRUCT(result VARCHAR, coverage BIGINT), t1 STRUCT(result VARCHAR, coverage DOUBLE), t2 VARCHAR)',
    })
  })

  it('merges list<struct> element types across rows and within a row', () => {
    expect(
      schemaOf([
        { inferences: [{ completion: 'a', completion_id: 0 }] },
        {
          inferences: [
            { completion_id: 1, pass_rate: 1 },
            { completion: 'b', pass_rate: 0.37 },
          ],
        },
        { inferences: [] },
      ]),
    ).toEqual({
      inferences: 'STRUCT(completion VARCHAR, completion_id BIGINT, pass_rate DOUBLE)[]',
    })
  })

  it('takes the type of the first non-null value after nulls and empty lists', () => {
    expect(
      schemaOf([
        { a: null, tests: [], info: null },
        { a: 2, tests: ['assert f()'], info: [{ docstring: null }] },
        { a: null, tests: null, info: [{ docstring: 'd', name: 'f' }] },
      ]),
    ).toEqual({
      a: 'BIGINT',
      tests: 'VARCHAR[]',
      info: 'STRUCT(docstring VARCHAR, name VARCHAR)[]',
    })
  })

  it('stores a column that is null in every row as VARCHAR, and an always-empty list as VARCHAR[]', () => {
    expect(
      schemaOf([
        { notes: null, tags: [] },
        { notes: null, tags: [] },
      ]),
    ).toEqual({
      notes: 'VARCHAR',
      tags: 'VARCHAR[]',
    })
  })

  it('stores an always-empty object as VARCHAR, but an empty object later filled as a struct', () => {
    expect(schemaOf([{ meta: {} }, { meta: {} }])).toEqual({ meta: 'VARCHAR' })
    expect(schemaOf([{ meta: {} }, { meta: { a: true } }])).toEqual({ meta: 'STRUCT(a BOOLEAN)' })
  })

  it('keeps keys that contain dots, spaces and unicode as they are', () => {
    const fields = fieldsOf([{ 'trial_qwen2.5_0': { 'x y': 1, é: 2 } }])
    expect(fields[0]?.key).toBe('trial_qwen2.5_0')
    expect(fields[0]?.name).toBe('trial_qwen2.5_0')
    const inner = fields[0]?.type
    expect(inner?.kind === 'struct' ? inner.fields.map((f) => f.name) : null).toEqual(['x y', 'é'])
  })

  it('renames a later column whose name differs only in case: Name + name -> name_2', () => {
    const fields = fieldsOf([{ Name: 'a' }, { name: 'b' }])
    expect(fields.map((f) => [f.key, f.name])).toEqual([
      ['Name', 'Name'],
      ['name', 'name_2'],
    ])
  })

  it('never gives two columns names that are equal ignoring case, even against existing _2 keys', () => {
    const fields = fieldsOf([{ a_2: 1, a: 1, A: 1, A_2: 1, '': 1, column: 1, COLUMN_2: 1 }])
    const names = fields.map((f) => f.name.toLowerCase())
    expect(new Set(names).size).toBe(fields.length)
    expect(fields.map((f) => f.key)).toEqual(['a_2', 'a', 'A', 'A_2', '', 'column', 'COLUMN_2'])
    expect(fields.find((f) => f.key === '')?.name).toMatch(/^column/)
  })

  it('renames case clashes inside structs too, keeping the JSON key', () => {
    const [field] = fieldsOf([{ s: { ID: 1, id: 'x' } }])
    expect(field && describeType(field.type)).toBe('STRUCT(ID BIGINT, id_2 VARCHAR)')
    expect(field?.type.kind === 'struct' ? field.type.fields.map((f) => f.key) : null).toEqual([
      'ID',
      'id',
    ])
  })

  it('renames columns that start with the reserved prefix, at the top level only', () => {
    const fields = fieldsOf([{ __rl_file: 1, __rl_offset: 2, plain: { __rl_file: 3 } }], '__rl_')
    expect(fields.map((f) => [f.key, f.name])).toEqual([
      ['__rl_file', '___rl_file'],
      ['__rl_offset', '___rl_offset'],
      ['plain', 'plain'],
    ])
    expect(describeType(fields[2]!.type)).toBe('STRUCT(__rl_file BIGINT)')
    for (const f of fields) expect(f.name.startsWith('__rl_')).toBe(false)
  })

  it('leaves reserved-looking names alone when no prefix is reserved', () => {
    expect(fieldsOf([{ __rl_file: 1 }]).map((f) => f.name)).toEqual(['__rl_file'])
  })

  // Regression (fixed; was in schema.ts line 141): the reserved-prefix test is case-sensitive, but DuckDB compares
  // names ignoring case. A JSON key "__RL_FILE" is kept, so the engine renames RewardLens's own
  // __rl_file column to __rl_file_1 and `SELECT __rl_file` then returns the file's data.
  it('renames columns that start with the reserved prefix in another case', () => {
    const fields = fieldsOf([{ __RL_FILE: 7, __Rl_Offset: 1 }], '__rl_')
    for (const f of fields) expect(f.name.toLowerCase().startsWith('__rl_')).toBe(false)
  })

  it('falls back to text when the union of struct keys across rows exceeds MAX_STRUCT_FIELDS', () => {
    const half = MAX_STRUCT_FIELDS / 2
    expect(
      schemaOf([{ m: objectWithKeys(half, 'a') }, { m: objectWithKeys(half, 'b') }]).m,
    ).toMatch(/^STRUCT\(/)
    expect(
      schemaOf([
        { m: objectWithKeys(half, 'a') },
        { m: objectWithKeys(half + 1, 'b') },
        { m: { a0: 1 } },
      ]),
    ).toEqual({ m: 'VARCHAR' })
  })

  it('falls back to text for a map-like object with more than MAX_STRUCT_FIELDS keys in one row', () => {
    expect(schemaOf([{ m: { a: 1 } }, { m: objectWithKeys(MAX_STRUCT_FIELDS + 1) }])).toEqual({
      m: 'VARCHAR',
    })
  })

  it('lists columns in order of first appearance across rows', () => {
    expect(
      Object.keys(
        schemaOf([
          { b: 1, a: 1 },
          { c: 1, a: 1 },
          { d: 1, b: 1 },
        ]),
      ),
    ).toEqual(['b', 'a', 'c', 'd'])
  })
})

describe('describeType', () => {
  it('spells types the way DuckDB does', () => {
    expect(describeType({ kind: 'bool' })).toBe('BOOLEAN')
    expect(describeType({ kind: 'int' })).toBe('BIGINT')
    expect(describeType({ kind: 'float' })).toBe('DOUBLE')
    expect(describeType({ kind: 'string' })).toBe('VARCHAR')
    expect(
      describeType({ kind: 'list', element: { kind: 'list', element: { kind: 'int' } } }),
    ).toBe('BIGINT[][]')
    const [field] = fieldsOf([{ inferences: [{ completion: 'x', completion_id: 0 }] }])
    expect(field && describeType(field.type)).toBe(
      'STRUCT(completion VARCHAR, completion_id BIGINT)[]',
    )
  })

  // Regression (fixed; was in schema.ts line 177, minor): DuckDB quotes struct field names that are not plain lowercase
  // identifiers (DESCRIBE of the real KodCode file says STRUCT("trial_qwen2.5_0" ...)), but
  // describeType writes them bare, so its output does not match DuckDB's for such keys.
  it('quotes struct field names the way DuckDB does', () => {
    const [field] = fieldsOf([{ trials: { 'trial_qwen2.5_0': 1 } }])
    expect(field && describeType(field.type)).toBe('STRUCT("trial_qwen2.5_0" BIGINT)')
  })
})
