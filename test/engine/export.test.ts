/**
 * Exports over the real DuckDB-WASM: every real file round-trips, JSON Lines byte for byte, each
 * format reads back, preference pairs follow their rules, and a cancelled export leaves nothing.
 *
 * The Host's writing side is the one fake: it keeps chunks in memory (the Electron writer has
 * its own tests against a real folder).
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { ExportCancelled, exportRows } from '../../renderer/data/export/exportRows'
import { DEFAULT_EXPORT_OPTIONS, type ExportOptions } from '../../renderer/data/export/options'
import type { ParquetWasm } from '../../renderer/data/export/parquet'
import { EMPTY_FILTER, type Filter } from '../../renderer/data/filter'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { detectProfile } from '../../renderer/data/profile/detect'
import { createUnitsView } from '../../renderer/data/profile/units'
import { relationNames } from '../../renderer/data/relations'
import type { ExportServices } from '../../renderer/data/export/encode'
import { type ExportRoles, planExport } from '../../renderer/data/export/plan'
import { quoteIdent } from '../../shared/sql'
import { valueText } from '../../renderer/data/values'
import type { ExportResult, ExportTarget, Host } from '../../shared/host'
import { readFileBytes } from '../support/fileSource'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { REAL_FILES, describeRealdata, realPath } from '../support/realdata'

const require = createRequire(import.meta.url)

interface ParquetReadBack {
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array }
  ParquetFile: {
    fromFile(blob: Blob): Promise<{
      metadata(): {
        rowGroup(i: number): { numRows(): number; column(i: number): { compression(): number } }
      }
      free(): void
    }>
  }
}
const parquetWasm = require('parquet-wasm') as ParquetWasm & ParquetReadBack

const services: ExportServices = {
  parquet: () => Promise.resolve(parquetWasm),
  appVersion: '0.0.0-test',
  now: () => new Date('2026-11-21T12:00:00.000Z'),
  batchRows: 10_000,
}

/** One export the fake Host received. */
interface Received {
  readonly target: ExportTarget
  readonly chunks: Uint8Array[]
  state: 'open' | 'finished' | 'aborted'
  meta: string | null
}

/** A Host whose exports land in memory; reads come from disk. */
function memoryHost(options: { onWrite?: (received: Received) => void } = {}) {
  const exports: Received[] = []
  const find = (id: string) => {
    const found = exports.find((e) => e.target.id === id && e.state === 'open')
    if (!found) throw new Error(`no open export ${id}`)
    return found
  }
  let reads = 0
  const host: Pick<
    Host,
    'beginExport' | 'writeExport' | 'finishExport' | 'abortExport' | 'readBytes'
  > = {
    beginExport(name) {
      const target = { id: `e${exports.length + 1}`, name, path: `/exports/${name}` }
      exports.push({ target, chunks: [], state: 'open', meta: null })
      return Promise.resolve(target)
    },
    writeExport(id, chunk) {
      const received = find(id)
      received.chunks.push(chunk.slice())
      options.onWrite?.(received)
      return Promise.resolve()
    },
    finishExport(id, meta): Promise<ExportResult> {
      const received = find(id)
      received.state = 'finished'
      received.meta = meta
      const bytes = received.chunks.reduce((sum, c) => sum + c.length, 0)
      return Promise.resolve({
        path: received.target.path,
        metaPath: `${received.target.path}.meta.json`,
        bytes,
      })
    },
    abortExport(id) {
      const received = exports.find((e) => e.target.id === id)
      if (received) {
        received.state = 'aborted'
        received.chunks.length = 0
      }
      return Promise.resolve()
    },
    readBytes(id, start, end) {
      reads++
      return readFileBytes(id, start, end)
    },
  }
  return { host, exports, reads: () => reads }
}

function bytesOf(received: Received): Buffer {
  return Buffer.concat(received.chunks)
}

