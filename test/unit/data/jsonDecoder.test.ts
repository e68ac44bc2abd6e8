import { type Struct, tableFromIPC } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import {
  JsonBuildPass,
  JsonScanPass,
  MAX_LISTED_SKIPS,
  type ScanResult,
  detectLayout,
  parseRecord,
} from '../../../renderer/data/ingest/jsonDecoder'
import { type StoredField, describeType } from '../../../renderer/data/ingest/schema'
import { rowsOf } from './arrowRead'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Feeds files through a pass in chunks of `chunk` bytes. */
function feed(
  pass: JsonScanPass | JsonBuildPass,
  files: readonly Uint8Array[],
  chunk: number,
): void {
  files.forEach((bytes, index) => {
    pass.beginFile(index, bytes.subarray(0, 1024))
    for (let at = 0; at < bytes.length; at += chunk) pass.push(bytes.slice(at, at + chunk))
    pass.endFile()
  })
}

function scan(files: readonly Uint8Array[], chunk = 1 << 20): ScanResult {
  const pass = new JsonScanPass()
  feed(pass, files, chunk)
  return pass.result()
}

function build(
  fields: readonly StoredField[],
  files: readonly Uint8Array[],
  batchRows?: number,
  chunk = 1 << 20,
) {
  const pass = new JsonBuildPass(fields, batchRows)
  feed(pass, files, chunk)
  return pass.take(true)
}

function onlyBatch(batches: readonly Uint8Array[]): Uint8Array {
  expect(batches).toHaveLength(1)
  return batches[0] ?? new Uint8Array(0)
}

function typesOf(result: ScanResult): Record<string, string> {
  return Object.fromEntries(result.fields.map((f) => [f.name, describeType(f.type)]))
}

/** Byte offset where each line starts. */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0]
  bytes.forEach((b, i) => {
    if (b === 0x0a && i + 1 < bytes.length) starts.push(i + 1)
  })
  return starts
}

// Ten lines: line 3 is cut off, line 7 is an array, line 5 ends in CRLF, line 10 has no newline.
const LINES = [
  '{"id":1,"prompt":"p1","score":0.5,"meta":{"lang":"python","tags":["a","b"]},"inferences":[{"completion":"x","completion_id":0,"pass_rate":1}]}',
  '{"id":2,"prompt":"héllo 😀","score":1,"meta":{"lang":"rust","tags":[]},"inferences":[]}',
  '{"id":3,"prompt":"broken"',
  '{"id":4,"prompt":null,"score":0.25,"meta":null,"inferences":[{"completion":"y","completion_id":1,"pass_rate":0.5},{"completion":"z","completion_id":2}]}',
  '{"id":5,"score":-3,"meta":{"tags":["c"]}}\r',
  '{"id":9007199254740991,"prompt":"max safe","score":2.5,"meta":{"lang":"cpp","tags":null},"inferences":null}',
  '[1,2,3]',
  '{"id":8,"prompt":"a\\"quote\\\\back","score":0,"meta":{"lang":"c++","tags":["x","y","z"]},"inferences":[{"completion":"\\n","completion_id":3,"pass_rate":0}]}',
  '{"prompt":"no id","extra":true}',
  '{"id":10,"prompt":"last","score":1e2}',
]
const SAMPLE = encoder.encode(LINES.join('\n'))
const GOOD_LINES = [1, 2, 4, 5, 6, 8, 9, 10]

