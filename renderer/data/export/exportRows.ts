/**
 * Exports the rows the filter shows: picks where the file goes (through the Host), pages through
 * the rows in batches, encodes each batch and hands it to the Host, and finishes with the
 * provenance record. Nothing holds the whole output: one batch and one chunk at a time.
 *
 * Faithful by default: when the source is JSON Lines or JSON and the export is too, each record is
 * copied from the source file's bytes (read in large coalesced ranges), never re-encoded.
 */
// `?raw`: the package file is outside the renderer's project, so it is read as text, not imported.
import packageJson from '../../../package.json?raw'
import { type ExportResult, type Host, sourceBytes } from '../../../shared/host'
import type { Profile } from '../../../shared/profile'
import type { Engine, SqlParam } from '../engine'
import { type Filter, filterWhere, rowSource } from '../filter'
import type { LoadedDataset } from '../load'
import { flagsTableName } from '../profile/units'
import { quoteIdent } from '../../../shared/sql'
import type { CellValue, Row } from '../values'
import {
  type DerivedColumns,
  type ExportColumn,
  derivedColumns,
  relationExists,
  sourceColumns,
} from './columns'
import { csvHeader, csvLine } from './csvText'
import { appendMembers, compactJson, jsonValue } from './jsonText'
import { type ExportOptions, exportFilter, suggestedName } from './options'
import { ExportOutput } from './output'
import {
  type PairsSql,
  pairCondition,
  pairCountsSql,
  pairLine,
  pairsSql,
  pairsUnavailable,
} from './pairs'
import { ArrowBatches, type ParquetWasm, parquetChunks } from './parquet'
import { loadParquetWasm } from './parquetWasm'
import {
  type MetaColumn,
  type PairCounts,
  inlineParams,
  provenanceJson,
  sourceHash,
} from './provenance'

/** The roles of the open dataset and the units view built from them (the store's ProfileState fits). */
export interface ExportRoles {
  readonly profile: Profile
  readonly view: string
}

/** How far an export has got, for the progress bar. */
export interface ExportProgress {
  /** What is happening, in words. */
  readonly phase: string
  /** Fraction done, 0 to 1. */
  readonly fraction: number
  /** Rows (or pairs) written so far. */
  readonly rows: number
  /** Of how many. */
  readonly total: number
  /** Bytes written so far. */
  readonly bytes: number
}

/** A finished export. */
export interface ExportOutcome {
  readonly result: ExportResult
  /** Rows (or pairs) written. */
  readonly rows: number
  /** The provenance record written beside it. */
  readonly meta: string
}

/** What an export will write, for the dialog's summary. */
export interface ExportPlan {
  /** Rows (or, for pairs, pairs) the export will write. */
  readonly rows: number
  /** Rows the current filter shows. */
  readonly shown: number
  readonly total: number
  /** For pairs: what is kept and skipped. */
  readonly pairs: PairCounts | null
  /** True when records are copied byte for byte from the source. */
  readonly faithful: boolean
  /** Why this export cannot be made, or null. */
  readonly unavailable: string | null
}

/** The export was cancelled; nothing was left at its path. */
export class ExportCancelled extends Error {
  override readonly name = 'ExportCancelled'
  constructor() {
    super('The export was cancelled; nothing was written.')
  }
}

/** What the export needs besides the engine and the Host; tests give their own. */
export interface ExportServices {
  readonly parquet: () => Promise<ParquetWasm>
  readonly appVersion: string
  readonly now: () => Date
  /** Rows per batch (and per Parquet row group). */
  readonly batchRows: number
  /** Bytes gathered before a chunk goes to the Host; CHUNK_BYTES unless a test sets it. */
  readonly chunkBytes?: number
}

const DEFAULT_SERVICES: ExportServices = {
  parquet: loadParquetWasm,
  appVersion: (JSON.parse(packageJson) as { version: string }).version,
  now: () => new Date(),
  batchRows: 10_000,
}

/** Source bytes a batch should cover at most: large records (AceCode's ~60 KB) get fewer per batch. */
const BATCH_BYTES = 64 * 1024 * 1024

/** Rows per batch for a dataset: `most`, or fewer when its records are large. */
function batchRowsFor(dataset: LoadedDataset, most: number): number {
  const bytes = sourceBytes(dataset.source)
  const perRow = bytes / Math.max(1, dataset.rowCount)
  return Math.min(most, Math.max(64, Math.floor(BATCH_BYTES / Math.max(1, perRow))))
}

