import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { countRows } from '../../renderer/data/explore'
import { EMPTY_FILTER, type Filter, rowSource } from '../../renderer/data/filter'
import { placeFlags, rowHashSql, rowHashes, syncFlagsTable } from '../../renderer/data/flags'
import { type ColumnInfo, type LoadedDataset, columnKind } from '../../renderer/data/dataset'
import { detectProfile } from '../../renderer/data/profile/detect'
import { createUnitsView } from '../../renderer/data/profile/units'
import { relationNames } from '../../renderer/data/relations'
import { quoteIdent } from '../../shared/sql'
import { valueText } from '../../renderer/data/values'
import type { FlagsDocument, RowFlag } from '../../shared/flags'
import type { Profile } from '../../shared/profile'
import { loadFiles } from '../support/loadFile'
import { ENGINE_KIND, createNodeEngine } from '../support/nodeEngine'
import { describeRealdata, realPath } from '../support/realdata'

let engine: Engine
let dir: string
/** The 600 lines of code-rlaif/train.jsonl. */
let lines: string[]
/** That file loaded as it is. */
let original: LoadedDataset

beforeAll(async () => {
  engine = await createNodeEngine()
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-flags-'))
  lines = (await readFile(realPath('code-rlaif/train.jsonl'), 'utf8')).trimEnd().split('\n')
  original = await loadLines('original.jsonl', lines)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

afterEach(() => {
  vi.restoreAllMocks()
})

/** Writes lines as a JSON Lines file in the test folder and loads it. */
async function loadLines(name: string, content: readonly string[]): Promise<LoadedDataset> {
  const file = path.join(dir, name)
  await writeFile(file, `${content.join('\n')}\n`)
  return loadFiles(engine, file)
}

/** Every row's hash, in row order. */
async function allHashes(dataset: LoadedDataset): Promise<string[]> {
  const rows = Array.from({ length: dataset.rowCount }, (_, i) => i)
  const hashes = await rowHashes(engine, dataset, rows)
  return rows.map((row) => hashes.get(row) ?? '')
}

/** Flags on rows of the original file, with their hashes as made when flagging. */
async function flagsOn(dataset: LoadedDataset, rows: readonly number[]): Promise<RowFlag[]> {
  const hashes = await rowHashes(engine, dataset, rows)
  return rows.map((row) => ({
    row,
    hash: hashes.get(row) ?? '',
    note: `note on ${row}`,
    at: '2026-11-21T12:00:00.000Z',
  }))
}

const doc = (flags: readonly RowFlag[]): FlagsDocument => ({
  version: 1,
  dataset: { name: 'train.jsonl', size: 1 },
  flags,
})

/** Where each line of the original went: line i is at row `(i * 7) % 600` (7 and 600 are coprime). */
const shuffledRow = (line: number) => (line * 7) % lines.length

function shuffled(): string[] {
  const out = new Array<string>(lines.length)
  lines.forEach((line, i) => (out[shuffledRow(i)] = line))
  return out
}

describeRealdata('row hashes', () => {
  it('are the same when the same file is loaded again, and differ between distinct rows', async () => {
    const again = await loadLines('original.jsonl', lines)
    const first = await allHashes(original)
    expect(await allHashes(again)).toEqual(first)
    expect(first.every((hash) => /^[0-9a-f]{32}$/.test(hash))).toBe(true)
    expect(new Set(first).size).toBe(600)
  })

  it('ignore key order, keys only other rows have, and integers widened to floats', async () => {
    const before = await loadLines('before.jsonl', [
      '{"id": 1, "meta": {"a": 1, "b": "x"}, "tags": [1, 2]}',
      '{"id": 2, "meta": {"a": 2, "b": "y"}, "tags": []}',
    ])
    const after = await loadLines('after.jsonl', [
      '{"tags": [1.5], "id": 3, "meta": {"c": true, "b": "z", "a": 2.5}, "reviewed": "yes"}',
      '{"meta": {"b": "y", "a": 2}, "tags": [], "id": 2}',
      '{"id": 1, "meta": {"b": "x", "a": 1}, "tags": [1, 2]}',
    ])
    expect(after.columns.map((c) => c.name)).toEqual(['tags', 'id', 'meta', 'reviewed'])
    const [one, two] = await allHashes(before)
    const [, twoAfter, oneAfter] = await allHashes(after)
    expect([oneAfter, twoAfter]).toEqual([one, two])
  })

  it('tell apart a NULL, an empty list, a list holding NULL and text that looks like a separator', async () => {
    const dataset = await loadLines('edges.jsonl', [
      '{"a": null, "b": "x"}',
      '{"a": [], "b": "x"}',
      '{"a": [null], "b": "x"}',
      '{"a": ["x"], "b": "x"}',
      '{"a": ["x,1:x"], "b": null}',
      '{"a": ["x", "1:x"], "b": null}',
    ])
    expect(new Set(await allHashes(dataset)).size).toBe(6)
  })

  it('run over every kind of column DuckDB holds, with no extension loaded beyond those built in', async () => {
    const table = 'hash_types'
    await engine.exec(`CREATE TABLE ${table} AS SELECT * FROM (VALUES
      (1::TINYINT, 12.5::DECIMAL(6,2), 'text', true, DATE '2026-01-02', TIMESTAMP '2026-01-02 03:04:05',
       '\\x00\\xff'::BLOB, [{'k': 1, 'l': ['a']}], {'s': {'t': 1}}, MAP {'m': 1}, [1, 2, 3]::INTEGER[3],
       union_value(n := 1)::UNION(n INTEGER, s VARCHAR), 'a'::ENUM('a', 'b')),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
    ) v(i, d, s, b, dt, ts, bl, ls, st, mp, ar, un, en)`)
    const described = await engine.query(`DESCRIBE ${table}`)
    const columns: ColumnInfo[] = described.rows.map((r) => {
      const type = valueText(r.column_type ?? null)
      return { name: valueText(r.column_name ?? null), type, kind: columnKind(type) }
    })
    const hashes = await allHashes({ ...original, table, columns, rowCount: 2 })
    expect(hashes).toHaveLength(2)
    expect(hashes.every((hash) => /^[0-9a-f]{32}$/.test(hash))).toBe(true)
    expect(hashes[0]).not.toBe(hashes[1])
    // The native engine cannot load an extension at all: it may not even list their folder
    // (sandbox.test.ts).
    if (ENGINE_KIND === 'native') return
    const extensions = await engine.query(
      `SELECT extension_name, install_mode FROM duckdb_extensions() WHERE loaded ORDER BY 1`,
    )
    expect(extensions.rows.length).toBeGreaterThan(0)
    expect(extensions.rows.filter((r) => r.install_mode !== 'STATICALLY_LINKED')).toEqual([])
  })

  it('leave out rows past the end and positions that are not rows', async () => {
    const hashes = await rowHashes(engine, original, [0, 599, 600, -1, 1.5])
    expect([...hashes.keys()]).toEqual([0, 599])
  })

  it('are written as one SQL expression over the quoted columns', () => {
    const sql = rowHashSql([{ name: 'a"b', type: 'STRUCT(x BIGINT)[]', kind: 'list' }])
    expect(sql).toMatch(/^md5\(concat\(/)
    expect(sql).toContain('"a""b"')
    expect(sql).toContain("['x']")
  })
})

describeRealdata('placeFlags', () => {
  it('keeps flags that still match, hashing only the flagged rows', async () => {
    const flags = await flagsOn(original, [3, 250, 599])
    const query = vi.spyOn(engine, 'query')
    const placement = await placeFlags(engine, original, doc(flags))
    expect(placement).toEqual({ document: doc(flags), placed: flags, moved: [], orphaned: [] })
    const hashing = query.mock.calls.filter(([sql]) => sql.includes('md5('))
    expect(hashing).toHaveLength(1)
    expect(hashing[0]?.[1]).toEqual(['3,250,599'])
  })

  it('moves flags to the rows their content went to when the file is reordered', async () => {
    const flags = await flagsOn(original, [0, 10, 42, 599])
    const reordered = await loadLines('shuffled.jsonl', shuffled())
    const query = vi.spyOn(engine, 'query')
    const placement = await placeFlags(engine, reordered, doc(flags))
    // Line 0 stays at row 0; every other flag moved and is reported.
    expect(placement.moved).toEqual(
      [10, 42, 599].map((line) => ({ from: line, to: shuffledRow(line) })),
    )
    expect(placement.orphaned).toEqual([])
    expect(placement.placed.map((flag) => [flag.row, flag.note])).toEqual(
      [0, 10, 42, 599]
        .map((line) => [shuffledRow(line), `note on ${line}`] as const)
        .sort((a, b) => a[0] - b[0]),
    )
    expect(placement.document.flags).toEqual(placement.placed)
    // The full table is hashed once, after the flagged rows were.
    expect(query.mock.calls.filter(([sql]) => sql.includes('md5('))).toHaveLength(2)
    // The content at the new rows is the content that was flagged.
    const moved = await rowHashes(
      engine,
      reordered,
      placement.placed.map((flag) => flag.row),
    )
    expect(placement.placed.every((flag) => moved.get(flag.row) === flag.hash)).toBe(true)
  })

  it('reports a flag whose row was edited as orphaned and keeps it in the document', async () => {
    const flags = await flagsOn(original, [5, 6])
    const edited = lines.map((line, i) =>
      i === 5 ? line.replace('"language": "', '"language": "edited ') : line,
    )
    expect(edited[5]).not.toBe(lines[5])
    const placement = await placeFlags(engine, await loadLines('edited.jsonl', edited), doc(flags))
    expect(placement.placed).toEqual([flags[1]])
    expect(placement.moved).toEqual([])
    expect(placement.orphaned).toEqual([flags[0]])
    expect(placement.document.flags).toEqual(flags)
  })

  it('gives each of two identical flagged rows its own row after a reorder', async () => {
    const twins = ['{"x": 1}', '{"x": 2}', '{"x": 1}', '{"x": 3}']
    const before = await loadLines('twins.jsonl', twins)
    const flags = await flagsOn(before, [0, 2])
    expect(flags[0]?.hash).toBe(flags[1]?.hash)
    const after = await loadLines('twins-moved.jsonl', [
      '{"x": 2}',
      '{"x": 1}',
      '{"x": 3}',
      '{"x": 1}',
    ])
    const placement = await placeFlags(engine, after, doc(flags))
    expect(placement.placed.map((flag) => flag.row)).toEqual([1, 3])
    expect(placement.moved).toEqual([
      { from: 0, to: 1 },
      { from: 2, to: 3 },
    ])
  })

  it('orphans the second of two identical flagged rows when one of them is gone', async () => {
    const before = await loadLines('twins2.jsonl', ['{"x": 1}', '{"x": 1}'])
    const flags = await flagsOn(before, [0, 1])
    const placement = await placeFlags(
      engine,
      await loadLines('twins2-after.jsonl', ['{"x": 1}', '{"x": 2}']),
      doc(flags),
    )
    expect(placement.placed).toEqual([flags[0]])
    expect(placement.orphaned).toEqual([flags[1]])
  })

  it('costs nothing without flags', async () => {
    const query = vi.spyOn(engine, 'query')
    expect(await placeFlags(engine, original, doc([]))).toEqual({
      document: doc([]),
      placed: [],
      moved: [],
      orphaned: [],
    })
    expect(query).not.toHaveBeenCalled()
  })
})

describeRealdata('the flags table and the filter', () => {
  const filter = (flagged: Filter['flagged']): Filter => ({ ...EMPTY_FILTER, flagged })

  it('is created empty at open, so "flagged only" shows no rows and "exclude" all', async () => {
    const view = await createUnitsView(engine, original, detectProfile(original.columns))
    await syncFlagsTable(engine, original.table, [])
    const count = (f: Filter) => countRows(engine, rowSource(original.table, view, f))
    expect(await count(filter('only'))).toBe(0)
    expect(await count(filter('exclude'))).toBe(600)
  })

  it('holds the placed flags, so the filter counts them and the rest', async () => {
    const view = await createUnitsView(engine, original, detectProfile(original.columns))
    const flags = await flagsOn(original, [1, 100, 599])
    await syncFlagsTable(engine, original.table, flags)
    const count = (f: Filter) => countRows(engine, rowSource(original.table, view, f))
    expect(await count(filter('only'))).toBe(3)
    expect(await count(filter('exclude'))).toBe(597)
    const stored = await engine.query(
      `SELECT __rl_row, note FROM ${quoteIdent(relationNames(original.table).flags)} ORDER BY 1`,
    )
    expect(stored.rows).toEqual(flags.map((flag) => ({ __rl_row: flag.row, note: flag.note })))
    await syncFlagsTable(engine, original.table, flags.slice(1))
    expect(await count(filter('only'))).toBe(2)
    const tables = await engine.query(
      `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%staging%'`,
    )
    expect(tables.rows).toEqual([])
  })

  it('shows the rows of an unnested dataset that carry a flag', async () => {
    const dataset = await loadLines('unnested.jsonl', [
      '{"prompt": "a", "items": [{"code": "x = 1"}, {"code": "x = 2"}]}',
      '{"prompt": "b", "items": [{"code": "y = 1"}]}',
      '{"prompt": "c", "items": [{"code": "z = 1"}, {"code": "z = 2"}, {"code": "z = 3"}]}',
    ])
    const profile: Profile = {
      family: 'generic',
      unnest: ['items'],
      prompt: ['prompt'],
      language: null,
      fixedLanguage: null,
      codeA: { path: ['items', 'code'], label: 'solution' },
      codeB: null,
      scores: [],
      reward: null,
      group: null,
      tests: null,
      model: null,
      breakdown: null,
    }
    const view = await createUnitsView(engine, dataset, profile)
    await syncFlagsTable(engine, dataset.table, await flagsOn(dataset, [2]))
    const count = (f: Filter) => countRows(engine, rowSource(dataset.table, view, f))
    expect(await count(filter('only'))).toBe(1)
    expect(await count(filter('exclude'))).toBe(2)
  })
})