const EXPECTED_ROWS = [
  {
    id: 1n,
    prompt: 'p1',
    score: 0.5,
    meta: { lang: 'python', tags: ['a', 'b'] },
    inferences: [{ completion: 'x', completion_id: 0n, pass_rate: 1 }],
    extra: null,
  },
  {
    id: 2n,
    prompt: 'héllo 😀',
    score: 1,
    meta: { lang: 'rust', tags: [] },
    inferences: [],
    extra: null,
  },
  {
    id: 4n,
    prompt: null,
    score: 0.25,
    meta: null,
    inferences: [
      { completion: 'y', completion_id: 1n, pass_rate: 0.5 },
      { completion: 'z', completion_id: 2n, pass_rate: null },
    ],
    extra: null,
  },
  {
    id: 5n,
    prompt: null,
    score: -3,
    meta: { lang: null, tags: ['c'] },
    inferences: null,
    extra: null,
  },
  {
    id: 9007199254740991n,
    prompt: 'max safe',
    score: 2.5,
    meta: { lang: 'cpp', tags: null },
    inferences: null,
    extra: null,
  },
  {
    id: 8n,
    prompt: 'a"quote\\back',
    score: 0,
    meta: { lang: 'c++', tags: ['x', 'y', 'z'] },
    inferences: [{ completion: '\n', completion_id: 3n, pass_rate: 0 }],
    extra: null,
  },
  { id: null, prompt: 'no id', score: null, meta: null, inferences: null, extra: true },
  { id: 10n, prompt: 'last', score: 100, meta: null, inferences: null, extra: null },
]

describe('detectLayout', () => {
  it('reads a leading [ as an array, after any BOM and whitespace', () => {
    expect(detectLayout(encoder.encode('[{"a":1}]'))).toBe('array')
    expect(detectLayout(new Uint8Array([0xef, 0xbb, 0xbf, 0x20, 0x0d, 0x0a, 0x09, 0x5b]))).toBe(
      'array',
    )
  })

  it('reads anything else, or nothing, as lines', () => {
    expect(detectLayout(encoder.encode('  {"a":[1]}'))).toBe('lines')
    expect(detectLayout(encoder.encode('x['))).toBe('lines')
    expect(detectLayout(new Uint8Array(0))).toBe('lines')
    expect(detectLayout(encoder.encode(' \n '))).toBe('lines')
  })
})

describe('parseRecord', () => {
  it('returns the object of a JSON object record', () => {
    expect(parseRecord(encoder.encode('{"a":[1,{"b":null}]}'))).toEqual({
      row: { a: [1, { b: null }] },
      text: '{"a":[1,{"b":null}]}',
    })
  })

  it('says what a record holds when it is not an object', () => {
    expect(parseRecord(encoder.encode('[1]'))).toEqual({
      error: 'not a JSON object (found an array)',
    })
    expect(parseRecord(encoder.encode('null'))).toEqual({ error: 'not a JSON object (found null)' })
    expect(parseRecord(encoder.encode('42'))).toEqual({ error: 'not a JSON object (found number)' })
    expect(parseRecord(encoder.encode('"s"'))).toEqual({
      error: 'not a JSON object (found string)',
    })
    expect(parseRecord(encoder.encode('true'))).toEqual({
      error: 'not a JSON object (found boolean)',
    })
  })

  it('says a record is not valid JSON, with a short reason', () => {
    const parsed = parseRecord(encoder.encode(`{"a": "${'x'.repeat(1000)}`))
    expect('error' in parsed && parsed.error).toMatch(/^not valid JSON: /)
    expect('error' in parsed && parsed.error.length).toBeLessThanOrEqual(
      'not valid JSON: '.length + 160,
    )
  })

  it('says a record that is not UTF-8 may use another encoding', () => {
    // "café" in Latin-1: 0xE9 is not valid UTF-8 on its own.
    const latin1 = new Uint8Array([...encoder.encode('{"w":"caf'), 0xe9, ...encoder.encode('"}')])
    expect(parseRecord(latin1)).toEqual({
      error: 'not valid UTF-8 text (the file may use another encoding)',
    })
  })
})