/** Bytes between two records still read in one range rather than two reads. */
const MAX_GAP = 1024 * 1024
/** Bytes at most read in one range. */
const MAX_RANGE = 16 * 1024 * 1024
/** Share of the progress bar for writing rows; the rest is the source's hash. */
const WRITE_SHARE = 0.85

let exportCounter = 0

/** True when records are copied from the source's bytes instead of re-encoded. */
export function isFaithful(dataset: LoadedDataset, options: ExportOptions): boolean {
  const jsonSource = dataset.format === 'jsonl' || dataset.format === 'json'
  return jsonSource && (options.format === 'jsonl' || options.format === 'json')
}

/** The WHERE over the dataset table selecting the rows an export writes, with its parameters. */
async function rowCondition(
  engine: Engine,
  dataset: LoadedDataset,
  roles: ExportRoles | null,
  filter: Filter,
): Promise<{ sql: string; params: readonly SqlParam[] }> {
  let usable = filter
  if (filter.flagged !== null && !(await relationExists(engine, flagsTableName(dataset.table)))) {
    // Nothing is flagged yet: "only flagged" keeps nothing and "exclude flagged" keeps everything.
    if (filter.flagged === 'only') return { sql: 'false', params: [] }
    usable = { ...filter, flagged: null }
  }
  return rowSource(dataset.table, roles?.view ?? null, usable).where
}

/** The pairs SQL of an export, or the reason it cannot be made. */
async function pairsOf(
  engine: Engine,
  dataset: LoadedDataset,
  roles: ExportRoles | null,
  filter: Filter,
) {
  const reason = pairsUnavailable(roles?.profile ?? null)
  if (reason !== null || !roles) return { reason: reason ?? '', sql: null }
  let usable = filter
  let nothing = false
  if (filter.flagged !== null && !(await relationExists(engine, flagsTableName(dataset.table)))) {
    nothing = filter.flagged === 'only'
    usable = { ...filter, flagged: null }
  }
  const where = filterWhere(roles.view, usable)
  const sql = pairsSql(roles.profile, roles.view, nothing ? { sql: 'false', params: [] } : where)
  return { reason: null, sql }
}

async function countOf(engine: Engine, sql: string, params: readonly SqlParam[]): Promise<number> {
  const result = await engine.query(sql, [...params])
  return Number(result.rows[0]?.n ?? 0)
}

async function pairCounts(engine: Engine, sql: PairsSql, gap: number): Promise<PairCounts> {
  const result = await engine.query(pairCountsSql(sql, gap), [...sql.params])
  const row = result.rows[0] ?? {}
  const n = (key: string) => Number(row[key] ?? 0)
  const units = n('units')
  const skipped = n('incomplete') + n('ties') + n('below_gap')
  return {
    units,
    written: units - skipped,
    ties: n('ties'),
    belowGap: n('below_gap'),
    incomplete: n('incomplete'),
  }
}

/** What an export of the current filter with these options would write. */
export async function planExport(
  engine: Engine,
  dataset: LoadedDataset,
  roles: ExportRoles | null,
  filter: Filter,
  options: ExportOptions,
): Promise<ExportPlan> {
  const table = quoteIdent(dataset.table)
  const shownWhere = await rowCondition(engine, dataset, roles, filter)
  const shown = await countOf(
    engine,
    `SELECT count(*) AS n FROM ${table} WHERE ${shownWhere.sql}`,
    shownWhere.params,
  )
  const effective = exportFilter(filter, options)
  const base = { shown, total: dataset.rowCount, faithful: isFaithful(dataset, options) }
  if (options.format === 'triplets') {
    const pairs = await pairsOf(engine, dataset, roles, effective)
    if (!pairs.sql) return { ...base, rows: 0, pairs: null, unavailable: pairs.reason }
    const counts = await pairCounts(engine, pairs.sql, options.minScoreGap)
    return { ...base, rows: counts.written, pairs: counts, unavailable: null }
  }
  const where = await rowCondition(engine, dataset, roles, effective)
  const rows =
    effective === filter
      ? shown
      : await countOf(engine, `SELECT count(*) AS n FROM ${table} WHERE ${where.sql}`, where.params)
  return { ...base, rows, pairs: null, unavailable: null }
}

/**
 * Starts hashing the source files in the background (the dialog calls it when it opens), so the
 * provenance record is usually ready by the time the rows are written.
 */