let engine: Engine
let tmp: string
beforeAll(async () => {
  engine = await createNodeEngine()
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-export-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

interface Opened {
  readonly dataset: LoadedDataset
  readonly roles: ExportRoles
}

async function open(file: string): Promise<Opened> {
  const dataset = await loadFiles(engine, file)
  const profile = detectProfile(dataset.columns)
  const relations = await createUnitsView(engine, dataset, profile)
  return { dataset, roles: { profile, relations } }
}

async function exportOf(
  opened: Opened,
  options: Partial<ExportOptions> = {},
  filter: Filter = EMPTY_FILTER,
) {
  const memory = memoryHost()
  const outcome = await exportRows(
    engine,
    memory.host,
    opened.dataset,
    opened.roles,
    filter,
    { ...DEFAULT_EXPORT_OPTIONS, ...options },
    undefined,
    undefined,
    services,
  )
  const received = memory.exports[0]!
  expect(received.state).toBe('finished')
  return { outcome: outcome!, bytes: bytesOf(received), received, reads: memory.reads() }
}

/** Every row of a dataset table as plain values, without RewardLens's own columns. */
async function tableRows(dataset: LoadedDataset): Promise<readonly unknown[]> {
  const columns = dataset.columns.map((c) => quoteIdent(c.name)).join(', ')
  const result = await engine.query(
    `SELECT ${columns} FROM ${quoteIdent(dataset.table)} ORDER BY rowid`,
  )
  return result.rows
}

function columnTypes(dataset: LoadedDataset): Record<string, string> {
  return Object.fromEntries(dataset.columns.map((c) => [c.name, c.type]))
}

/** The non-blank lines of a JSON Lines file, each without its line ending. */
function sourceLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    if (end < 0) end = bytes.length
    const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end
    const line = bytes.subarray(start, stop)
    if (line.toString('utf8').trim() !== '') lines.push(line)
    start = end + 1
  }
  return lines
}

function exportedLines(bytes: Buffer): Buffer[] {
  expect(bytes.at(-1)).toBe(0x0a)
  return sourceLines(bytes)
}

async function reopen(name: string, bytes: Uint8Array): Promise<LoadedDataset> {
  const file = path.join(tmp, name)
  await writeFile(file, bytes)
  return loadFiles(engine, file)
}

const jsonlFiles = REAL_FILES.filter((f) => f.path.endsWith('.jsonl'))
const jsonFiles = REAL_FILES.filter((f) => f.path.endsWith('.json'))
const csvFiles = REAL_FILES.filter((f) => f.path.endsWith('.csv'))

describeRealdata('round trip of every real file', () => {
  it.each(jsonlFiles)('$path: JSON Lines out are the source lines, byte for byte', async (f) => {
    const opened = await open(realPath(f.path))
    const { bytes, outcome } = await exportOf(opened)
    const source = await readFile(realPath(f.path))
    const lines = exportedLines(bytes)
    expect(lines.length).toBe(f.rows)
    expect(lines.map((l) => l.toString('hex'))).toEqual(
      sourceLines(source).map((l) => l.toString('hex')),
    )
    // A file that ends in a newline comes back as the very same bytes.
    if (source.at(-1) === 0x0a) expect(bytes.equals(source)).toBe(true)
    expect(outcome.rows).toBe(f.rows)
    const back = await reopen(`rt-${path.basename(f.path)}`, bytes)
    expect(columnTypes(back)).toEqual(columnTypes(opened.dataset))
    expect(await tableRows(back)).toEqual(await tableRows(opened.dataset))
  })

  it.each(jsonFiles)(
    '$path: JSON Lines out hold every record, every value as written',
    async (f) => {
      const opened = await open(realPath(f.path))
      const { bytes } = await exportOf(opened)
      const lines = exportedLines(bytes)
      expect(lines.length).toBe(f.rows)
      // The same objects as the source array: keys, order and values (the oracle is JSON.parse).
      const source = JSON.parse(await readFile(realPath(f.path), 'utf8')) as unknown[]
      expect(lines.map((l) => JSON.parse(l.toString('utf8')) as unknown)).toEqual(source)
      const back = await reopen(`rt-${path.basename(f.path)}.jsonl`, bytes)
      expect(columnTypes(back)).toEqual(columnTypes(opened.dataset))
      expect(await tableRows(back)).toEqual(await tableRows(opened.dataset))
    },
  )

  it.each(csvFiles)('$path: CSV out reads back as the same rows and types', async (f) => {
    const opened = await open(realPath(f.path))
    const { bytes } = await exportOf(opened, { format: 'csv' })
    const back = await reopen(`rt-${path.basename(f.path)}`, bytes)
    expect(back.rowCount).toBe(f.rows)
    expect(columnTypes(back)).toEqual(columnTypes(opened.dataset))
    expect(await tableRows(back)).toEqual(await tableRows(opened.dataset))
  })

  it.each(REAL_FILES)('$path: Parquet out reads back as the same rows and types', async (f) => {
    const opened = await open(realPath(f.path))
    const { bytes } = await exportOf(opened, { format: 'parquet' })
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1')
    const back = await reopen(`rt-${path.basename(f.path)}.parquet`, bytes)
    expect(back.rowCount).toBe(f.rows)
    expect(columnTypes(back)).toEqual(columnTypes(opened.dataset))
    expect(await tableRows(back)).toEqual(await tableRows(opened.dataset))
  })
})