describe('JsonScanPass', () => {
  it('counts good rows and lists the malformed line 3 and the non-object line 7 with reasons', () => {
    const result = scan([SAMPLE])
    expect(result.rows).toBe(8)
    expect(result.skippedCount).toBe(2)
    expect(result.skipped.map((s) => [s.file, s.line])).toEqual([
      [0, 3],
      [0, 7],
    ])
    expect(result.skipped[0]?.reason).toMatch(/^not valid JSON: /)
    expect(result.skipped[1]?.reason).toBe('not a JSON object (found an array)')
  })

  it('infers one schema from every good row, widening score to DOUBLE', () => {
    expect(typesOf(scan([SAMPLE]))).toEqual({
      id: 'BIGINT',
      prompt: 'VARCHAR',
      score: 'DOUBLE',
      meta: 'STRUCT(lang VARCHAR, tags VARCHAR[])',
      inferences: 'STRUCT(completion VARCHAR, completion_id BIGINT, pass_rate DOUBLE)[]',
      extra: 'BOOLEAN',
    })
  })

  it('finds the same rows, skips and schema whatever the chunk size', () => {
    const whole = scan([SAMPLE])
    for (const chunk of [1, 2, 5, 64]) expect(scan([SAMPLE], chunk)).toEqual(whole)
  })

  it('lists at most MAX_LISTED_SKIPS skipped records but counts them all', () => {
    const bad = Array.from({ length: MAX_LISTED_SKIPS + 50 }, (_, i) => (i % 2 ? 'oops' : '42'))
    const result = scan([encoder.encode(['{"a":1}', ...bad].join('\n'))])
    expect(result.rows).toBe(1)
    expect(result.skippedCount).toBe(MAX_LISTED_SKIPS + 50)
    expect(result.skipped).toHaveLength(MAX_LISTED_SKIPS)
    expect(result.skipped[0]?.line).toBe(2)
    expect(result.skipped.at(-1)?.line).toBe(MAX_LISTED_SKIPS + 1)
  })

  it('unions the schema across files and names the file of each skipped record', () => {
    const a = encoder.encode('{"n":1}\n{"n":2}\n')
    const b = encoder.encode('[\n  {"n": 2.5},\n  "nope"\n]')
    const result = scan([a, b])
    expect(result.rows).toBe(3)
    expect(typesOf(result)).toEqual({ n: 'DOUBLE' })
    expect(result.skipped).toEqual([
      { file: 1, line: 3, reason: 'not a JSON object (found string)' },
    ])
  })

  it('keeps the rows before a broken array and reports where the array broke', () => {
    const result = scan([encoder.encode('[\n{"a":1},\n{"a":2},\n{"a":')])
    expect(result.rows).toBe(2)
    expect(result.skipped).toEqual([
      { file: 0, line: 4, reason: 'the JSON array is not closed: the file may be truncated' },
    ])
  })

  it('renames a column that uses the reserved __rl_ prefix', () => {
    expect(scan([encoder.encode('{"__rl_offset":5,"x":1}')]).fields.map((f) => f.name)).toEqual([
      '___rl_offset',
      'x',
    ])
  })

  it('skips a record that is not UTF-8 and says so, keeping the others', () => {
    const bytes = new Uint8Array([
      ...encoder.encode('{"w":"ok"}\n{"w":"caf'),
      0xe9,
      ...encoder.encode('"}\n{"w":"fine"}\n'),
    ])
    const result = scan([bytes])
    expect(result.rows).toBe(2)
    expect(result.skipped).toEqual([
      { file: 0, line: 2, reason: 'not valid UTF-8 text (the file may use another encoding)' },
    ])
  })

  // Regression (fixed; was in schema.ts line 35 via jsonDecoder.ts parseRecord/JSON.parse): a number written as a float
  // with a zero fraction (1.0, 100.0) is typed BIGINT because JSON.parse drops the ".0". DuckDB's
  // own JSON reader types it DOUBLE. Real effect: KodCode `trials.*.test_coverage` (always written
  // 100.0, 92.0, ...) loads as BIGINT, and an AceCode shard whose pass_rate is only 0.0/1.0 would too.
  it('types a number written with a decimal point (1.0, 0.0) as DOUBLE', () => {
    expect(typesOf(scan([encoder.encode('{"pass_rate":1.0}\n{"pass_rate":0.0}\n')]))).toEqual({
      pass_rate: 'DOUBLE',
    })
  })
})

