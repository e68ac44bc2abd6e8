/**
 * Loads a dataset source into the engine: sniff, decode in batches, insert, describe.
 *
 * The loader reads each file in chunks through the Host, hands them to the decoder (the ingest
 * worker in the app) and inserts the Arrow batches it returns, one insert in flight while the next
 * chunk is read and decoded. Nothing holds the whole file as text or as parsed rows.
 */
import {
  type Compression,
  type DatasetFile,
  type DatasetFormat,
  type DatasetSource,
  sourceBytes,
} from '../../shared/host'
import {
  COMPRESSED_READ_BYTES,
  type CompressedFile,
  CompressedDataError,
  decompressedHead,
  decompressedPieces,
} from './ingest/compressed'
import type { BuildResult, BuildStep, ByteSource, Decoder } from './ingest/decoder'
import type { ScanResult, SkippedRecord } from './ingest/jsonDecoder'
import type { StoredField } from './ingest/schema'
import {
  SNIFF_BYTES,
  UnreadableFileError,
  endsWithParquetMagic,
  formatName,
  sniffCompressedFormat,
  sniffCompression,
  sniffFormat,
} from './ingest/sniff'
import { type LoadedDataset, describeTable } from './dataset'
import { parseJsonText } from './jsonText'
import type { Engine } from './engine'
import { errorMessage } from './errors'
import { countRows } from './explore'
import { tableSource } from './filter'
import { readParquetNatively, readsNatively } from './nativeParquet'
import { derivedRelations, relationNames } from './relations'
import { quoteIdent, quoteString } from '../../shared/sql'
import { valueText } from './values'

/** Reads bytes [start, end) of a file; the Host's `readBytes`. */
export type ReadBytes = (fileId: string, start: number, end: number) => Promise<Uint8Array>

/** How far a load has got, for the progress bar. */
export interface LoadProgress {
  /** What is happening, in words: "Reading", "Loading rows", ... */
  readonly phase: string
  /** Fraction done, 0 to 1. */
  readonly fraction: number
  /** Rows loaded so far (0 while reading). */
  readonly rows: number
}

/** The load was cancelled by the user; the engine is left as it was. */
export class LoadCancelled extends Error {
  override readonly name = 'LoadCancelled'
  constructor() {
    super('Loading was cancelled.')
  }
}

/** A dataset that cannot be opened, with a message for the person who tried. */
export class LoadError extends Error {
  override readonly name = 'LoadError'
}

/** What the loader needs from the outside. */
export interface LoadDeps {
  readonly engine: Engine
  readonly decoder: Decoder
  readonly readBytes: ReadBytes
  readonly onProgress?: (progress: LoadProgress) => void
  readonly signal?: AbortSignal
  /** Bytes per read; larger chunks mean fewer round trips, smaller ones smoother progress. */
  readonly chunkBytes?: number
}

const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024
let tableCounter = 0

/** What sniffing found of one file of a source. */
interface SniffedFile {
  readonly format: DatasetFormat
  /** How it is compressed as a whole, or null. */
  readonly compression: Compression | null
  /** Its first bytes as text (decompressed), which decide lines or array. */
  readonly head: Uint8Array
}

