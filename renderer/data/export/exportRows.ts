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
import { quoteIdent } from '../../../shared/sql'
import type { LoadedDataset } from '../dataset'
import type { Engine } from '../engine'
import type { Filter } from '../filter'
import { derivedColumns, sourceColumns } from './columns'
import { type ExportServices, type Job, encodeBatches, readBatches, sourceText } from './encode'
import { type ExportOptions, exportFilter, suggestedName } from './options'
import { ExportOutput } from './output'
import { type PairsSql, pairCondition, pairLine } from './pairs'
import { loadParquetWasm } from './parquetWasm'
import { type ExportRoles, countWhere, isFaithful, pairCounts, pairsOf, rowCondition } from './plan'
import {
  type MetaColumn,
  type PairCounts,
  inlineParams,
  provenanceJson,
  sourceHash,
} from './provenance'

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

/** The export was cancelled; nothing was left at its path. */
export class ExportCancelled extends Error {
  override readonly name = 'ExportCancelled'
  constructor() {
    super('The export was cancelled; nothing was written.')
  }
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

/** Share of the progress bar for writing rows; the rest is the source's hash. */
const WRITE_SHARE = 0.85

let exportCounter = 0

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
  const text = sourceText(dataset, host)
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
      sourceText: text,
      checkCancelled,
      progress: (phase, fraction, rows, total) =>
        onProgress?.({ phase, fraction, rows, total, bytes: output.bytes }),
    }
    const written = pairs?.sql ? await writePairs(job, pairs.sql) : await writeRows(job)
    await output.flush()
    checkCancelled()

    const totalBytes = sourceBytes(dataset.source) || 1
    const hashFiles = async (source: LoadedDataset['source'], report: boolean) => {
      let hashedBefore = 0
      const files = []
      for (const file of source.files) {
        const hashing = sourceHash(
          file,
          (id, start, end) => host.readBytes(id, start, end),
          (done) =>
            report &&
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
      return files
    }
    const files = await hashFiles(dataset.source, true)
    const other = roles?.compared ?? null
    const compared = other && {
      name: other.dataset.source.name,
      format: other.dataset.format,
      rows: other.dataset.rowCount,
      key: other.key,
      side: other.side,
      files: await hashFiles(other.dataset.source, false),
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
      compared,
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
    await text.close().catch(() => undefined)
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
  return countWhere(job.engine, job.dataset.table, where)
}

/** Rows of the selection table. */
async function countSelection(job: Job): Promise<number> {
  const result = await job.engine.query(`SELECT count(*) AS n FROM ${quoteIdent(job.selection)}`)
  return Number(result.rows[0]?.n ?? 0)
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
    `CREATE TEMP TABLE ${sel} AS SELECT (row_number() OVER (ORDER BY rowid) - 1)::BIGINT AS seq, rowid AS id${origin} FROM ${table} WHERE ${where.text}`,
    [...where.params],
  )
  const count = await countSelection(job)
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
  const sql = inlineParams(
    `SELECT * FROM ${table} WHERE ${where.text} ORDER BY rowid`,
    where.params,
  )

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
  const count = await countSelection(job)
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