describe('JsonBuildPass', () => {
  it('emits rows that read back equal to the input, ints as BigInt and nested values intact', () => {
    const { fields } = scan([SAMPLE])
    const rows = rowsOf(build(fields, [SAMPLE]))
    expect(rows.map(({ __rl_file, __rl_offset, __rl_bytes, ...data }) => data)).toEqual(
      EXPECTED_ROWS,
    )
  })

  it('records each row origin: file, byte offset and byte length of its line, without CR', () => {
    const { fields } = scan([SAMPLE])
    const rows = rowsOf(build(fields, [SAMPLE]))
    const starts = lineStarts(SAMPLE)
    expect(rows.map((r) => Number(r.__rl_offset))).toEqual(
      GOOD_LINES.map((line) => starts[line - 1]),
    )
    expect(rows.map((r) => Number(r.__rl_file))).toEqual(GOOD_LINES.map(() => 0))
    expect(Number(rows[3]?.__rl_bytes)).toBe(encoder.encode(LINES[4]).length - 1)
    rows.forEach((row, i) => {
      const offset = Number(row.__rl_offset)
      const text = decoder.decode(SAMPLE.subarray(offset, offset + Number(row.__rl_bytes)))
      expect(text).toBe(LINES[GOOD_LINES[i]! - 1]!.replace(/\r$/, ''))
      const parsed = JSON.parse(text) as { id?: number }
      expect(parsed.id ?? null).toEqual(row.id === null ? null : Number(row.id))
    })
  })

  it('gives each row the index of the file it came from, and byte offsets within that file', () => {
    const a = encoder.encode('{"n":1}\n{"n":2}\n')
    const b = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('[\n  {"n": 3},\n  {"n": 4}\n]')])
    const { fields } = scan([a, b])
    const rows = rowsOf(build(fields, [a, b]))
    expect(
      rows.map((r) => [r.n, Number(r.__rl_file), Number(r.__rl_offset), Number(r.__rl_bytes)]),
    ).toEqual([
      [1n, 0, 0, 7],
      [2n, 0, 8, 7],
      [3n, 1, 7, 8],
      [4n, 1, 19, 8],
    ])
    expect(decoder.decode(b.subarray(19, 27))).toBe('{"n": 4}')
  })

  it('splits the rows into batches of at most batchRows, in order', () => {
    const { fields } = scan([SAMPLE])
    const pass = new JsonBuildPass(fields, 3)
    pass.beginFile(0, SAMPLE)
    pass.push(SAMPLE)
    const full = pass.take()
    pass.endFile()
    const last = pass.take(true)
    expect(full.map((ipc) => tableFromIPC(ipc).numRows)).toEqual([3, 3])
    expect(last.map((ipc) => tableFromIPC(ipc).numRows)).toEqual([2])
    expect(pass.rowCount).toBe(8)
    expect(rowsOf([...full, ...last]).map((r) => r.id)).toEqual(EXPECTED_ROWS.map((r) => r.id))
    expect(pass.take(true)).toEqual([])
  })

  it('builds the same rows whatever the chunk size', () => {
    const { fields } = scan([SAMPLE])
    const whole = rowsOf(build(fields, [SAMPLE]))
    for (const chunk of [1, 3, 17]) expect(rowsOf(build(fields, [SAMPLE], 2, chunk))).toEqual(whole)
  })

  it('stores values of a widened column as text when they could not share a type', () => {
    const bytes = encoder.encode('{"v":"a"}\n{"v":5}\n{"v":{"k":[1]}}\n{"v":true}\n{"v":null}')
    const result = scan([bytes])
    expect(typesOf(result)).toEqual({ v: 'VARCHAR' })
    expect(rowsOf(build(result.fields, [bytes])).map((r) => r.v)).toEqual([
      'a',
      '5',
      '{"k":[1]}',
      'true',
      null,
    ])
  })

  it('loads objects that have a "__proto__" key as ordinary data', () => {
    const bytes = encoder.encode('{"s":{"__proto__":5,"k":1}}\n')
    const result = scan([bytes])
    const table = tableFromIPC(onlyBatch(build(result.fields, [bytes])))
    const s = table.getChild('s')!
    expect((s.type as Struct).children.map((f) => f.name)).toEqual(['__proto__', 'k'])
    expect(s.getChildAt(0)?.get(0)).toBe(5n)
    expect(s.getChildAt(1)?.get(0)).toBe(1n)
  })

  it('loads a top-level "__proto__" key as an ordinary column', () => {
    const bytes = encoder.encode('{"__proto__":{"x":1},"k":2}\n')
    const result = scan([bytes])
    expect(typesOf(result)).toEqual(
      Object.fromEntries([
        ['__proto__', 'STRUCT(x BIGINT)'],
        ['k', 'BIGINT'],
      ]),
    )
    const table = tableFromIPC(onlyBatch(build(result.fields, [bytes])))
    expect(table.schema.fields.map((f) => f.name).slice(0, 2)).toEqual(['__proto__', 'k'])
    expect(table.getChild('__proto__')?.getChildAt(0)?.get(0)).toBe(1n)
  })

  it('keeps negative and large integers exact', () => {
    const values = [
      0,
      -1,
      -3,
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 32,
      -(2 ** 32),
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ]
    const bytes = encoder.encode(values.map((n) => JSON.stringify({ n })).join('\n'))
    const result = scan([bytes])
    expect(typesOf(result)).toEqual({ n: 'BIGINT' })
    expect(rowsOf(build(result.fields, [bytes])).map((r) => r.n)).toEqual(
      values.map((n) => BigInt(n)),
    )
  })
})