/** Loads every file of a source into a new engine table. */
export async function loadDataset(source: DatasetSource, deps: LoadDeps): Promise<LoadedDataset> {
  const started = performance.now()
  if (source.files.length === 0) throw new LoadError(`${source.name} holds no dataset files.`)
  const sniffed = await sniffSource(source, deps)
  const format = sniffed[0]!.format
  const table = `dataset_${++tableCounter}`
  try {
    let skipped: readonly SkippedRecord[] = []
    let skippedCount = 0
    /** SQL naming the file (its index in the source) each row came from. */
    let fileOfRow = '__rl_file'
    if (format === 'jsonl' || format === 'json') {
      ;({ skipped, skippedCount } = await loadJson(source, sniffed, table, deps))
    } else if (format === 'parquet') {
      const ends = await loadParquet(source, table, deps)
      fileOfRow = `CASE ${ends.map((end, i) => `WHEN rowid < ${end} THEN ${i}`).join(' ')} END`
    } else {
      ;({ skipped, skippedCount } = await loadCsv(source, sniffed, table, deps))
      fileOfRow = CSV_FILE_COLUMN
    }
    await addSplitColumn(source, table, fileOfRow, deps.engine)
    const columns = await describeTable(deps.engine, table)
    const rowCount = await countRows(deps.engine, tableSource(table))
    const jsonFields = await parseJsonText(deps.engine, table, columns, rowCount)
    const engineBytes = await deps.engine.memoryBytes()
    return {
      source,
      format,
      table,
      rowCount,
      columns,
      jsonFields,
      skipped,
      skippedCount,
      loadMs: performance.now() - started,
      engineBytes,
      engineName: deps.engine.name,
      compressions: sniffed.map((file) => file.compression),
    }
  } catch (error) {
    await deps.engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`).catch(() => undefined)
    if (error instanceof LoadCancelled || error instanceof LoadError) throw error
    if (error instanceof UnreadableFileError || error instanceof CompressedDataError)
      throw new LoadError(error.message)
    throw new LoadError(`${source.name} could not be loaded: ${errorMessage(error)}`)
  }
}

/** Drops a loaded dataset's table, and every relation derived from it, from the engine. */
export async function closeDataset(engine: Engine, dataset: LoadedDataset): Promise<void> {
  for (const { name, kind } of derivedRelations(relationNames(dataset.table))) {
    await engine.exec(`DROP ${kind} IF EXISTS ${quoteIdent(name)}`)
  }
  await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(dataset.table)}`)
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LoadCancelled()
}

/** Sniffs every file; all files of one source must share a format family. */
async function sniffSource(source: DatasetSource, deps: LoadDeps): Promise<SniffedFile[]> {
  let format: DatasetFormat | null = null
  const sniffed: SniffedFile[] = []
  for (const file of source.files) {
    checkCancelled(deps.signal)
    let head = await readHead(file, deps)
    let fileFormat: DatasetFormat
    let compression: Compression | null
    try {
      compression = file.size === 0 ? null : sniffCompression(file.name, head)
      if (compression === null) {
        fileFormat = sniffFormat(file.name, file.size, head)
      } else {
        head = await decompressedHead({ ...file, compression }, deps.readBytes, SNIFF_BYTES)
        fileFormat = sniffCompressedFormat(file.name, compression, head)
      }
    } catch (error) {
      if (error instanceof UnreadableFileError || error instanceof CompressedDataError)
        throw new LoadError(error.message)
      throw error
    }
    if (
      fileFormat === 'parquet' &&
      file.size > 8 &&
      !endsWithParquetMagic(await readTail(file, deps))
    ) {
      throw new LoadError(
        `${file.name} is not a complete Parquet file: its footer is missing, so it was probably cut off while being copied or written.`,
      )
    }
    const family = fileFormat === 'json' ? 'jsonl' : fileFormat
    const seen = format === 'json' ? 'jsonl' : format
    if (seen !== null && seen !== family) {
      throw new LoadError(
        `${source.name} mixes ${formatName(format!)} and ${formatName(fileFormat)} files; open one kind at a time.`,
      )
    }
    format ??= fileFormat
    sniffed.push({ format: fileFormat, compression, head: head.slice(0, 1024) })
  }
  return sniffed
}

async function readHead(file: DatasetFile, deps: LoadDeps): Promise<Uint8Array> {
  try {
    return await deps.readBytes(file.id, 0, Math.min(file.size, SNIFF_BYTES))
  } catch (error) {
    throw new LoadError(`${file.path} cannot be read: ${errorMessage(error)}`)
  }
}

async function readTail(file: DatasetFile, deps: LoadDeps): Promise<Uint8Array> {
  return deps.readBytes(file.id, file.size - 4, file.size)
}