describeRealdata('exporting the rust rows of code-rlaif/train.jsonl', () => {
  let opened: Opened
  let source: Buffer
  const rust: Filter = { ...EMPTY_FILTER, languages: ['rust'] }
  beforeAll(async () => {
    opened = await open(realPath('code-rlaif/train.jsonl'))
    source = await readFile(realPath('code-rlaif/train.jsonl'))
  })

  it('writes 180 lines, each identical to its source line, in file order', async () => {
    const { bytes, outcome, reads } = await exportOf(opened, {}, rust)
    const lines = exportedLines(bytes)
    expect(lines.length).toBe(180)
    const rustLines = sourceLines(source).filter(
      (l) => (JSON.parse(l.toString('utf8')) as { language: string }).language === 'rust',
    )
    expect(lines.map((l) => l.toString('hex'))).toEqual(rustLines.map((l) => l.toString('hex')))
    expect(outcome.result.path).toBe('/exports/train.rust.jsonl')
    // Coalesced reads: the 180 lines come in a handful of reads, plus the hash's one.
    expect(reads).toBeLessThan(10)
  })

  it('describes where the rows came from in the meta record', async () => {
    const { outcome } = await exportOf(opened, {}, rust)
    const meta = JSON.parse(outcome.meta) as Record<string, Record<string, unknown>>
    expect(meta.source).toMatchObject({
      name: 'train.jsonl',
      format: 'jsonl',
      rows: 600,
      files: [
        {
          name: 'train.jsonl',
          size: source.length,
          sha256: createHash('sha256').update(source).digest('hex'),
        },
      ],
    })
    expect(meta.rows).toEqual({ exported: 180, shown: 180, total: 600 })
    expect(meta.filter).toMatchObject({
      description: 'language = rust',
      structured: rust,
    })
    expect(String(meta.filter!.sql)).toMatch(/__rl_language IN \('rust'\)/)
    expect(meta.app).toEqual({ name: 'RewardLens', version: '0.0.0-test' })
    expect(meta.export).toMatchObject({ file: 'train.rust.jsonl', format: 'jsonl', rows: 180 })
    expect((meta.columns as unknown as { name: string }[]).map((c) => c.name)).toEqual(
      opened.dataset.columns.map((c) => c.name),
    )
    // The SQL in the record selects the same rows when run as it is.
    const rerun = await engine.query(
      `SELECT count(*)::INTEGER AS n FROM (${String(meta.filter!.sql)})`,
    )
    expect(rerun.rows[0]?.n).toBe(180)
  })

  it('appends the derived columns to each original line, leaving its bytes before the brace', async () => {
    const { bytes } = await exportOf(opened, { derived: true, flags: true }, rust)
    const lines = exportedLines(bytes)
    expect(lines.length).toBe(180)
    const rustLines = sourceLines(source).filter(
      (l) => l.includes('"language": "rust"') || l.includes('"language":"rust"'),
    )
    expect(rustLines.length).toBe(180)
    lines.forEach((line, i) => {
      const original = rustLines[i]!
      const close = original.lastIndexOf(0x7d)
      expect(line.subarray(0, close).equals(original.subarray(0, close))).toBe(true)
      const row = JSON.parse(line.toString('utf8')) as Record<string, unknown>
      expect(row.rl_language).toBe('rust')
      expect(typeof row.rl_code_student).toBe('string')
      expect(typeof row.rl_code_teacher).toBe('string')
      expect(row.rl_flagged).toBe(false)
      expect(row.rl_note).toBeNull()
    })
  })

  it('plans 180 of 600 rows', async () => {
    const plan = await planExport(
      engine,
      opened.dataset,
      opened.roles,
      rust,
      DEFAULT_EXPORT_OPTIONS,
    )
    expect(plan).toMatchObject({ rows: 180, shown: 180, total: 600, faithful: true })
  })
})

