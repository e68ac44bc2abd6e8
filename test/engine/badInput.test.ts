/**
 * Bad and awkward inputs through the real loader and the real DuckDB-WASM: what a person reads when
 * a file cannot be opened, and what lands in the table when it can.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  Field,
  Float64,
  Int64,
  List,
  Struct,
  Table,
  Utf8,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { LoadCancelled, LoadError } from '../../renderer/data/load'
import { quoteIdent } from '../../shared/sql'
import { fileSource, folderSource } from '../support/fileSource'
import { loadFiles, loadSource } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { itRealdata, realPath } from '../support/realdata'

const require = createRequire(import.meta.url)
const encoder = new TextEncoder()

let engine: Engine
let dir: string

beforeAll(async () => {
  engine = await createNodeEngine()
  dir = await mkdtemp(join(tmpdir(), 'rewardlens-bad-input-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes a file into the temp dir (or a sub-folder of it) and returns its path. */
async function put(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name)
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, typeof content === 'string' ? encoder.encode(content) : content)
  return path
}

/** The LoadError a load rejects with. */
async function loadError(load: Promise<LoadedDataset>): Promise<LoadError> {
  const error = await load.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(LoadError)
  return error as LoadError
}

async function tableCount(): Promise<number> {
  const result = await engine.query('SELECT count(*)::INTEGER AS n FROM duckdb_tables()')
  return Number(result.rows[0]?.n)
}

async function rowsOf(dataset: LoadedDataset, columns: string): Promise<Record<string, unknown>[]> {
  const result = await engine.query(
    `SELECT ${columns} FROM ${quoteIdent(dataset.table)} ORDER BY __rl_file, __rl_offset`,
  )
  return result.rows as Record<string, unknown>[]
}

function typesOf(dataset: LoadedDataset): Record<string, string> {
  return Object.fromEntries(dataset.columns.map((c) => [c.name, c.type]))
}

/** A Parquet file with a list<struct> column, written by parquet-wasm from an Arrow table. */
function nestedParquet(): Uint8Array {
  const inference = new Struct([
    new Field('completion', new Utf8(), true),
    new Field('completion_id', new Int64(), true),
    new Field('pass_rate', new Float64(), true),
  ])
  const meta = new Struct([
    new Field('source', new Utf8(), true),
    new Field('tags', new List(new Field('item', new Utf8(), true)), true),
  ])
  const table = new Table({
    id: vectorFromArray(['oss_1', 'oss_2'], new Utf8()),
    inferences: vectorFromArray(
      [
        [
          { completion: '\ndef f(): pass', completion_id: 0n, pass_rate: 1 },
          { completion: 'x', completion_id: 1n, pass_rate: 0.3684210526315789 },
        ],
        [],
      ],
      new List(new Field('item', inference, true)),
    ),
    meta: vectorFromArray([{ source: 'oss', tags: ['a', 'b'] }, null], meta),
  })
  const wasm = require('parquet-wasm') as {
    Table: { fromIPCStream(bytes: Uint8Array): unknown }
    writeParquet(table: unknown): Uint8Array
  }
  return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream')))
}

// Ten lines: line 3 is cut off and line 7 is an array, not an object.
const MALFORMED_JSONL = [
  '{"id":1,"reward":0.5}',
  '{"id":2,"reward":1}',
  '{"id":3,"reward":',
  '{"id":4,"reward":0.25}',
  '{"id":5,"reward":0}',
  '{"id":6,"reward":0.75}',
  '[7,0.1]',
  '{"id":8,"reward":0.125}',
  '{"id":9,"reward":1}',
  '{"id":10,"reward":0.875}',
].join('\n')