/** Reads a file chunk by chunk, the next read overlapping the processing of the current chunk. */
async function forEachChunk(
  file: DatasetFile,
  deps: LoadDeps,
  onChunk: (chunk: Uint8Array, start: number, end: number) => Promise<boolean | void>,
  chunkBytes = deps.chunkBytes ?? DEFAULT_CHUNK_BYTES,
): Promise<void> {
  const size = chunkBytes
  const read = (start: number) => deps.readBytes(file.id, start, Math.min(file.size, start + size))
  let next = file.size > 0 ? read(0) : null
  for (let start = 0; start < file.size; start += size) {
    checkCancelled(deps.signal)
    const chunk = await next!
    const end = Math.min(file.size, start + size)
    next = end < file.size ? read(end) : null
    if ((await onChunk(chunk, start, end)) === true) {
      next?.catch(() => undefined)
      return
    }
  }
}

/** A stretch of the progress bar, so several passes share one bar. */
interface ProgressSpan {
  readonly phase: string
  readonly from: number
  readonly to: number
}

async function loadJson(
  source: DatasetSource,
  sniffed: readonly SniffedFile[],
  table: string,
  deps: LoadDeps,
): Promise<{ skipped: readonly SkippedRecord[]; skippedCount: number }> {
  // Most files keep one shape: build straight away with the schema of the first rows.
  const guess = await buildJson(source, sniffed, table, deps, null, {
    phase: 'Loading rows',
    from: 0,
    to: 1,
  })
  if (!guess.drifted) {
    if (guess.rows === 0)
      throw new LoadError(noRowsMessage(source, guess.skippedCount, guess.skipped))
    return guess
  }
  // The shape changed further down: scan everything for the full schema, then build again.
  await deps.engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`)
  const scan = await scanJson(source, sniffed, deps, {
    phase: 'Reading (the columns change further down the file)',
    from: 0,
    to: 0.5,
  })
  if (scan.rows === 0) throw new LoadError(noRowsMessage(source, scan.skippedCount, scan.skipped))
  await buildJson(source, sniffed, table, deps, scan.fields, {
    phase: 'Loading rows',
    from: 0.5,
    to: 1,
  })
  return scan
}

/** Feeds every file of a source through the decoder's current pass. */
async function feedFiles(
  source: DatasetSource,
  sniffed: readonly SniffedFile[],
  deps: LoadDeps,
  span: ProgressSpan,
  rowsAt: (fraction: number) => number,
  onStep: (step: BuildStep) => Promise<boolean>,
): Promise<boolean> {
  const { decoder, onProgress } = deps
  const totalBytes = sourceBytes(source) || 1
  let doneBytes = 0
  for (const [index, file] of source.files.entries()) {
    const { compression, head } = sniffed[index]!
    // A compressed file goes to the decoder as it is on disk, in smaller reads: it grows there.
    const compressed: CompressedFile | null = compression
      ? { name: file.name, size: file.size, compression }
      : null
    const decoded = <T>(step: Promise<T>): Promise<T> =>
      compressed ? step.catch((error: unknown) => Promise.reject(decompressionError(error))) : step
    let first = true
    let stopped = false
    await forEachChunk(
      file,
      deps,
      async (chunk, _start, end) => {
        // A copy each time: the worker takes the buffer, and a second pass needs it again.
        if (first) await decoder.beginFile(index, head.slice(), compressed)
        first = false
        stopped = await onStep(await decoded(decoder.push(chunk)))
        const fraction = (doneBytes + end) / totalBytes
        onProgress?.({
          phase: span.phase,
          fraction: span.from + (span.to - span.from) * fraction,
          rows: rowsAt(fraction),
        })
        return stopped
      },
      compressed ? COMPRESSED_READ_BYTES : undefined,
    )
    if (stopped || (await onStep(await decoded(decoder.endFile())))) return true
    doneBytes += file.size
  }
  return false
}

/**
 * A decoder's failure on a compressed file: the decompressor's own message (what and where, with
 * the file's name), which crossed from the worker as text.
 */
function decompressionError(error: unknown): Error {
  return error instanceof LoadCancelled ? error : new LoadError(errorMessage(error))
}

async function scanJson(
  source: DatasetSource,
  sniffed: readonly SniffedFile[],
  deps: LoadDeps,
  span: ProgressSpan,
): Promise<ScanResult> {
  await deps.decoder.beginScan()
  await feedFiles(
    source,
    sniffed,
    deps,
    span,
    () => 0,
    () => Promise.resolve(false),
  )
  return deps.decoder.endScan()
}

/** Pass two: decodes and inserts batches, one insert running while the next chunk decodes. */
async function buildJson(
  source: DatasetSource,
  sniffed: readonly SniffedFile[],
  table: string,
  deps: LoadDeps,
  fields: readonly StoredField[] | null,
  span: ProgressSpan,
): Promise<BuildResult> {
  const { decoder, engine } = deps
  let created = false
  let decodedRows = 0
  const insertBatches = async (batches: readonly Uint8Array[]) => {
    for (const batch of batches) {
      checkCancelled(deps.signal)
      await engine.insertArrowIPC(table, batch, !created)
      created = true
    }
  }
  let inserting: Promise<void> = Promise.resolve()
  await decoder.beginBuild(fields)
  const drifted = await feedFiles(
    source,
    sniffed,
    deps,
    span,
    () => decodedRows,
    async (step) => {
      // Wait for the previous insert only: this step's decoding overlapped it.
      await inserting
      if (step.drifted) return true
      decodedRows = step.rows
      inserting = insertBatches(step.batches)
      inserting.catch(() => undefined)
      return false
    },
  )
  await inserting
  const result = await decoder.endBuild()
  if (drifted || result.drifted) return { ...result, drifted: true }
  await insertBatches(result.batches)
  return result
}

function noRowsMessage(
  source: DatasetSource,
  skippedCount: number,
  skipped: readonly SkippedRecord[],
): string {
  if (skippedCount === 0) return `${source.name} holds no rows: it is empty or only whitespace.`
  const first = skipped[0]
  const where = first ? ` Line ${first.line}: ${first.reason}.` : ''
  return `No rows could be read from ${source.name}: all ${skippedCount.toLocaleString('en-US')} records are unreadable.${where}`
}

/** Loads Parquet files; resolves to the row count after each file (the rows' file, by rowid). */
async function loadParquet(
  source: DatasetSource,
  table: string,
  deps: LoadDeps,
): Promise<number[]> {
  const { decoder, engine, onProgress } = deps
  let created = false
  const ends: number[] = []
  for (const [fileIndex, file] of source.files.entries()) {
    checkCancelled(deps.signal)
    if (readsNatively(engine, file)) {
      // Native DuckDB reads the file itself, on every core (nativeParquet.ts).
      await readParquetNatively(file, table, !created, {
        engine,
        readBytes: deps.readBytes,
        checkCancelled: () => checkCancelled(deps.signal),
        onRead: (read) =>
          onProgress?.({
            phase: 'Reading',
            fraction: (fileIndex + read * 0.5) / source.files.length,
            rows: 0,
          }),
      }).catch((error: unknown) => {
        if (error instanceof LoadCancelled) throw error
        throw new LoadError(`${file.name} is not a readable Parquet file (${errorMessage(error)}).`)
      })
      created = true
      ends.push(splitsOf(source).length > 1 ? await countTable(engine, table) : 0)
      continue
    }
    // The decoder reads the ranges it needs (footer, column chunks): the file is never read whole.
    const bytes: ByteSource = {
      size: file.size,
      read: (start, end) => deps.readBytes(file.id, start, end),
    }
    let groups: number
    try {
      groups = await decoder.openParquet(bytes)
    } catch (error) {
      // The reader says "not a readable Parquet file (...)" or "could not be read (...)".
      const message = errorMessage(error)
      const verb = /^not a /.test(message) ? 'is ' : /^could not /.test(message) ? '' : null
      throw new LoadError(
        verb === null
          ? `${file.name} could not be read: ${message}.`
          : `${file.name} ${verb}${message}.`,
      )
    }
    try {
      // Each row group decodes in the worker while the one before it is inserted.
      const read = (group: number) => decoder.readRowGroup(group, engine.insertRows)
      let next = groups > 0 ? read(0) : null
      for (let group = 0; group < groups; group++) {
        const streams = await next!
        next = group + 1 < groups ? read(group + 1) : null
        next?.catch(() => undefined)
        for (const ipc of streams) {
          checkCancelled(deps.signal)
          await engine.insertArrowIPC(table, ipc, !created)
          created = true
        }
        onProgress?.({
          phase: 'Loading rows',
          fraction: (fileIndex + (group + 1) / groups) / source.files.length,
          rows: 0,
        })
      }
    } catch (error) {
      if (error instanceof LoadCancelled) throw error
      throw new LoadError(`${file.name}: ${errorMessage(error)}.`)
    } finally {
      await decoder.closeParquet()
    }
    ends.push(created && splitsOf(source).length > 1 ? await countTable(engine, table) : 0)
  }
  if (!created) throw new LoadError(`${source.name} holds no rows.`)
  return ends
}

async function countTable(engine: Engine, table: string): Promise<number> {
  const result = await engine.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)
  return Number(result.rows[0]?.n ?? 0)
}

/** The splits a source's files are marked with, in order of first appearance. */
function splitsOf(source: DatasetSource): string[] {
  return [...new Set(source.files.flatMap((file) => (file.split ? [file.split] : [])))]
}

/** The column of a CSV table naming the file each row came from, while it loads. */
const CSV_FILE_COLUMN = '__rl_csv_file'

/**
 * Adds a `split` column (`hf_split` when the data has its own `split`) saying which split each
 * row came from, when the source holds files of several splits; drops CSV's file column.
 */
async function addSplitColumn(
  source: DatasetSource,
  table: string,
  fileOfRow: string,
  engine: Engine,
): Promise<void> {
  const name = quoteIdent(table)
  const splits = splitsOf(source)
  if (splits.length > 1) {
    const columns = await describeTable(engine, table)
    const taken = new Set(columns.map((c) => c.name.toLowerCase()))
    const column = quoteIdent(taken.has('split') ? 'hf_split' : 'split')
    const cases = source.files
      .map((file, i) => `WHEN ${i} THEN ${quoteString(file.split ?? '')}`)
      .join(' ')
    await engine.exec(`ALTER TABLE ${name} ADD COLUMN ${column} VARCHAR`)
    await engine.exec(`UPDATE ${name} SET ${column} = CASE ${fileOfRow} ${cases} END`)
  }
  if (fileOfRow === CSV_FILE_COLUMN && splits.length > 1) {
    await engine.exec(`ALTER TABLE ${name} DROP COLUMN ${quoteIdent(CSV_FILE_COLUMN)}`)
  }
}

async function loadCsv(
  source: DatasetSource,
  sniffed: readonly SniffedFile[],
  table: string,
  deps: LoadDeps,
): Promise<{ skipped: readonly SkippedRecord[]; skippedCount: number }> {
  const { engine, onProgress } = deps
  const names: string[] = []
  /** How SQL reads each registered file (the engine says). */
  const paths: string[] = []
  try {
    for (const [index, file] of source.files.entries()) {
      const progress = (done: number) =>
        onProgress?.({
          phase: 'Reading',
          fraction: (index + done) / source.files.length / 2,
          rows: 0,
        })
      const compression = sniffed[index]!.compression
      let bytes: Uint8Array
      if (compression) {
        bytes = await decompressedCsv({ ...file, compression }, deps, progress)
      } else {
        // One array filled as chunks arrive (not a Blob of them: Chromium refuses to read back a
        // Blob assembled in memory past about 500 MB).
        bytes = new Uint8Array(file.size)
        await forEachChunk(file, deps, (chunk, start, end) => {
          bytes.set(chunk, start)
          progress(end / file.size)
          return Promise.resolve()
        })
      }
      const name = `${table}_${index}.csv`
      names.push(name)
      paths.push(await engine.registerFile(name, bytes))
    }
    checkCancelled(deps.signal)
    onProgress?.({ phase: 'Loading rows', fraction: 0.75, rows: 0 })
    const files = `[${paths.map(quoteString).join(', ')}]`
    // DuckDB records rejected lines only for a single file; shards are unioned by column name.
    const single = names.length === 1
    const options = single
      ? `store_rejects = true, rejects_scan = ${quoteString(`reject_scans_${table}`)}, rejects_table = ${quoteString(`reject_errors_${table}`)}`
      : 'union_by_name = true'
    // With splits to tell apart: which file each row came from, by its index in the source.
    const fileIndex = `CASE filename ${paths.map((p, i) => `WHEN ${quoteString(p)} THEN ${i}`).join(' ')} END`
    const select =
      splitsOf(source).length > 1
        ? `* EXCLUDE (filename), ${fileIndex} AS ${quoteIdent(CSV_FILE_COLUMN)}`
        : '*'
    const withFile = splitsOf(source).length > 1 ? ', filename = true' : ''
    await engine.exec(
      `CREATE TABLE ${quoteIdent(table)} AS SELECT ${select} FROM read_csv(${files}, ${options}${withFile})`,
    )
    if (!single) return { skipped: [], skippedCount: 0 }
    const rejects = await engine.query(
      `SELECT e.line AS line, e.error_message AS reason
         FROM ${quoteIdent(`reject_errors_${table}`)} e ORDER BY e.line`,
    )
    const skipped = rejects.rows.map((r) => ({
      file: 0,
      line: Number(r.line),
      reason: valueText(r.reason ?? null),
    }))
    return { skipped: skipped.slice(0, 200), skippedCount: skipped.length }
  } catch (error) {
    if (error instanceof LoadCancelled || error instanceof CompressedDataError) throw error
    throw new LoadError(
      `${source.name} is not a CSV file RewardLens can read: ${errorMessage(error)}`,
    )
  } finally {
    await engine
      .exec(`DROP TABLE IF EXISTS ${quoteIdent(`reject_errors_${table}`)}`)
      .catch(() => undefined)
    await engine
      .exec(`DROP TABLE IF EXISTS ${quoteIdent(`reject_scans_${table}`)}`)
      .catch(() => undefined)
    for (const name of names) await engine.dropFile(name).catch(() => undefined)
  }
}

/**
 * A compressed CSV file's text in one array, as DuckDB's CSV reader wants it (the same as a plain
 * CSV file, which is gathered whole too); decompressed as it is read.
 */
async function decompressedCsv(
  file: DatasetFile & { readonly compression: Compression },
  deps: LoadDeps,
  progress: (fraction: number) => void,
): Promise<Uint8Array> {
  // One array that grows as the text arrives (doubling), never a list of pieces beside it.
  let bytes = new Uint8Array(Math.max(1024 * 1024, file.size * 4))
  let total = 0
  for await (const piece of decompressedPieces(file, deps.readBytes)) {
    checkCancelled(deps.signal)
    if (total + piece.length > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, total + piece.length))
      grown.set(bytes.subarray(0, total))
      bytes = grown
    }
    bytes.set(piece, total)
    total += piece.length
    progress(0.5)
  }
  // An exact copy: a view would carry (and post to the engine) the whole grown buffer.
  if (total < bytes.length) bytes = bytes.slice(0, total)
  progress(1)
  return bytes
}