describeRealdata('each format', () => {
  let opened: Opened
  const python: Filter = { ...EMPTY_FILTER, languages: ['python'] }
  beforeAll(async () => {
    opened = await open(realPath('code-rlaif/train.jsonl'))
  })

  it('Parquet: ZSTD row groups with the columns’ own types, the filtered rows only', async () => {
    const { bytes, outcome } = await exportOf(opened, { format: 'parquet', derived: true }, python)
    expect(outcome.result.path).toBe('/exports/train.python.parquet')
    const file = await parquetWasm.ParquetFile.fromFile(new Blob([new Uint8Array(bytes)]))
    const metadata = file.metadata()
    const group = metadata.rowGroup(0)
    expect(group.numRows()).toBe(210)
    expect(group.column(0).compression()).toBe(parquetWasm.Compression.ZSTD)
    file.free()
    const back = await reopen('python.parquet', bytes)
    expect(back.rowCount).toBe(210)
    expect(columnTypes(back)).toEqual({
      ...columnTypes(opened.dataset),
      rl_language: 'VARCHAR',
      rl_code_student: 'VARCHAR',
      rl_code_teacher: 'VARCHAR',
    })
    const languages = await engine.query(
      `SELECT DISTINCT language, rl_language FROM ${quoteIdent(back.table)}`,
    )
    expect(languages.rows).toEqual([{ language: 'python', rl_language: 'python' }])
  })

  it('CSV: a header, nested values as JSON text, read back by the loader', async () => {
    const { bytes } = await exportOf(opened, { format: 'csv' }, python)
    const text = bytes.toString('utf8')
    expect(text.split('\n')[0]).toBe(
      'prompt,language,student_code,teacher_code,student_score,teacher_score,reward,scoring_breakdown,timestamp',
    )
    const back = await reopen('python.csv', bytes)
    expect(back.rowCount).toBe(210)
    const original = await engine.query(
      `SELECT prompt, student_code, teacher_code, student_score, reward FROM ${quoteIdent(opened.dataset.table)} WHERE language = 'python' ORDER BY rowid`,
    )
    const read = await engine.query(
      `SELECT prompt, student_code, teacher_code, student_score, reward FROM ${quoteIdent(back.table)} ORDER BY rowid`,
    )
    expect(read.rows).toEqual(original.rows)
    // The reader takes the timestamps for TIMESTAMP; the file holds them as the source wrote them.
    expect(text).toContain(',2025-12-18T00:18:35.260706\n')
    const breakdown = await engine.query(
      `SELECT DISTINCT scoring_breakdown::VARCHAR AS b FROM ${quoteIdent(back.table)}`,
    )
    expect(JSON.parse(valueText(breakdown.rows[0]?.b ?? null))).toEqual({
      correctness: 0.3,
      code_quality: 0.3,
      efficiency: 0.2,
      documentation: 0.2,
    })
  })

  it('JSON: an array of the original records', async () => {
    const { bytes } = await exportOf(opened, { format: 'json' }, python)
    const parsed = JSON.parse(bytes.toString('utf8')) as { language: string }[]
    expect(parsed.length).toBe(210)
    expect(new Set(parsed.map((r) => r.language))).toEqual(new Set(['python']))
    const back = await reopen('python.json', bytes)
    expect(columnTypes(back)).toEqual(columnTypes(opened.dataset))
  })

  it('JSON and JSON Lines from a CSV source are re-encoded with the columns’ types', async () => {
    const grades = await open(realPath('vizhub-rlhf/grades/ej-fox.csv'))
    const { bytes } = await exportOf(grades, { format: 'jsonl' })
    const rows = exportedLines(bytes).map(
      (l) => JSON.parse(l.toString('utf8')) as Record<string, unknown>,
    )
    expect(rows.length).toBe(15)
    expect(Object.keys(rows[0]!)).toEqual(grades.dataset.columns.map((c) => c.name))
    const array = await exportOf(grades, { format: 'json' })
    expect(JSON.parse(array.bytes.toString('utf8'))).toEqual(rows)
  })

  it('writes an empty export as a valid file of each format', async () => {
    const none: Filter = { ...EMPTY_FILTER, where: 'false' }
    expect((await exportOf(opened, { format: 'jsonl' }, none)).bytes.length).toBe(0)
    expect(JSON.parse((await exportOf(opened, { format: 'json' }, none)).bytes.toString())).toEqual(
      [],
    )
    const csv = (await exportOf(opened, { format: 'csv' }, none)).bytes.toString()
    expect(csv.split('\n').filter(Boolean).length).toBe(1)
    const parquet = (await exportOf(opened, { format: 'parquet' }, none)).bytes
    const table = parquetWasm.readParquet(parquet)
    expect(table).toBeTruthy()
  })
})