describe('files that cannot be opened say why', () => {
  it('says an empty file is empty', async () => {
    const path = await put('empty.jsonl', '')
    expect((await loadError(loadFiles(engine, path))).message).toBe(
      'empty.jsonl is empty (0 bytes).',
    )
  })

  it('says a file of NUL-laden bytes is binary, not JSON Lines', async () => {
    const path = await put('blob.jsonl', new Uint8Array([0x7b, 0x00, 0x01, 0x02, 0xff, 0x00, 0x0a]))
    const { message } = await loadError(loadFiles(engine, path))
    expect(message).toContain('binary')
    expect(message).toContain('blob.jsonl')
  })

  it('says a UTF-16 file is UTF-16 and asks for UTF-8', async () => {
    const text = '{"a":1}\n{"a":2}\n'
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0), 0])])
    const { message } = await loadError(loadFiles(engine, await put('utf16.jsonl', utf16)))
    expect(message).toContain('UTF-16')
    expect(message).toContain('UTF-8')
  })

  it('says a cut-off Parquet file is not a complete Parquet file', async () => {
    const full = nestedParquet()
    const path = await put('cut.parquet', full.subarray(0, Math.floor(full.length / 2)))
    const { message } = await loadError(loadFiles(engine, path))
    expect(message).toContain('cut.parquet is not a complete Parquet file')
  })

  it('says a .parquet file without the Parquet marker is not Parquet', async () => {
    const { message } = await loadError(loadFiles(engine, await put('fake.parquet', '{"a":1}\n')))
    expect(message).toContain('fake.parquet is not a Parquet file')
  })

  it('says a tiny file that is only the Parquet marker cannot be read as Parquet', async () => {
    const { message } = await loadError(loadFiles(engine, await put('marker.parquet', 'PAR1')))
    expect(message).toMatch(/^marker\.parquet is not a readable Parquet file/)
  })

  it('says it cannot open .xlsx files', async () => {
    const path = await put('book.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))
    const { message } = await loadError(loadFiles(engine, path))
    expect(message).toContain('cannot open .xlsx')
    expect(message).toContain('.jsonl')
  })

  it('says a Latin-1 file is not UTF-8, naming line 1', async () => {
    const latin1 = new Uint8Array([
      ...encoder.encode('{"name":"caf'),
      0xe9,
      ...encoder.encode('"}\n{"name":"na'),
      0xef,
      ...encoder.encode('ve"}\n'),
    ])
    const { message } = await loadError(loadFiles(engine, await put('latin1.jsonl', latin1)))
    expect(message).toContain('Line 1')
    expect(message).toContain('UTF-8')
    expect(message).toContain('all 2 records')
  })

  it('says a folder mixing JSON Lines and CSV mixes formats', async () => {
    await put('mixed/a.jsonl', '{"a":1}\n')
    await put('mixed/b.csv', 'a\n1\n')
    const { message } = await loadError(loadSource(engine, await folderSource(join(dir, 'mixed'))))
    expect(message).toContain('mixes')
    expect(message).toContain('JSON Lines')
    expect(message).toContain('CSV')
  })

  it('says a file with nothing but blank lines holds no rows', async () => {
    const { message } = await loadError(loadFiles(engine, await put('blank.jsonl', '\n  \r\n\n')))
    expect(message).toContain('holds no rows')
  })

  it('leaves no table behind when a load fails', async () => {
    const before = await tableCount()
    await loadError(loadFiles(engine, await put('all-bad.jsonl', 'nope\n[1]\n')))
    expect(await tableCount()).toBe(before)
  })
})