describe('JsonBuildPass without a scanned schema', () => {
  const SMALL_SAMPLE = { rows: 2, bytes: 1 << 20 }

  function guess(bytes: Uint8Array, chunk = 1 << 20) {
    const pass = new JsonBuildPass(null, 16_384, SMALL_SAMPLE)
    feed(pass, [bytes], chunk)
    return {
      batches: pass.take(true),
      drifted: pass.drifted,
      rows: pass.rowCount,
      ...pass.skippedRecords(),
    }
  }

  it('infers the schema from the first rows and builds the same rows as after a full scan', () => {
    const bytes = encoder.encode(
      '{"a":1,"b":"x"}\n{"a":2,"c":[1.5]}\nbad\n{"a":3,"b":null}\n{"c":[],"a":4}\n',
    )
    const guessed = guess(bytes, 3)
    expect(guessed.drifted).toBe(false)
    expect(guessed.rows).toBe(4)
    expect(guessed.skipped.map((s) => s.line)).toEqual([3])
    const { fields } = scan([bytes])
    expect(rowsOf(guessed.batches)).toEqual(rowsOf(build(fields, [bytes])))
  })

  it('builds from a sample that is never filled when the file is shorter than the sample', () => {
    const bytes = encoder.encode('{"a":1}')
    const guessed = guess(bytes)
    expect(guessed.drifted).toBe(false)
    expect(rowsOf(guessed.batches).map((r) => r.a)).toEqual([1n])
  })

  it.each([
    ['an int column gets a float', '{"a":1}\n{"a":2}\n{"a":2.5}'],
    ['a new key appears', '{"a":1}\n{"a":2}\n{"a":3,"b":1}'],
    ['a new struct key appears', '{"s":{"x":1}}\n{"s":{"x":2}}\n{"s":{"y":1}}'],
    ['an always-null column gets a value', '{"a":null}\n{"a":null}\n{"a":"now"}'],
    ['an always-empty list gets an item', '{"l":[]}\n{"l":[]}\n{"l":[1]}'],
    ['an int column gets an integer beyond 2^53', '{"a":1}\n{"a":2}\n{"a":9007199254740993}'],
    ['a bool column gets a string', '{"a":true}\n{"a":false}\n{"a":"yes"}'],
  ])('reports drift and emits no batches when %s after the sample', (_what, text) => {
    const guessed = guess(encoder.encode(text))
    expect(guessed.drifted).toBe(true)
    expect(guessed.batches).toEqual([])
  })

  it('does not report drift when later rows leave keys out, hold nulls or fit a wider type', () => {
    const text =
      '{"a":1.5,"s":"x","l":[{"k":1}]}\n{"a":2,"s":"y","l":null}\n{"a":3}\n{"s":{"any":1},"l":[{"k":null}]}'
    const guessed = guess(encoder.encode(text))
    expect(guessed.drifted).toBe(false)
    expect(guessed.rows).toBe(4)
  })
})
