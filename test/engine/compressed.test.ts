/**
 * Compressed files (.jsonl.gz, .jsonl.zst, .csv.gz, a bare .gz) on the engine under test (the
 * `engine` project runs DuckDB-WASM, `engine-native` the desktop app's DuckDB): the same rows as
 * the plain copy, exports as faithful as from the plain copy, and a clear message for damaged or
 * unsupported input.
 *
 * The .zst fixture is made by the reference `zstd` command (Debian's `zstd` package, part of the
 * machine image); without it the test fails and says so rather than skipping.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { exportRows } from '../../renderer/data/export/exportRows'
import type { ExportServices } from '../../renderer/data/export/encode'
import { DEFAULT_EXPORT_OPTIONS } from '../../renderer/data/export/options'
import { EMPTY_FILTER, type Filter } from '../../renderer/data/filter'
import { LoadError } from '../../renderer/data/load'
import { detectProfile } from '../../renderer/data/profile/detect'
import { createUnitsView } from '../../renderer/data/profile/units'
import { quoteIdent } from '../../shared/sql'
import { valueText } from '../../renderer/data/values'
import type { Host } from '../../shared/host'
import { readFileBytes } from '../support/fileSource'
import { loadFiles } from '../support/loadFile'
import { ENGINE_KIND, createNodeEngine } from '../support/nodeEngine'
import { generatedRow, zstdCommand } from '../support/codeRows'
import { describeRealdata, realPath } from '../support/realdata'

let engine: Engine
let tmp: string
beforeAll(async () => {
  engine = await createNodeEngine()
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rl-compressed-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

/** Every row of a loaded table, RewardLens's own columns (file, offset, length) included. */
async function allRows(dataset: LoadedDataset): Promise<readonly unknown[]> {
  return (await engine.query(`SELECT * FROM ${quoteIdent(dataset.table)} ORDER BY rowid`)).rows
}

/**
 * One hash per row of a table, in order (for tables too large to compare as objects); with
 * `dataOnly`, of the file's own values, without where each record sits in the file.
 */
async function rowDigests(dataset: LoadedDataset, dataOnly = false): Promise<string[]> {
  const except = dataOnly ? ' EXCLUDE (__rl_file, __rl_offset, __rl_bytes)' : ''
  const result = await engine.query(
    `SELECT md5(CAST(t AS VARCHAR)) AS h
       FROM (SELECT *${except}, rowid AS __row FROM ${quoteIdent(dataset.table)}) t ORDER BY __row`,
  )
  return result.rows.map((r) => valueText(r.h ?? null))
}

async function write(name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(tmp, name)
  await writeFile(file, bytes)
  return file
}

/** The loader's message for a file that cannot be opened. */
async function loadFailure(file: string): Promise<string> {
  const error = await loadFiles(engine, file).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(LoadError)
  return (error as LoadError).message
}

const services: ExportServices = {
  parquet: () => Promise.reject(new Error('not used')),
  appVersion: '0.0.0-test',
  now: () => new Date('2026-12-07T12:00:00.000Z'),
  batchRows: 10_000,
}

/** Exports the rows a filter shows as JSON Lines; resolves to the exported bytes. */
async function exportJsonl(dataset: LoadedDataset, filter: Filter): Promise<Buffer> {
  const profile = detectProfile(dataset.columns)
  const relations = await createUnitsView(engine, dataset, profile)
  const chunks: Uint8Array[] = []
  const host: Pick<
    Host,
    'beginExport' | 'writeExport' | 'finishExport' | 'abortExport' | 'readBytes'
  > = {
    beginExport: (name) => Promise.resolve({ id: 'x', name, path: name }),
    writeExport: (_id, chunk) => {
      chunks.push(chunk.slice())
      return Promise.resolve()
    },
    finishExport: (_id, _meta) => Promise.resolve({ path: 'x', metaPath: 'x.meta.json', bytes: 0 }),
    abortExport: () => Promise.resolve(),
    readBytes: readFileBytes,
  }
  const outcome = await exportRows(
    engine,
    host,
    dataset,
    { profile, relations },
    filter,
    { ...DEFAULT_EXPORT_OPTIONS, format: 'jsonl' },
    undefined,
    undefined,
    services,
  )
  expect(outcome).not.toBeNull()
  return Buffer.concat(chunks)
}

const REAL_PAIRS = [
  { plain: 'leetcode/LeetCodeDataset-v0.3.1-test.jsonl', rows: 228 },
  { plain: 'preference-code/correctness-alignment.jsonl', rows: 660 },
]