describe('awkward files load with what can be read', () => {
  it('loads the malformed-lines file: 8 rows, lines 3 and 7 skipped', async () => {
    const dataset = await loadFiles(engine, await put('malformed.jsonl', MALFORMED_JSONL))
    expect(dataset.rowCount).toBe(8)
    expect(dataset.skippedCount).toBe(2)
    expect(dataset.skipped.map((s) => s.line)).toEqual([3, 7])
    expect(dataset.skipped[0]?.reason).toContain('not valid JSON')
    expect(dataset.skipped[1]?.reason).toContain('not a JSON object')
    const rows = await rowsOf(dataset, 'id::INTEGER AS id')
    expect(rows.map((r) => r.id)).toEqual([1, 2, 4, 5, 6, 8, 9, 10])
    expect(typesOf(dataset)).toEqual({ id: 'BIGINT', reward: 'DOUBLE' })
  })

  it('loads a CRLF file with a BOM and no final newline, every value intact', async () => {
    const text =
      '{"prompt":"a\\r\\nb","language":"c++","n":1}\r\n{"prompt":"é😀","language":"rust","n":2}\r\n\r\n{"prompt":"last","language":"python","n":3}'
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(text)])
    const dataset = await loadFiles(engine, await put('crlf-bom.jsonl', bytes))
    expect(dataset.rowCount).toBe(3)
    expect(dataset.skippedCount).toBe(0)
    expect(dataset.columns.map((c) => c.name)).toEqual(['prompt', 'language', 'n'])
    const rows = await rowsOf(
      dataset,
      'prompt, language, n::INTEGER AS n, __rl_offset::INTEGER AS o, __rl_bytes::INTEGER AS b',
    )
    expect(rows.map(({ prompt, language, n }) => ({ prompt, language, n }))).toEqual([
      { prompt: 'a\r\nb', language: 'c++', n: 1 },
      { prompt: 'é😀', language: 'rust', n: 2 },
      { prompt: 'last', language: 'python', n: 3 },
    ])
    // Each origin slices out exactly the record, without BOM or CR.
    for (const row of rows) {
      const slice = new TextDecoder().decode(
        bytes.subarray(row.o as number, (row.o as number) + (row.b as number)),
      )
      expect((JSON.parse(slice) as { n: number }).n).toBe(row.n)
    }
    expect(rows[0]?.o).toBe(3)
  })

  it('loads a JSON array cut off mid-element with the complete elements, reporting where it broke', async () => {
    const text = '[\n  {"a": 1},\n  {"a": 2},\n  {"a": 3, "b": "unfinish'
    const dataset = await loadFiles(engine, await put('cut.json', text))
    expect(dataset.rowCount).toBe(2)
    expect(dataset.skipped).toEqual([
      { file: 0, line: 4, reason: 'the JSON array is not closed: the file may be truncated' },
    ])
  })

  it('keeps a nested Parquet list<struct> and struct as STRUCT(...)[] and STRUCT(...)', async () => {
    const dataset = await loadFiles(engine, await put('nested.parquet', nestedParquet()))
    expect(dataset.format).toBe('parquet')
    expect(dataset.rowCount).toBe(2)
    expect(typesOf(dataset)).toEqual({
      id: 'VARCHAR',
      inferences: 'STRUCT(completion VARCHAR, completion_id BIGINT, pass_rate DOUBLE)[]',
      meta: 'STRUCT("source" VARCHAR, tags VARCHAR[])',
    })
    const result = await engine.query(
      `SELECT len(inferences)::INTEGER AS n, inferences[2].pass_rate AS p, inferences[1].completion AS c, meta.tags[2] AS t
         FROM ${quoteIdent(dataset.table)} ORDER BY id`,
    )
    expect(result.rows).toEqual([
      { n: 2, p: 0.3684210526315789, c: '\ndef f(): pass', t: 'b' },
      { n: 0, p: null, c: null, t: null },
    ])
  })

  it('reads a Parquet file named .jsonl as Parquet', async () => {
    const dataset = await loadFiles(engine, await put('disguised.jsonl', nestedParquet()))
    expect(dataset.format).toBe('parquet')
    expect(dataset.rowCount).toBe(2)
  })

  it('loads a folder of 3 JSONL shards with int/float drift as one table with a DOUBLE column', async () => {
    await put('shards/part-0.jsonl', '{"id":1,"score":5}\n{"id":2,"score":4}\n')
    await put('shards/part-1.jsonl', '{"id":3,"score":4.5}\n')
    await put('shards/part-2.jsonl', '{"id":4,"score":3}\n{"id":5,"score":null,"extra":"x"}')
    const dataset = await loadSource(engine, await folderSource(join(dir, 'shards')))
    expect(dataset.rowCount).toBe(5)
    expect(typesOf(dataset)).toEqual({ id: 'BIGINT', score: 'DOUBLE', extra: 'VARCHAR' })
    const rows = await rowsOf(dataset, 'id::INTEGER AS id, score, extra, __rl_file::INTEGER AS f')
    expect(rows).toEqual([
      { id: 1, score: 5, extra: null, f: 0 },
      { id: 2, score: 4, extra: null, f: 0 },
      { id: 3, score: 4.5, extra: null, f: 1 },
      { id: 4, score: 3, extra: null, f: 2 },
      { id: 5, score: null, extra: 'x', f: 2 },
    ])
  })

  it('loads a folder of a JSONL shard and a JSON array shard as one table', async () => {
    await put('mixed-json/a.jsonl', '{"k":"a"}\n')
    await put('mixed-json/b.json', '[{"k":"b"},{"k":"c"}]')
    const dataset = await loadSource(engine, await folderSource(join(dir, 'mixed-json')))
    expect((await rowsOf(dataset, 'k')).map((r) => r.k)).toEqual(['a', 'b', 'c'])
  })

  // Regression (fixed; was in schema.ts line 141): "__RL_FILE" is not renamed because the reserved-prefix check is
  // case-sensitive; DuckDB then renames RewardLens's own column to "__rl_file_1", and a query for
  // __rl_file (case-insensitive) reads the dataset's column instead of the row origin.
  it('keeps the row-origin columns when the file has a key __RL_FILE', async () => {
    const dataset = await loadFiles(
      engine,
      await put('shadow.jsonl', '{"__RL_FILE":7,"a":1}\n{"__RL_FILE":8,"a":2}\n'),
    )
    const described = await engine.query(`DESCRIBE ${quoteIdent(dataset.table)}`)
    expect(described.rows.map((r) => r.column_name)).toContain('__rl_file')
    const rows = await rowsOf(dataset, '__rl_file::INTEGER AS f')
    expect(rows.map((r) => r.f)).toEqual([0, 0])
  })

  // Regression (fixed; was in schema.ts typeOfValue line 35 / JSON.parse in jsonDecoder.ts parseRecord): every
  // test_coverage in the real KodCode files is written 100.0, 92.0, ..., so it loads as BIGINT;
  // DuckDB's JSON reader (and the README's schema: "test_coverage float|null") say DOUBLE.
  itRealdata('types KodCode test_coverage (written 100.0) as DOUBLE', async () => {
    const dataset = await loadFiles(
      engine,
      realPath('kodcode/KodCode_leetcode_100_1741214688.json'),
    )
    expect(typesOf(dataset).trials).toContain('test_coverage DOUBLE')
  })
})