describeRealdata('derived columns', () => {
  it('gives an unnested profile one list entry per unit, and the QA findings with their unit', async () => {
    const opened = await open(realPath('acecode-87k/acecode_sample.jsonl'))
    const qa = quoteIdent(relationNames(opened.dataset.table).qa)
    await engine.exec(
      `CREATE TABLE ${qa} (__rl_row BIGINT, __rl_item BIGINT, rule VARCHAR, detail VARCHAR)`,
    )
    await engine.exec(`INSERT INTO ${qa} VALUES (0, 3, 'identical-code', 'same as item 7')`)
    try {
      const { bytes } = await exportOf(opened, { derived: true })
      const [line] = exportedLines(bytes)
      const source = sourceLines(await readFile(realPath('acecode-87k/acecode_sample.jsonl')))[0]!
      const close = source.lastIndexOf(0x7d)
      expect(line!.subarray(0, close).equals(source.subarray(0, close))).toBe(true)
      const row = JSON.parse(line!.toString()) as Record<string, unknown[]>
      expect(row.rl_language).toHaveLength(80)
      expect(row.rl_code_completion).toHaveLength(80)
      expect(row).not.toHaveProperty('rl_code_best_completion')
      expect(row.rl_qa).toEqual([{ item: 3, rule: 'identical-code', detail: 'same as item 7' }])
    } finally {
      await engine.exec(`DROP TABLE ${qa}`)
    }
  })

  it('extends the compacted records of a JSON array source', async () => {
    const file = realPath('kodcode/KodCode_leetcode_100_1741214688.json')
    const opened = await open(file)
    const { bytes } = await exportOf(opened, { derived: true, flags: true })
    const source = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>[]
    const rows = exportedLines(bytes).map(
      (l) => JSON.parse(l.toString()) as Record<string, unknown>,
    )
    expect(rows.length).toBe(source.length)
    rows.forEach((row, i) => {
      const original = Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith('rl_')))
      expect(original).toEqual(source[i])
      expect(Object.keys(row).filter((k) => k.startsWith('rl_'))).toEqual([
        'rl_language',
        'rl_code_solution',
        'rl_code_trial_qwen2_5_0',
        'rl_rerun_pass_rate',
        'rl_rerun_status',
        'rl_flagged',
        'rl_note',
      ])
      expect([row.rl_flagged, row.rl_note]).toEqual([false, null])
    })
  })
})