describeRealdata(`real .jsonl.gz files on ${ENGINE_KIND} DuckDB`, () => {
  it.each(REAL_PAIRS)(
    '$plain, gzipped, opens with the rows of its plain copy',
    async ({ plain, rows }) => {
      const fromGzip = await loadFiles(engine, realPath(`${plain}.gz`))
      const fromPlain = await loadFiles(engine, realPath(plain))
      expect(fromGzip.rowCount).toBe(rows)
      expect(fromGzip.compressions).toEqual(['gzip'])
      expect(fromGzip.columns).toEqual(fromPlain.columns)
      // Row for row, values and the byte ranges of the records in the decompressed text alike.
      expect(await allRows(fromGzip)).toEqual(await allRows(fromPlain))
    },
  )

  it('an export of the hard problems of the .gz is byte for byte the export of the plain file', async () => {
    const hard: Filter = { ...EMPTY_FILTER, where: `difficulty = 'Hard'` }
    const plain = realPath(REAL_PAIRS[0]!.plain)
    const fromGzip = await exportJsonl(await loadFiles(engine, `${plain}.gz`), hard)
    const fromPlain = await exportJsonl(await loadFiles(engine, plain), hard)
    const lines = fromGzip.toString('utf8').trimEnd().split('\n')
    expect(lines.length).toBeGreaterThan(20)
    expect(lines.length).toBeLessThan(228)
    expect(
      lines.every((l) => (JSON.parse(l) as { difficulty: string }).difficulty === 'Hard'),
    ).toBe(true)
    expect(fromGzip.equals(fromPlain)).toBe(true)
    // Each exported line is a line of the decompressed source, as it is there.
    const source = new Set((await readFile(plain, 'utf8')).split('\n'))
    expect(lines.every((l) => source.has(l))).toBe(true)
  })
})

describe(`a generated 20k-row .jsonl.zst on ${ENGINE_KIND} DuckDB`, () => {
  it('opens with the same rows as its plain copy', async () => {
    const zstd = zstdCommand()
    const text = Array.from({ length: 20_000 }, (_, i) => generatedRow(i)).join('\n') + '\n'
    const plain = await write('generated.jsonl', text)
    execFileSync(zstd, ['-q', '-f', '-3', plain, '-o', `${plain}.zst`])
    const sizes = { plain: text.length, zst: (await readFile(`${plain}.zst`)).length }
    expect(sizes.plain).toBeGreaterThan(30_000_000)

    let started = performance.now()
    const fromZstd = await loadFiles(engine, `${plain}.zst`)
    const zstdMs = performance.now() - started
    started = performance.now()
    const fromPlain = await loadFiles(engine, plain)
    const plainMs = performance.now() - started
    console.log(
      `[${ENGINE_KIND}] open 20k rows: .jsonl ${(sizes.plain / 1e6).toFixed(1)} MB in ${plainMs.toFixed(0)} ms; ` +
        `.jsonl.zst ${(sizes.zst / 1e6).toFixed(1)} MB in ${zstdMs.toFixed(0)} ms`,
    )
    expect(fromZstd.rowCount).toBe(20_000)
    expect(fromZstd.compressions).toEqual(['zstd'])
    expect(fromZstd.columns).toEqual(fromPlain.columns)
    expect(await rowDigests(fromZstd)).toEqual(await rowDigests(fromPlain))
  })
})

const SMALL_ROWS = Array.from({ length: 300 }, (_, i) => generatedRow(i))
const SMALL = SMALL_ROWS.join('\n') + '\n'

describe('other compressed layouts', () => {
  it('a .csv.gz opens like its plain copy', async () => {
    const csv = 'id,language,score\n' + SMALL_ROWS.map((_, i) => `${i},py,${i / 10}`).join('\n')
    const plain = await write('table.csv', csv)
    await write('table.csv.gz', gzipSync(csv))
    const fromGzip = await loadFiles(engine, `${plain}.gz`)
    const fromPlain = await loadFiles(engine, plain)
    expect(fromGzip.rowCount).toBe(300)
    expect(fromGzip.columns).toEqual(fromPlain.columns)
    expect(await allRows(fromGzip)).toEqual(await allRows(fromPlain))
  })

  it('a .json.gz array and a bare .gz of JSON Lines open by their content', async () => {
    const array = `[\n${SMALL_ROWS.join(',\n')}\n]\n`
    const fromArray = await loadFiles(engine, await write('rows.json.gz', gzipSync(array)))
    expect(fromArray.rowCount).toBe(300)
    const bare = await loadFiles(engine, await write('rows.gz', gzipSync(SMALL)))
    expect(bare.rowCount).toBe(300)
    expect(await rowDigests(bare, true)).toEqual(await rowDigests(fromArray, true))
  })

  it('a gzip file of several members (concatenated .gz files) opens whole', async () => {
    const half = SMALL_ROWS.slice(0, 150).join('\n') + '\n'
    const rest = SMALL_ROWS.slice(150).join('\n') + '\n'
    const file = await write('members.jsonl.gz', Buffer.concat([gzipSync(half), gzipSync(rest)]))
    const dataset = await loadFiles(engine, file)
    expect(dataset.rowCount).toBe(300)
    const last = await engine.query(
      `SELECT id FROM ${quoteIdent(dataset.table)} ORDER BY rowid DESC LIMIT 1`,
    )
    expect(last.rows[0]?.id).toBe('task-299')
  })

  it('gzip content named .jsonl opens too: the bytes decide, not the name', async () => {
    const dataset = await loadFiles(engine, await write('plain-name.jsonl', gzipSync(SMALL)))
    expect(dataset.rowCount).toBe(300)
    expect(dataset.compressions).toEqual(['gzip'])
  })
})