export function startSourceHash(dataset: LoadedDataset, host: Pick<Host, 'readBytes'>): void {
  // One file at a time: a folder of shards must not read all its files at once.
  void (async () => {
    for (const file of dataset.source.files) {
      await sourceHash(file, (id, start, end) => host.readBytes(id, start, end))
    }
  })().catch(() => undefined)
}

/** One batch of keys from the selection table. */
type Keys = readonly Row[]

/**
 * Writes an export of the rows the filter shows. Resolves to null when the person cancels the
 * save dialog; rejects with ExportCancelled when `signal` aborts (the Host drops the partial file)
 * and with the Host's or engine's error otherwise, after abandoning the export.
 */
export async function exportRows(
  engine: Engine,
  host: Pick<Host, 'beginExport' | 'writeExport' | 'finishExport' | 'abortExport' | 'readBytes'>,
  dataset: LoadedDataset,
  roles: ExportRoles | null,
  filter: Filter,
  options: ExportOptions,
  onProgress?: (progress: ExportProgress) => void,
  signal?: AbortSignal,
  given: ExportServices = DEFAULT_SERVICES,
): Promise<ExportOutcome | null> {
  const services = { ...given, batchRows: batchRowsFor(dataset, given.batchRows) }
  const pairs =
    options.format === 'triplets'
      ? await pairsOf(engine, dataset, roles, exportFilter(filter, options))
      : null
  if (pairs && !pairs.sql) throw new Error(pairs.reason)
  const target = await host.beginExport(suggestedName(dataset, filter, options))
  if (!target) return null
  const selection = `__rl_export_${++exportCounter}`
  const output = new ExportOutput(host, target.id, services.chunkBytes)
  const startedAt = services.now()
  const checkCancelled = () => {
    if (signal?.aborted) throw new ExportCancelled()
  }
  try {
    const job: Job = {
      engine,
      host,
      dataset,
      roles,
      filter,
      options,
      services,
      selection,
      output,
      checkCancelled,
      progress: (phase, fraction, rows, total) =>
        onProgress?.({ phase, fraction, rows, total, bytes: output.bytes }),
    }
    const written = pairs?.sql ? await writePairs(job, pairs.sql) : await writeRows(job)
    await output.flush()
    checkCancelled()

    const totalBytes = sourceBytes(dataset.source) || 1
    let hashedBefore = 0
    const files = []
    for (const file of dataset.source.files) {
      const hashing = sourceHash(
        file,
        (id, start, end) => host.readBytes(id, start, end),
        (done) =>
          job.progress(
            'Computing the SHA-256 of the source',
            WRITE_SHARE + ((1 - WRITE_SHARE) * (hashedBefore + done)) / totalBytes,
            written.rows,
            written.rows,
          ),
      )
      const sha256 = await untilCancelled(hashing, signal)
      hashedBefore += file.size
      files.push({ name: file.name, size: file.size, sha256 })
    }
    checkCancelled()
    const shown = await planShown(job)
    const meta = provenanceJson({
      appVersion: services.appVersion,
      exportedAt: startedAt,
      fileName: target.name,
      bytes: output.bytes,
      options,
      encoding: written.encoding,
      source: {
        name: dataset.source.name,
        format: dataset.format,
        rows: dataset.rowCount,
        skippedRecords: dataset.skippedCount,
        files,
      },
      filter: exportFilter(filter, options),
      sql: written.sql,
      rows: { exported: written.rows, shown, total: dataset.rowCount },
      columns: written.columns,
      profile: roles?.profile ?? null,
      pairs: written.pairs,
    })
    job.progress('Finishing', 1, written.rows, written.rows)
    const result = await host.finishExport(target.id, meta)
    return { result, rows: written.rows, meta }
  } catch (error) {
    await host.abortExport(target.id).catch(() => undefined)
    if (signal?.aborted) throw new ExportCancelled()
    throw error
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(selection)}`).catch(() => undefined)
  }
}

/** Waits for a promise unless the export is cancelled first (the hash goes on, for next time). */
function untilCancelled<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ExportCancelled())
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** Everything one export run needs. */
interface Job {
  readonly engine: Engine
  readonly host: Pick<Host, 'readBytes'>
  readonly dataset: LoadedDataset
  readonly roles: ExportRoles | null
  readonly filter: Filter
  readonly options: ExportOptions
  readonly services: ExportServices
  /** The temporary table listing what is exported, in order, numbered by `seq`. */
  readonly selection: string
  readonly output: ExportOutput
  readonly checkCancelled: () => void
  readonly progress: (phase: string, fraction: number, rows: number, total: number) => void
}

/** What the writing of rows or pairs reports for the provenance record. */
interface Written {
  readonly rows: number
  readonly sql: string
  readonly encoding: string
  readonly columns: readonly MetaColumn[]
  readonly pairs: PairCounts | null
}

async function planShown(job: Job): Promise<number> {
  const where = await rowCondition(job.engine, job.dataset, job.roles, job.filter)
  return countOf(
    job.engine,
    `SELECT count(*) AS n FROM ${quoteIdent(job.dataset.table)} WHERE ${where.sql}`,
    where.params,
  )
}

/** Writes the rows an export selects, in file order. */
async function writeRows(job: Job): Promise<Written> {
  const { engine, dataset, options } = job
  const table = quoteIdent(dataset.table)
  const sel = quoteIdent(job.selection)
  const faithful = isFaithful(dataset, options)
  const where = await rowCondition(engine, dataset, job.roles, exportFilter(job.filter, options))
  const origin = faithful ? ', __rl_file AS f, __rl_offset AS o, __rl_bytes AS b' : ''
  await engine.query(
    `CREATE TEMP TABLE ${sel} AS SELECT (row_number() OVER (ORDER BY rowid) - 1)::BIGINT AS seq, rowid AS id${origin} FROM ${table} WHERE ${where.sql}`,
    [...where.params],
  )
  const count = await countOf(engine, `SELECT count(*) AS n FROM ${sel}`, [])
  const derived = await derivedColumns(engine, dataset, job.roles, options)
  const columns = faithful ? [] : sourceColumns(dataset, options.format === 'parquet')
  const metaColumns: MetaColumn[] = [
    ...dataset.columns.map((c) => ({ name: c.name, type: c.type, origin: 'source' as const })),
    ...(derived?.columns ?? []).map((c) => ({
      name: c.name,
      type: c.sourceType,
      origin: 'derived' as const,
    })),
  ]
  const sql = inlineParams(`SELECT * FROM ${table} WHERE ${where.sql} ORDER BY rowid`, where.params)

  const batches = readBatches(job, count, columns, derived, faithful)
  let done = 0
  const progress = (rows: number) => {
    done += rows
    job.progress(
      'Writing rows',
      count > 0 ? (WRITE_SHARE * done) / count : WRITE_SHARE,
      done,
      count,
    )
  }
  job.progress('Writing rows', 0, 0, count)
  const encoding = await encodeBatches(job, batches, columns, derived, faithful, progress)
  return { rows: count, sql, encoding, columns: metaColumns, pairs: null }
}

/** One batch: the dataset rows (re-encoded exports) or the original records (faithful ones). */
interface Batch {
  readonly keys: Keys
  /** Values per row in column order: the dataset's columns, then the derived ones. */
  readonly values: readonly (readonly CellValue[])[] | null
  /** The derived columns as JSON members (`"rl_language":"rust"`), for faithful records. */
  readonly members: readonly string[] | null
  readonly records: readonly Uint8Array[] | null
}

/**
 * Reads the export batch by batch, in selection order. The next batch is asked for before the
 * current one is handed on, so the engine (a worker in the app) reads while this thread encodes.
 */
async function* readBatches(
  job: Job,
  count: number,
  columns: readonly ExportColumn[],
  derived: DerivedColumns | null,
  faithful: boolean,
): AsyncGenerator<Batch> {
  const { engine, dataset, services } = job
  const sel = quoteIdent(job.selection)
  const table = quoteIdent(dataset.table)
  const select = ['rowid AS __rl_id', ...columns.map((c) => c.select)].join(', ')

  const fetchBatch = async (start: number): Promise<Batch> => {
    const end = Math.min(count, start + services.batchRows)
    const keys = (
      await engine.query(`SELECT * FROM ${sel} WHERE seq >= ? AND seq < ? ORDER BY seq`, [
        start,
        end,
      ])
    ).rows
    const lo = Number(keys[0]!.id)
    const hi = Number(keys[keys.length - 1]!.id)
    const lookup = derived ? await derived.fetch(lo, hi) : null
    if (faithful) {
      const records = await readRecords(job, keys)
      const members = lookup
        ? keys.map((key) => {
            const values = lookup(Number(key.id))
            return derived!.columns
              .map((c, i) => `${JSON.stringify(c.name)}:${jsonValue(values[i] ?? null, c.type)}`)
              .join(',')
          })
        : null
      return { keys, values: null, members, records }
    }
    // The rowid range lets the engine skip straight to the batch's rows.
    const rows = (
      await engine.query(
        `SELECT ${select} FROM ${table} WHERE rowid BETWEEN ? AND ? AND rowid IN (SELECT id FROM ${sel} WHERE seq >= ? AND seq < ?) ORDER BY rowid`,
        [lo, hi, start, end],
      )
    ).rows
    const values = rows.map((row) => {
      const own = columns.map((c) => row[c.name] ?? null)
      return lookup ? [...own, ...lookup(Number(row.__rl_id))] : own
    })
    return { keys, values, members: null, records: null }
  }

  const ask = (start: number) => {
    const batch = fetchBatch(start)
    // Handled here so a failure while the previous batch is encoded is not "unhandled"; the
    // await below still throws it.
    batch.catch(() => undefined)
    return batch
  }
  let next: Promise<Batch> | null = count > 0 ? ask(0) : null
  for (let start = 0; next !== null; start += services.batchRows) {
    const batch = await next
    job.checkCancelled()
    const following = start + services.batchRows
    next = following < count ? ask(following) : null
    yield batch
  }
}

/**
 * The original bytes of each selected record, read in ranges that cover many records at once:
 * neighbours closer than MAX_GAP share a read, so a filtered export costs a few reads per batch.
 */
async function readRecords(job: Job, keys: Keys): Promise<Uint8Array[]> {
  const files = job.dataset.source.files
  const out: Uint8Array[] = []
  let i = 0
  while (i < keys.length) {
    const first = keys[i]!
    const file = Number(first.f)
    const start = Number(first.o)
    let end = start + Number(first.b)
    let j = i + 1
    for (; j < keys.length; j++) {
      const key = keys[j]!
      const offset = Number(key.o)
      const stop = offset + Number(key.b)
      if (
        Number(key.f) !== file ||
        offset < end ||
        offset - end > MAX_GAP ||
        stop - start > MAX_RANGE
      )
        break
      end = stop
    }
    const fileId = files[file]?.id
    if (fileId === undefined)
      throw new Error(`row ${Number(first.id) + 1} names a file the dataset does not have`)
    const bytes = await job.host.readBytes(fileId, start, end)
    if (bytes.length < end - start) {
      throw new Error(
        `${files[file]!.name} is shorter than when it was opened; it has changed since`,
      )
    }
    for (let k = i; k < j; k++) {
      const offset = Number(keys[k]!.o) - start
      out.push(bytes.subarray(offset, offset + Number(keys[k]!.b)))
    }
    i = j
  }
  return out
}

/** Encodes the batches in the export's format; resolves to how the rows were written, in words. */
async function encodeBatches(
  job: Job,
  batches: AsyncGenerator<Batch>,
  columns: readonly ExportColumn[],
  derived: DerivedColumns | null,
  faithful: boolean,
  progress: (rows: number) => void,
): Promise<string> {
  const { output, options, dataset } = job
  const all = [...columns, ...(derived?.columns ?? [])]
  switch (options.format) {
    case 'parquet': {
      const wasm = await job.services.parquet()
      const arrow = new ArrowBatches(all)
      async function* ipc(): AsyncGenerator<Uint8Array> {
        let any = false
        for await (const batch of batches) {
          any = true
          yield arrow.ipc(batch.values!)
          progress(batch.keys.length)
        }
        // An empty export is still a Parquet file with the columns.
        if (!any) yield arrow.ipc([])
      }
      for await (const chunk of parquetChunks(
        wasm,
        ipc(),
        job.services.batchRows,
        `RewardLens ${job.services.appVersion}`,
      )) {
        await output.add(chunk)
        job.checkCancelled()
      }
      return 'Parquet, ZSTD-compressed, one row group per batch, with the columns’ own types'
    }
    case 'csv': {
      await output.add(csvHeader(all.map((c) => c.name)))
      const types = all.map((c) => c.type)
      for await (const batch of batches) {
        for (const values of batch.values!) await output.add(csvLine(values, types))
        progress(batch.keys.length)
      }
      return 'CSV (RFC 4180): nested values as JSON text, null as an empty field'
    }
    case 'jsonl':
    case 'json': {
      const array = options.format === 'json'
      let first = true
      if (array) await output.add('[')
      for await (const batch of batches) {
        if (faithful) {
          const compact = !array && dataset.format === 'json'
          for (const [k, record] of batch.records!.entries()) {
            const bytes = compact ? compactJson(record) : record
            const members = batch.members?.[k] ?? ''
            if (array) await output.add(first ? '\n' : ',\n')
            for (const part of appendMembers(bytes, members)) await output.add(part)
            if (!array) await output.add('\n')
            first = false
          }
        } else {
          for (const values of batch.values!) {
            const members = all.map(
              (c, i) => `${JSON.stringify(c.name)}:${jsonValue(values[i] ?? null, c.type)}`,
            )
            const separator = array ? (first ? '\n' : ',\n') : ''
            await output.add(`${separator}{${members.join(',')}}${array ? '' : '\n'}`)
            first = false
          }
        }
        progress(batch.keys.length)
      }
      if (array) await output.add(first ? ']\n' : '\n]\n')
      if (!faithful) return `${array ? 'A JSON array' : 'JSON Lines'} re-encoded from the columns`
      return dataset.format === 'json' && !array
        ? 'JSON Lines: each record of the JSON source with the whitespace between tokens removed, every value as written'
        : `${array ? 'A JSON array of the' : 'JSON Lines:'} original records, byte for byte${derived ? ', with the derived members appended before each closing brace' : ''}`
    }
    case 'triplets':
      throw new Error('pairs are written by writePairs')
  }
}

/** Writes preference pairs of the units the filter shows. */
async function writePairs(job: Job, sql: PairsSql): Promise<Written> {
  const { engine, dataset, options, services, output } = job
  const roles = job.roles!
  const sel = quoteIdent(job.selection)
  const gap = options.minScoreGap
  const condition = pairCondition(sql, gap)
  const counts = await pairCounts(engine, sql, gap)
  await engine.query(
    `CREATE TEMP TABLE ${sel} AS SELECT (row_number() OVER (ORDER BY r, i) - 1)::BIGINT AS seq, r, i
       FROM (SELECT u.__rl_row AS r, u.__rl_item AS i FROM ${sql.from} WHERE ${condition})`,
    [...sql.params],
  )
  const count = await countOf(engine, `SELECT count(*) AS n FROM ${sel}`, [])
  const context = {
    source: dataset.source.name,
    labelA: roles.profile.codeA!.label,
    labelB: roles.profile.codeB!.label,
    unnested: roles.profile.unnest !== null,
    generatedAt: services.now().toISOString(),
  }
  job.progress('Writing pairs', 0, 0, count)
  for (let start = 0; start < count; start += services.batchRows) {
    job.checkCancelled()
    const end = Math.min(count, start + services.batchRows)
    const bounds = (
      await engine.query(
        `SELECT min(r) AS lo, max(r) AS hi FROM ${sel} WHERE seq >= ? AND seq < ?`,
        [start, end],
      )
    ).rows[0]!
    const rows = (
      await engine.query(
        `SELECT ${sql.select} FROM ${sql.from}
           JOIN (SELECT r, i FROM ${sel} WHERE seq >= ? AND seq < ?) k
             ON k.r = u.__rl_row AND k.i IS NOT DISTINCT FROM u.__rl_item
           WHERE u.__rl_row BETWEEN ? AND ?
           ORDER BY u.__rl_row, u.__rl_item`,
        [...sql.params, start, end, Number(bounds.lo), Number(bounds.hi)],
      )
    ).rows
    for (const row of rows) await output.add(pairLine(row, context))
    job.progress('Writing pairs', (WRITE_SHARE * end) / count, end, count)
  }
  const pairType =
    'STRUCT(prompt VARCHAR, chosen VARCHAR, rejected VARCHAR, metadata STRUCT(source VARCHAR, "row" BIGINT, item BIGINT, "group" VARCHAR, "language" VARCHAR, chosen_side VARCHAR, rejected_side VARCHAR, chosen_model VARCHAR, rejected_model VARCHAR, chosen_score DOUBLE, rejected_score DOUBLE, score_difference DOUBLE, generated_at VARCHAR))'
  return {
    rows: count,
    sql: inlineParams(
      `SELECT ${sql.select} FROM ${sql.from} WHERE ${condition} ORDER BY unit_row, unit_item`,
      sql.params,
    ),
    encoding: `Preference pairs {prompt, chosen, rejected, metadata} as JSON Lines: the side with the higher score is chosen; ties and gaps under ${gap} skipped`,
    columns: [{ name: 'pair', type: pairType, origin: 'derived' }],
    pairs: { ...counts, written: count },
  }
}
