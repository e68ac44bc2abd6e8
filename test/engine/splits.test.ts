/**
 * Hugging Face dataset folders on the engine under test: a snapshot's splits are found from the
 * shard names, one split opens alone, and all splits open together with a `split` column.
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { ALL_SPLITS, findSplits, sourceForSplit } from '../../renderer/data/ingest/splits'
import { quoteIdent } from '../../shared/sql'
import type { DatasetSource } from '../../shared/host'
import { fileSource } from '../support/fileSource'
import { loadSource } from '../support/loadFile'
import { ENGINE_KIND, createNodeEngine } from '../support/nodeEngine'

let engine: Engine
let tmp: string
beforeAll(async () => {
  engine = await createNodeEngine()
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rl-splits-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

/** Writes Parquet shards with DuckDB: rows `first..first+rows-1` of a small code-RL layout. */
async function writeShards(folder: string, shards: readonly [string, number, number][]) {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  for (const [name, first, rows] of shards) {
    await connection.run(`COPY (SELECT i AS id, 'solve ' || i AS prompt, 'def f(): return ' || i AS solution,
        [{'role': 'user', 'content': 'q' || i}] AS messages
      FROM range(${first}, ${first + rows}) t(i)) TO '${path.join(folder, name)}' (FORMAT parquet)`)
  }
  connection.closeSync()
  instance.closeSync()
}

/** A folder source as a Host gives it: every dataset file under it, README left out. */
async function snapshot(name: string, files: readonly string[]): Promise<DatasetSource> {
  const folder = path.join(tmp, name)
  const source = await fileSource(...files.map((f) => path.join(folder, f)))
  return { ...source, name, path: folder, isFolder: true }
}

async function column(table: string, name: string): Promise<unknown[]> {
  const result = await engine.query(
    `SELECT ${quoteIdent(name)} AS v FROM ${quoteIdent(table)} ORDER BY rowid`,
  )
  return result.rows.map((r) => r.v)
}

describe(`a Hugging Face snapshot folder on ${ENGINE_KIND} DuckDB`, () => {
  const shards = [
    'data/train-00000-of-00002.parquet',
    'data/train-00001-of-00002.parquet',
    'data/test-00000-of-00001.parquet',
  ]
  beforeAll(async () => {
    const data = path.join(tmp, 'parquet-snap', 'data')
    await mkdir(data, { recursive: true })
    await writeFile(path.join(tmp, 'parquet-snap', 'README.md'), '---\nlicense: mit\n---\n# Demo\n')
    await writeShards(data, [
      ['train-00000-of-00002.parquet', 0, 700],
      ['train-00001-of-00002.parquet', 700, 500],
      ['test-00000-of-00001.parquet', 5000, 300],
    ])
  })

  it('offers its splits, train first, with their files', async () => {
    const splits = findSplits(await snapshot('parquet-snap', shards))
    expect(splits.map((s) => [s.name, s.files.length])).toEqual([
      ['train', 2],
      ['test', 1],
    ])
  })

  it('opens one split alone', async () => {
    const source = await snapshot('parquet-snap', shards)
    const dataset = await loadSource(engine, sourceForSplit(source, findSplits(source), 'test'))
    expect(dataset.source.name).toBe('parquet-snap · test')
    expect(dataset.rowCount).toBe(300)
    expect(dataset.columns.map((c) => c.name)).toEqual(['id', 'prompt', 'solution', 'messages'])
  })

  it('opens all splits with a split column saying where each row came from', async () => {
    const source = await snapshot('parquet-snap', shards)
    const dataset = await loadSource(engine, sourceForSplit(source, findSplits(source), ALL_SPLITS))
    expect(dataset.rowCount).toBe(1500)
    expect(dataset.columns.at(-1)).toMatchObject({ name: 'split', kind: 'text' })
    const ids = await column(dataset.table, 'id')
    const splits = await column(dataset.table, 'split')
    expect(ids.slice(0, 3)).toEqual([0, 1, 2])
    expect(splits.filter((s) => s === 'train')).toHaveLength(1200)
    expect(splits.filter((s) => s === 'test')).toHaveLength(300)
    // Every row is marked with its own file's split: test ids start at 5000.
    expect(ids.every((id, i) => Number(id) >= 5000 === (splits[i] === 'test'))).toBe(true)
  })

  it('opens JSON Lines shards (compressed too) with their split column, and names a clash', async () => {
    const folder = path.join(tmp, 'jsonl-snap')
    await mkdir(path.join(folder, 'data'), { recursive: true })
    const rows = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => JSON.stringify({ id: from + i, split: 'own' })).join('\n')
    await writeFile(path.join(folder, 'data', 'train.jsonl.gz'), gzipSync(rows(0, 40)))
    await writeFile(path.join(folder, 'data', 'validation.jsonl'), rows(100, 10))
    const source = await snapshot('jsonl-snap', ['data/train.jsonl.gz', 'data/validation.jsonl'])
    const splits = findSplits(source)
    expect(splits.map((s) => s.name)).toEqual(['train', 'validation'])
    const dataset = await loadSource(engine, sourceForSplit(source, splits, ALL_SPLITS))
    expect(dataset.rowCount).toBe(50)
    // The data has its own `split`; the folder's is `hf_split`.
    expect(dataset.columns.map((c) => c.name)).toEqual(['id', 'split', 'hf_split'])
    const marked = await column(dataset.table, 'hf_split')
    expect(marked.slice(38, 42)).toEqual(['train', 'train', 'validation', 'validation'])
  })

  it('opens CSV splits together with their split column', async () => {
    const folder = path.join(tmp, 'csv-snap')
    await mkdir(folder, { recursive: true })
    await writeFile(path.join(folder, 'train.csv'), 'id,score\n1,0.5\n2,0.25\n3,1\n')
    await writeFile(path.join(folder, 'test.csv.gz'), gzipSync('id,score\n10,0.75\n'))
    const source = await snapshot('csv-snap', ['test.csv.gz', 'train.csv'])
    const dataset = await loadSource(engine, sourceForSplit(source, findSplits(source), ALL_SPLITS))
    expect(dataset.columns.map((c) => c.name)).toEqual(['id', 'score', 'split'])
    expect(await column(dataset.table, 'split')).toEqual(['train', 'train', 'train', 'test'])
    expect(await column(dataset.table, 'id')).toEqual([1, 2, 3, 10])
  })

  it('a folder whose files name no splits, or one split only, is opened as it is', async () => {
    const source = await snapshot('parquet-snap', shards.slice(0, 2))
    expect(findSplits(source)).toEqual([])
    expect(findSplits({ ...source, isFolder: false })).toEqual([])
  })
})