describeRealdata('flags in exports', () => {
  let opened: Opened
  beforeAll(async () => {
    opened = await open(realPath('code-rlaif/train.jsonl'))
    const flags = quoteIdent(relationNames(opened.dataset.table).flags)
    await engine.exec(`CREATE TABLE IF NOT EXISTS ${flags} (__rl_row BIGINT, note VARCHAR)`)
    await engine.exec(
      `INSERT INTO ${flags} VALUES (0, 'truncated'), (5, ''), (599, 'wrong reward')`,
    )
  })
  afterAll(async () => {
    await engine.exec(
      `DROP TABLE IF EXISTS ${quoteIdent(relationNames(opened.dataset.table).flags)}`,
    )
  })

  it('exports only the flagged rows with their notes', async () => {
    const { bytes } = await exportOf(opened, { flagged: 'only', flags: true })
    const rows = exportedLines(bytes).map(
      (l) => JSON.parse(l.toString()) as Record<string, unknown>,
    )
    expect(rows.map((r) => [r.rl_flagged, r.rl_note])).toEqual([
      [true, 'truncated'],
      [true, ''],
      [true, 'wrong reward'],
    ])
  })

  it('leaves the flagged rows out', async () => {
    const { outcome } = await exportOf(opened, { flagged: 'exclude' })
    expect(outcome.rows).toBe(597)
  })
})

describeRealdata('preference pairs', () => {
  it('rebuilds the vizhub export from its own pairs', async () => {
    const file = realPath('vizhub-rlhf/training-dataset-v1.0.jsonl')
    const opened = await open(file)
    const { bytes, outcome } = await exportOf(opened, { format: 'triplets' })
    const pairs = exportedLines(bytes).map(
      (l) => JSON.parse(l.toString()) as Record<string, unknown>,
    )
    const source = sourceLines(await readFile(file)).map(
      (l) =>
        JSON.parse(l.toString()) as {
          prompt: string
          chosen: string
          rejected: string
          metadata: {
            score_difference: number
            chosen_scores: { overall: number }
            rejected_scores: { overall: number }
          }
        },
    )
    const kept = source.filter(
      (r) => r.metadata.chosen_scores.overall !== r.metadata.rejected_scores.overall,
    )
    expect(pairs.length).toBe(kept.length)
    pairs.forEach((pair, i) => {
      const original = kept[i]!
      expect(Object.keys(pair)).toEqual(['prompt', 'chosen', 'rejected', 'metadata'])
      expect(pair.prompt).toBe(original.prompt)
      const higher =
        original.metadata.chosen_scores.overall > original.metadata.rejected_scores.overall
      expect(pair.chosen).toBe(higher ? original.chosen : original.rejected)
      expect(pair.rejected).toBe(higher ? original.rejected : original.chosen)
      expect((pair.metadata as { score_difference: number }).score_difference).toBeCloseTo(
        Math.abs(original.metadata.score_difference),
      )
    })
    const meta = JSON.parse(outcome.meta) as { pairs: Record<string, number> }
    expect(meta.pairs).toMatchObject({
      units: 9,
      written: kept.length,
      skipped_ties: 9 - kept.length,
    })
  })

  it('makes code-rlaif pairs with the teacher chosen where it scored higher, skipping ties', async () => {
    const opened = await open(realPath('code-rlaif/train.jsonl'))
    const { bytes, outcome } = await exportOf(opened, { format: 'triplets' })
    const pairs = exportedLines(bytes).map(
      (l) =>
        JSON.parse(l.toString()) as {
          chosen: string
          metadata: {
            chosen_side: string
            chosen_score: number
            rejected_score: number
            row: number
          }
        },
    )
    const expected = await engine.query(
      `SELECT count(*) FILTER (WHERE student_score <> teacher_score)::INTEGER AS kept,
              count(*) FILTER (WHERE student_score = teacher_score)::INTEGER AS ties,
              count(*) FILTER (WHERE student_score > teacher_score)::INTEGER AS student_wins
         FROM ${quoteIdent(opened.dataset.table)}`,
    )
    const { kept, ties, student_wins } = expected.rows[0] as Record<string, number>
    expect(ties).toBeGreaterThan(0)
    expect(pairs.length).toBe(kept)
    expect(pairs.filter((p) => p.metadata.chosen_side === 'student').length).toBe(student_wins)
    for (const pair of pairs)
      expect(pair.metadata.chosen_score).toBeGreaterThan(pair.metadata.rejected_score)
    const meta = JSON.parse(outcome.meta) as { pairs: Record<string, number> }
    expect(meta.pairs).toMatchObject({ units: 600, written: kept, skipped_ties: ties })
  })

  it('skips pairs closer than the minimum gap, counting 0.95 against 0.85 as a gap of 0.1', async () => {
    const opened = await open(realPath('code-rlaif/train.jsonl'))
    const gap = 0.1
    const { bytes } = await exportOf(opened, { format: 'triplets', minScoreGap: gap })
    const pairs = exportedLines(bytes).map(
      (l) => JSON.parse(l.toString()) as { metadata: { score_difference: number } },
    )
    const expected = await engine.query(
      `SELECT count(*) FILTER (WHERE round(abs(student_score - teacher_score), 9) >= ${gap})::INTEGER AS n FROM ${quoteIdent(opened.dataset.table)}`,
    )
    expect(pairs.length).toBe(expected.rows[0]?.n)
    for (const p of pairs) expect(p.metadata.score_difference).toBeGreaterThanOrEqual(gap)
    const plan = await planExport(engine, opened.dataset, opened.roles, EMPTY_FILTER, {
      ...DEFAULT_EXPORT_OPTIONS,
      format: 'triplets',
      minScoreGap: gap,
    })
    expect(plan.rows).toBe(pairs.length)
    expect(plan.pairs!.belowGap).toBeGreaterThan(0)
  })

  it('pairs each AceCode completion with the best one of its question', async () => {
    const opened = await open(realPath('acecode-87k/acecode_sample.jsonl'))
    const { bytes } = await exportOf(opened, { format: 'triplets' })
    const pairs = exportedLines(bytes).map(
      (l) =>
        JSON.parse(l.toString()) as {
          metadata: { chosen_score: number; rejected_score: number; item: number }
        },
    )
    expect(pairs.length).toBeGreaterThan(0)
    for (const p of pairs)
      expect(p.metadata.chosen_score).toBeGreaterThan(p.metadata.rejected_score)
  })

  it('refuses a profile without a score for each side', async () => {
    const opened = await open(realPath('code-rlaif/train_head_prompt_language_only.jsonl'))
    const plan = await planExport(engine, opened.dataset, opened.roles, EMPTY_FILTER, {
      ...DEFAULT_EXPORT_OPTIONS,
      format: 'triplets',
    })
    expect(plan.unavailable).toMatch(/two code roles|score/)
  })
})