describe('damaged and unsupported compressed files', () => {
  const gz = gzipSync(SMALL)

  it('a truncated .gz says it ends early, where, and how much was read', async () => {
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6))
    const message = await loadFailure(await write('cut.jsonl.gz', cut))
    expect(message).toMatch(/^cut\.jsonl\.gz ends before its gzip data does/)
    expect(message).toContain(`stops at byte ${cut.length.toLocaleString('en-US')}`)
    expect(message).toMatch(/complete lines/)
    expect(message).toMatch(/cut off/)
  })

  it('a .gz with damaged deflate data says it is corrupt and in which bytes', async () => {
    const bad = Buffer.from(gz)
    for (let i = 200; i < 260; i++) bad[i] = 0xff
    const message = await loadFailure(await write('bad.jsonl.gz', bad))
    expect(message).toMatch(/^bad\.jsonl\.gz is corrupt: its gzip data is invalid \(.+\) in bytes /)
  })

  it('a .gz whose data inflates but does not match its checksum is corrupt too', async () => {
    const bad = Buffer.from(gz)
    bad[bad.length - 8] = bad[bad.length - 8]! ^ 0x01 // the CRC-32 in the trailer
    const message = await loadFailure(await write('crc.jsonl.gz', bad))
    expect(message).toMatch(/^crc\.jsonl\.gz is corrupt: .*checksum/)
  })

  it('a truncated or damaged .zst says so, with where', async () => {
    const zstd = zstdCommand()
    const plain = await write('small.jsonl', SMALL)
    execFileSync(zstd, ['-q', '-f', plain, '-o', `${plain}.zst`])
    const zst = await readFile(`${plain}.zst`)
    const cut = await loadFailure(await write('cut.jsonl.zst', zst.subarray(0, zst.length - 40)))
    expect(cut).toMatch(
      /^cut\.jsonl\.zst ends before its Zstandard data does: the file stops at byte/,
    )
    const bad = Buffer.from(zst)
    for (let i = 20; i < 60; i++) bad[i] = 0xff
    const corrupt = await loadFailure(await write('bad.jsonl.zst', bad))
    expect(corrupt).toMatch(
      /^bad\.jsonl\.zst is corrupt: its Zstandard data is invalid \(.+\) in bytes 0–/,
    )
  })

  it('a .gz holding something RewardLens does not read says what it holds', async () => {
    const tar = Buffer.alloc(1024)
    tar.write('rows.jsonl', 0)
    tar.write('ustar', 257)
    expect(await loadFailure(await write('rows.tar.gz', gzipSync(tar)))).toMatch(
      /^rows\.tar\.gz holds a tar archive, not a dataset file/,
    )
    expect(await loadFailure(await write('notes.txt.gz', gzipSync('hello\n')))).toMatch(
      /^notes\.txt\.gz holds a \.txt file \(notes\.txt\), which RewardLens cannot open/,
    )
    expect(await loadFailure(await write('data.gz', gzipSync('plain words\n')))).toMatch(
      /^data\.gz holds gzip-compressed data that is neither JSON nor JSON Lines/,
    )
    expect(await loadFailure(await write('t.parquet.gz', gzipSync('PAR1xxxxPAR1')))).toMatch(
      /^t\.parquet\.gz is a gzip-compressed Parquet file/,
    )
    expect(await loadFailure(await write('empty.jsonl.gz', gzipSync('')))).toBe(
      'empty.jsonl.gz is empty once decompressed.',
    )
    expect(await loadFailure(await write('fake.jsonl.gz', SMALL))).toMatch(
      /^fake\.jsonl\.gz is named as gzip-compressed but is not/,
    )
  })
})