/** A 20,000-row JSONL with nesting, unicode, nulls and a key that first appears late. */
function bigJsonl(rows: number): string {
  const lines: string[] = []
  for (let i = 0; i < rows; i++) {
    const row: Record<string, unknown> = {
      id: i,
      prompt: `Write f${i} ${i % 13 === 0 ? 'é😀中' : ''}`.repeat(1 + (i % 5)),
      language: ['python', 'rust', 'cpp', 'c++'][i % 4],
      reward: i % 10 === 0 ? 1 : (i % 997) / 997,
      scoring: {
        correctness: 0.3,
        tests: Array.from({ length: i % 4 }, (_, k) => ({ k, ok: k % 2 === 0 })),
      },
      note: i % 7 === 0 ? null : `n${i}`,
    }
    if (i >= 12_000 && i % 3 === 0) row.late = { flag: true }
    lines.push(JSON.stringify(row))
  }
  // Mixed LF and CRLF endings, and no newline after the last row.
  return lines.map((line, i) => (i === 0 ? '' : i % 2 ? '\n' : '\r\n') + line).join('')
}

describe('chunking and cancelling', () => {
  it('gives exactly the same table with 4096-byte chunks as with the default chunk size', async () => {
    const path = await put('big.jsonl', bigJsonl(20_000))
    const source = await fileSource(path)
    const whole = await loadSource(engine, source)
    const chunked = await loadSource(engine, source, { chunkBytes: 4096 })
    expect(whole.rowCount).toBe(20_000)
    expect(chunked.rowCount).toBe(20_000)
    expect(chunked.columns).toEqual(whole.columns)
    expect(typesOf(whole).late).toBe('STRUCT(flag BOOLEAN)')
    const a = quoteIdent(whole.table)
    const b = quoteIdent(chunked.table)
    const differ = await engine.query(
      `SELECT (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}))::INTEGER AS ab,
              (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a}))::INTEGER AS ba`,
    )
    expect(differ.rows).toEqual([{ ab: 0, ba: 0 }])
    const sample = await engine.query(
      `SELECT id::INTEGER AS id, language, late.flag AS late FROM ${b} WHERE id IN (0, 12000, 19999) ORDER BY id`,
    )
    expect(sample.rows).toEqual([
      { id: 0, language: 'python', late: null },
      { id: 12000, language: 'python', late: true },
      { id: 19999, language: 'c++', late: null },
    ])
  })

  it('rejects with LoadCancelled and leaves no table when aborted after the first progress report', async () => {
    const path = await put('cancel.jsonl', bigJsonl(3000))
    const before = await tableCount()
    const controller = new AbortController()
    let reports = 0
    const load = loadSource(engine, await fileSource(path), {
      chunkBytes: 4096,
      signal: controller.signal,
      onProgress: () => {
        reports++
        controller.abort()
      },
    })
    await expect(load).rejects.toBeInstanceOf(LoadCancelled)
    expect(reports).toBe(1)
    expect(await tableCount()).toBe(before)
  })

  it('rejects with LoadCancelled and drops the half-built table when aborted after rows were inserted', async () => {
    const path = await put('cancel-late.jsonl', bigJsonl(20_000))
    const before = await tableCount()
    const controller = new AbortController()
    let rowsWhenAborted = 0
    const load = loadSource(engine, await fileSource(path), {
      chunkBytes: 4096,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.rows > 17_000 && !controller.signal.aborted) {
          rowsWhenAborted = progress.rows
          controller.abort()
        }
      },
    })
    await expect(load).rejects.toBeInstanceOf(LoadCancelled)
    expect(rowsWhenAborted).toBeGreaterThan(17_000)
    expect(await tableCount()).toBe(before)
  })
})
