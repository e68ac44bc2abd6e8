/**
 * The browser build's engine (DuckDB-WASM) and the desktop app's (native DuckDB, through the engine
 * protocol) give the same answers on the same files: the same columns and types, the same table
 * pages, and the same row hashes, so flags saved by either are found again by the other.
 *
 * Runs once, under the `engine` project: it starts both engines itself.
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { rowHashes } from '../../renderer/data/flags'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { fetchPage, fetchRow } from '../../renderer/data/rows'
import { loadFiles } from '../support/loadFile'
import { ENGINE_KIND, createRemoteNativeEngine, createWasmEngine } from '../support/nodeEngine'
import { REAL_FILES, itRealdata, realPath } from '../support/realdata'

let wasm: Engine
let native: Engine
let scratch: string

beforeAll(async () => {
  ;[wasm, native] = await Promise.all([createWasmEngine(), createRemoteNativeEngine()])
  scratch = await mkdtemp(path.join(os.tmpdir(), 'rl-engines-'))
})

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

/** Everything the comparison reads of one file on one engine. */
function observe(engine: Engine, file: string) {
  return observeAll(engine, file)
}

/** Everything the comparison reads of files opened as one dataset on one engine. */
async function observeAll(engine: Engine, ...files: string[]) {
  const dataset: LoadedDataset = await loadFiles(engine, ...files)
  const rows = Array.from({ length: dataset.rowCount }, (_, i) => i)
  const hashes = await rowHashes(engine, dataset, rows)
  return {
    rowCount: dataset.rowCount,
    columns: dataset.columns,
    page: await fetchPage(engine, dataset, null, 0),
    lastRow: await fetchRow(engine, dataset, dataset.rowCount - 1),
    hashes: rows.map((row) => hashes.get(row)),
  }
}

describe.skipIf(ENGINE_KIND === 'native')('the WASM and native engines', () => {
  itRealdata.each(REAL_FILES.map((f) => f.path))('read %s alike', async (file) => {
    const [onWasm, onNative] = await Promise.all([
      observe(wasm, realPath(file)),
      observe(native, realPath(file)),
    ])
    expect(onNative.rowCount).toBe(REAL_FILES.find((f) => f.path === file)!.rows)
    expect(onNative.hashes.every((hash) => /^[0-9a-f]{32}$/.test(hash ?? ''))).toBe(true)
    expect(onNative).toEqual(onWasm)
  })

  itRealdata.each([
    'leetcode/LeetCodeDataset-v0.3.1-test.jsonl.gz',
    'preference-code/correctness-alignment.jsonl.gz',
  ])('read the compressed %s alike, and as its plain copy', async (file) => {
    const [onWasm, onNative, plain] = await Promise.all([
      observe(wasm, realPath(file)),
      observe(native, realPath(file)),
      observe(native, realPath(file.replace(/\.gz$/, ''))),
    ])
    expect(onNative).toEqual(onWasm)
    expect(onNative).toEqual(plain)
  })

  it('read a Parquet file of many row groups, and two files as one dataset, alike', async () => {
    // Native DuckDB reads these with read_parquet, DuckDB-WASM row group by row group through the
    // app's decoder: the rows must come in the same order, with the same numbers and hashes.
    const first = path.join(scratch, 'groups-1.parquet')
    const second = path.join(scratch, 'groups-2.parquet')
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    const rows = (from: number, to: number) => `SELECT i AS id, 'row ' || i AS prompt,
        CASE i % 3 WHEN 0 THEN 'python' WHEN 1 THEN 'cpp' ELSE NULL END AS language,
        (i * 7 % 101) / 100.0 AS reward, {'a': i % 5, 'b': [i, i + 1]} AS breakdown,
        CASE WHEN i % 11 = 0 THEN NULL ELSE ['x', 'y'] END AS tags
      FROM range(${from}, ${to}) t(i)`
    await connection.run(
      `COPY (${rows(0, 25_000)}) TO '${first}' (FORMAT parquet, ROW_GROUP_SIZE 4096)`,
    )
    await connection.run(`COPY (${rows(25_000, 31_000)}) TO '${second}' (FORMAT parquet)`)
    connection.closeSync()
    instance.closeSync()
    const [onWasm, onNative] = await Promise.all([
      observeAll(wasm, first, second),
      observeAll(native, first, second),
    ])
    expect(onNative.rowCount).toBe(31_000)
    expect(onNative.lastRow).toEqual(onWasm.lastRow)
    expect(onNative.page[0]?.values).toMatchObject({ id: 0, language: 'python' })
    expect(onNative).toEqual(onWasm)
  })

  it('read a Parquet file of every common column type alike', async () => {
    const file = path.join(scratch, 'types.parquet')
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    await connection.run(`COPY (SELECT * FROM (VALUES
      (1::TINYINT, 300::SMALLINT, 70000::INTEGER, 9007199254740993::BIGINT, 4000000000::UINTEGER,
       1.5::FLOAT, 12.25::DECIMAL(6,2), 'text', true, DATE '2026-01-02',
       TIMESTAMP '2026-01-02 03:04:05.250', '\\x00\\xff'::BLOB, [{'k': 1, 'l': ['a']}],
       {'s': {'t': 1.5}}, MAP {'m': 1}, ['x', NULL]),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, [], NULL, NULL, NULL)
    ) v(ti, si, i, bi, ui, f, dc, s, b, dt, ts, bl, ls, st, mp, tl)) TO '${file}' (FORMAT parquet)`)
    connection.closeSync()
    instance.closeSync()
    const [onWasm, onNative] = await Promise.all([observe(wasm, file), observe(native, file)])
    expect(onNative.page[0]?.values).toMatchObject({
      bi: '9007199254740993',
      dc: 12.25,
      dt: '2026-01-02',
      ts: '2026-01-02T03:04:05.250',
      ls: [{ k: 1, l: ['a'] }],
      mp: { m: 1 },
    })
    expect(onNative).toEqual(onWasm)
  })
})
