/**
 * The JSON decoder: two passes over the bytes of JSON Lines or JSON array files.
 *
 * Pass one (scan) parses every record to infer one schema for all files and finds the bad ones;
 * pass two (build) parses again and emits Arrow batches of that schema. Two passes cost a second
 * parse but never hold the file, the parsed rows or a half-built table in memory, and every batch
 * has the final schema, so the engine appends without ever rewriting a column.
 */
import { ArrowBatchBuilder, RESERVED_PREFIX } from './arrowBatch'
import {
  JsonArraySplitter,
  JsonLinesSplitter,
  JsonShapeError,
  type RawRecord,
  type RecordSplitter,
  bomLength,
} from './records'
import { SchemaBuilder, type StoredField, toStoredFields } from './schema'

/** A record that could not be loaded, and why. */
export interface SkippedRecord {
  /** Index of the file (shard) it is in. */
  readonly file: number
  /** 1-based line where it starts. */
  readonly line: number
  readonly reason: string
}

/** At most this many skipped records are listed one by one; all are counted. */
export const MAX_LISTED_SKIPS = 200

/** What pass one found. */
export interface ScanResult {
  readonly fields: readonly StoredField[]
  readonly rows: number
  readonly skipped: readonly SkippedRecord[]
  readonly skippedCount: number
}

/** How records are laid out in a file: one per line, or elements of one array. */
export type JsonLayout = 'lines' | 'array'

/** Decides the layout from the first bytes: a leading `[` means an array, anything else lines. */
export function detectLayout(firstBytes: Uint8Array): JsonLayout {
  for (let i = bomLength(firstBytes); i < firstBytes.length; i++) {
    const byte = firstBytes[i]!
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue
    return byte === 0x5b ? 'array' : 'lines'
  }
  return 'lines'
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

type Parsed = { readonly row: Record<string, unknown> } | { readonly error: string }

/** Decodes and parses one record; a record that is not a JSON object is an error. */
export function parseRecord(bytes: Uint8Array): Parsed {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return { error: 'not valid UTF-8 text (the file may use another encoding)' }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { error: `not valid JSON: ${jsonErrorText(error)}` }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value
    return { error: `not a JSON object (found ${what})` }
  }
  return { row: value as Record<string, unknown> }
}

function jsonErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.length > 160 ? `${message.slice(0, 157)}...` : message
}

/** Feeds the files of one dataset through a splitter per file, recording bad records. */
abstract class JsonPass {
  private splitter: RecordSplitter | null = null
  private fileIndex = 0
  protected readonly skips: SkippedRecord[] = []
  protected skipCount = 0

  /** Starts a file; `firstBytes` decides its layout. */
  beginFile(fileIndex: number, firstBytes: Uint8Array): void {
    this.fileIndex = fileIndex
    this.splitter = detectLayout(firstBytes) === 'array' ? new JsonArraySplitter() : new JsonLinesSplitter()
  }

  /** Feeds the next chunk of the current file. */
  push(chunk: Uint8Array): void {
    this.guard(() => this.splitter?.push(chunk, (record) => this.onRecord(record)))
  }

  /** Ends the current file. */
  endFile(): void {
    this.guard(() => this.splitter?.finish((record) => this.onRecord(record)))
    this.splitter = null
  }

  protected abstract accept(row: Record<string, unknown>, record: RawRecord, file: number): void

  protected skip(line: number, reason: string): void {
    this.skipCount++
    if (this.skips.length < MAX_LISTED_SKIPS) this.skips.push({ file: this.fileIndex, line, reason })
  }

  private onRecord(record: RawRecord): void {
    const parsed = parseRecord(record.bytes)
    if ('error' in parsed) this.skip(record.line, parsed.error)
    else this.accept(parsed.row, record, this.fileIndex)
  }

  /** A broken array shape ends the file but keeps the rows read before it. */
  private guard(step: () => void): void {
    try {
      step()
    } catch (error) {
      if (!(error instanceof JsonShapeError)) throw error
      this.skip(error.line, error.message)
      this.splitter = null
    }
  }
}

/** Pass one: infers the schema and counts good and bad records. */
export class JsonScanPass extends JsonPass {
  private readonly schema = new SchemaBuilder()
  private rows = 0

  protected accept(row: Record<string, unknown>): void {
    this.schema.add(row)
    this.rows++
  }

  /** Rows accepted so far. */
  get rowCount(): number {
    return this.rows
  }

  /** The schema and the bad records of all files seen. */
  result(): ScanResult {
    return {
      fields: toStoredFields(this.schema.columnTypes(), RESERVED_PREFIX),
      rows: this.rows,
      skipped: this.skips,
      skippedCount: this.skipCount,
    }
  }
}

/** Pass two: builds Arrow IPC batches of at most `batchRows` rows with the scanned schema. */
export class JsonBuildPass extends JsonPass {
  private readonly builder: ArrowBatchBuilder
  private readonly ready: Uint8Array[] = []
  private rows = 0

  constructor(
    fields: readonly StoredField[],
    private readonly batchRows = 16_384,
  ) {
    super()
    this.builder = new ArrowBatchBuilder(fields)
  }

  protected accept(row: Record<string, unknown>, record: RawRecord, file: number): void {
    this.builder.add(row, { file, offset: record.offset, bytes: record.bytes.length })
    this.rows++
    if (this.builder.length >= this.batchRows) this.ready.push(this.builder.flush())
  }

  /** Rows built so far. */
  get rowCount(): number {
    return this.rows
  }

  /** Takes the batches completed so far; with `final`, also the last partial batch. */
  take(final = false): Uint8Array[] {
    if (final && this.builder.length > 0) this.ready.push(this.builder.flush())
    return this.ready.splice(0)
  }
}
