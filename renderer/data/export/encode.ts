/**
 * Reads an export's rows batch by batch and encodes them in its format (Parquet, CSV, JSON Lines,
 * a JSON array), or copies the original records' bytes for a faithful export.
 */
import type { Host } from '../../../shared/host'
import { quoteIdent } from '../../../shared/sql'
import type { LoadedDataset } from '../dataset'
import type { Engine } from '../engine'
import type { Filter } from '../filter'
import type { CellValue, Row } from '../values'
import type { DerivedColumns, ExportColumn } from './columns'
import { csvHeader, csvLine } from './csvText'
import { appendMembers, compactJson, jsonValue } from './jsonText'
import type { ExportOptions } from './options'
import type { ExportOutput } from './output'
import { ArrowBatches, type ParquetWasm, parquetChunks } from './parquet'
import type { ExportRoles } from './plan'
import { DecompressedReader } from '../ingest/compressed'

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

/** Bytes between two records still read in one range rather than two reads. */
const MAX_GAP = 1024 * 1024
/** Bytes at most read in one range. */
const MAX_RANGE = 16 * 1024 * 1024
/** One batch of keys from the selection table. */
type Keys = readonly Row[]

/** Everything one export run needs. */
export interface Job {
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
  /** The source files' text by range (decompressed for a compressed file). */
  readonly sourceText: SourceText
  readonly checkCancelled: () => void
  readonly progress: (phase: string, fraction: number, rows: number, total: number) => void
}

/** One batch: the dataset rows (re-encoded exports) or the original records (faithful ones). */
export interface Batch {
  readonly keys: Keys
  /** Values per row in column order: the dataset's columns, then the derived ones. */
  readonly values: readonly (readonly CellValue[])[] | null
  /** The derived columns as JSON members (`"rl_language":"rust"`), for faithful records. */
  readonly members: readonly string[] | null
  readonly records: readonly Uint8Array[] | null
}

/** Ranges of the source files' text, as the records' offsets count it. */
export interface SourceText {
  /** Bytes [start, end) of file `index`'s text. */
  read(index: number, start: number, end: number): Promise<Uint8Array>
  /** Stops any decompression under way. */
  close(): Promise<void>
}

/**
 * The source's text: a plain file's bytes as they are, a compressed file's decompressed as the
 * export moves forward through it (records are read in file order, so one pass per file).
 */
export function sourceText(dataset: LoadedDataset, host: Pick<Host, 'readBytes'>): SourceText {
  const readers = new Map<number, DecompressedReader>()
  const readBytes = (id: string, start: number, end: number) => host.readBytes(id, start, end)
  return {
    read: (index, start, end) => {
      const file = dataset.source.files[index]
      if (file === undefined) throw new Error(`the dataset has no file ${index + 1}`)
      const compression = dataset.compressions?.[index] ?? null
      if (compression === null) return host.readBytes(file.id, start, end)
      let reader = readers.get(index)
      if (!reader) {
        reader = new DecompressedReader({ ...file, compression }, readBytes)
        readers.set(index, reader)
      }
      return reader.range(start, end)
    },
    close: async () => {
      for (const reader of readers.values()) await reader.close()
      readers.clear()
    },
  }
}

/**
 * Reads the export batch by batch, in selection order. The next batch is asked for before the
 * current one is handed on, so the engine (a worker in the app) reads while this thread encodes.
 */
export async function* readBatches(
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
    const name = files[file]?.name
    if (name === undefined)
      throw new Error(`row ${Number(first.id) + 1} names a file the dataset does not have`)
    const bytes = await job.sourceText.read(file, start, end)
    if (bytes.length < end - start) {
      throw new Error(`${name} is shorter than when it was opened; it has changed since`)
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
export async function encodeBatches(
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
      await output.add(
        csvHeader(
          all.map((c) => c.name),
          options.spreadsheetSafe,
        ),
      )
      const types = all.map((c) => c.type)
      for await (const batch of batches) {
        for (const values of batch.values!) {
          await output.add(csvLine(values, types, options.spreadsheetSafe))
        }
        progress(batch.keys.length)
      }
      const safe = options.spreadsheetSafe
        ? "; text starting with = + - @, a tab or a carriage return prefixed with ' (spreadsheet-safe)"
        : ''
      return `CSV (RFC 4180): nested values as JSON text, null as an empty field${safe}`
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