describeRealdata('cancelling', () => {
  it('abandons the export mid-way and leaves nothing', async () => {
    const opened = await open(realPath('code-rlaif/train.jsonl'))
    const controller = new AbortController()
    let writes = 0
    const memory = memoryHost({
      onWrite: () => {
        if (++writes === 3) controller.abort()
      },
    })
    const run = exportRows(
      engine,
      memory.host,
      opened.dataset,
      opened.roles,
      EMPTY_FILTER,
      { ...DEFAULT_EXPORT_OPTIONS, format: 'csv' },
      undefined,
      controller.signal,
      { ...services, batchRows: 50, chunkBytes: 64 * 1024 },
    )
    await expect(run).rejects.toBeInstanceOf(ExportCancelled)
    expect(writes).toBe(3)
    expect(memory.exports[0]!.state).toBe('aborted')
    expect(memory.exports[0]!.chunks.length).toBe(0)
    const temp = await engine.query(
      `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name LIKE '__rl_export_%'`,
    )
    expect(temp.rows[0]?.n).toBe(0)
  })

  it('resolves to null when the save dialog is cancelled', async () => {
    const opened = await open(realPath('vizhub-rlhf/training-dataset-v1.0.jsonl'))
    const memory = memoryHost()
    const outcome = await exportRows(
      engine,
      { ...memory.host, beginExport: () => Promise.resolve(null) },
      opened.dataset,
      opened.roles,
      EMPTY_FILTER,
      DEFAULT_EXPORT_OPTIONS,
      undefined,
      undefined,
      services,
    )
    expect(outcome).toBeNull()
  })
})
