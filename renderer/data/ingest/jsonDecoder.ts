/**
 * The JSON decoder: two passes over the bytes of JSON Lines or JSON array files.
 *
 * Pass one (scan) parses every record to infer one schema for all files and finds the bad ones;
 * pass two (build) parses again and emits Arrow batches of that schema. Two passes cost a second
 * parse but never hold the file, the parsed rows or a half-built table in memory, and every batch
 * has the final schema, so the engine appends without ever rewriting a column.
 */
import { ArrowBatchBuilder, RESERVED_PREFIX, type RowOrigin } from './arrowBatch'
import {
  JsonArraySplitter,
  JsonLinesSplitter,
  JsonShapeError,
  type RawRecord,
  type RecordSplitter,
  bomLength,
} from './records'
import {
  type InferredType,
  SchemaBuilder,
  type StoredField,
  fitsFields,
  floatKeysOf,
  toStoredFields,
} from './schema'

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

/**
 * How records are laid out in a file: one per line, elements of one array, or whole objects
 * spread over several lines (a pretty-printed object, or several one after the other).
 */
export type JsonLayout = 'lines' | 'array' | 'objects'

/**
 * Decides the layout from the first bytes: a leading `[` means an array; a leading `{` alone on
 * its line means pretty-printed objects; anything else is one record per line.
 */
export function detectLayout(firstBytes: Uint8Array): JsonLayout {
  for (let i = bomLength(firstBytes); i < firstBytes.length; i++) {
    const byte = firstBytes[i]!
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue
    if (byte === 0x5b) return 'array'
    if (byte !== 0x7b) return 'lines'
    for (let j = i + 1; j < firstBytes.length; j++) {
      const next = firstBytes[j]!
      if (next === 0x0a) return 'objects'
      if (next !== 0x20 && next !== 0x0d && next !== 0x09) return 'lines'
    }
    return 'lines'
  }
  return 'lines'
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

type Parsed =
  { readonly row: Record<string, unknown>; readonly text: string } | { readonly error: string }

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
  // Only a record that escapes a NUL can have one in a key (a raw one is not valid JSON).
  const row = text.includes('\\u0000') ? (visibleNulKeys(value) as object) : value
  return { row: row as Record<string, unknown>, text }
}

/** What a NUL character in a key becomes: U+2400 (␀), which shows where the NUL was. */
export const NUL_IN_NAME = '\u2400'

/**
 * A value with every NUL character in its keys replaced by NUL_IN_NAME. Engines read column names
 * as C strings: native DuckDB cut its SQL at the NUL and refused the file, DuckDB-WASM cut the name
 * short (`a\u0000b` became `a`); both now open it with the same, visible name.
 */
function visibleNulKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(visibleNulKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key.replaceAll('\u0000', NUL_IN_NAME),
      visibleNulKeys(item),
    ]),
  )
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
    const layout = detectLayout(firstBytes)
    this.splitter =
      layout === 'lines' ? new JsonLinesSplitter() : new JsonArraySplitter(layout === 'objects')
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

  protected abstract accept(
    row: Record<string, unknown>,
    record: RawRecord,
    file: number,
    text: string,
  ): void

  /** The records skipped so far: the first MAX_LISTED_SKIPS of them, and how many in all. */
  skippedRecords(): { skipped: readonly SkippedRecord[]; skippedCount: number } {
    return { skipped: this.skips, skippedCount: this.skipCount }
  }

  protected skip(line: number, reason: string): void {
    this.skipCount++
    if (this.skips.length < MAX_LISTED_SKIPS)
      this.skips.push({ file: this.fileIndex, line, reason })
  }

  private onRecord(record: RawRecord): void {
    const parsed = parseRecord(record.bytes)
    if ('error' in parsed) this.skip(record.line, parsed.error)
    else this.accept(parsed.row, record, this.fileIndex, parsed.text)
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

  protected accept(
    row: Record<string, unknown>,
    _record: RawRecord,
    _file: number,
    text: string,
  ): void {
    this.schema.add(row, floatKeysOf(text))
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
      ...this.skippedRecords(),
    }
  }
}

interface SampledRow {
  readonly row: Record<string, unknown>
  readonly origin: RowOrigin
}

/** How many rows pass two may read to infer the schema when pass one was skipped. */
export interface SampleLimits {
  readonly rows: number
  readonly bytes: number
}

const DEFAULT_SAMPLE: SampleLimits = { rows: 4096, bytes: 16 * 1024 * 1024 }

/**
 * Pass two: builds Arrow IPC batches of at most `batchRows` rows.
 *
 * Given the schema of pass one it builds with it. Given none, it infers the schema from the first
 * rows and then checks every later row against it; a row that does not fit (a new key, a float in
 * an int column) marks the pass as drifted, and the loader falls back to scanning first. Most files
 * keep one shape throughout, so most loads parse every record once instead of twice.
 */
export class JsonBuildPass extends JsonPass {
  private builder: ArrowBatchBuilder | null = null
  private readonly ready: Uint8Array[] = []
  private rows = 0
  private drift = false
  private sampled: SampledRow[] | null = null
  private sampledBytes = 0
  private sampleSchema: SchemaBuilder | null = null
  private inferred: ReadonlyMap<string, InferredType> | null = null

  constructor(
    fields: readonly StoredField[] | null,
    private readonly batchRows = 4_096,
    private readonly sample: SampleLimits = DEFAULT_SAMPLE,
  ) {
    super()
    if (fields) this.builder = new ArrowBatchBuilder(fields)
    else {
      this.sampled = []
      this.sampleSchema = new SchemaBuilder()
    }
  }

  /** True when a row did not fit the schema inferred from the first rows. */
  get drifted(): boolean {
    return this.drift
  }

  protected accept(
    row: Record<string, unknown>,
    record: RawRecord,
    file: number,
    text: string,
  ): void {
    if (this.drift) return
    const origin = { file, offset: record.offset, bytes: record.bytes.length }
    if (this.sampled) {
      this.sampled.push({ row, origin })
      this.sampledBytes += origin.bytes
      this.sampleSchema!.add(row, floatKeysOf(text))
      if (this.sampled.length >= this.sample.rows || this.sampledBytes >= this.sample.bytes) {
        this.startFromSample()
      }
      return
    }
    if (this.inferred && !fitsFields(row, this.inferred)) {
      this.drift = true
      this.ready.length = 0
      return
    }
    this.add(row, origin)
  }

  private add(row: Record<string, unknown>, origin: RowOrigin): void {
    this.builder!.add(row, origin)
    this.rows++
    if (this.builder!.length >= this.batchRows) this.ready.push(this.builder!.flush())
  }

  private startFromSample(): void {
    const sampled = this.sampled!
    this.inferred = this.sampleSchema!.columnTypes()
    this.builder = new ArrowBatchBuilder(toStoredFields(this.inferred, RESERVED_PREFIX))
    this.sampled = null
    this.sampleSchema = null
    for (const { row, origin } of sampled) this.add(row, origin)
  }

  /** Rows built so far. */
  get rowCount(): number {
    return this.rows
  }

  /** Takes the batches completed so far; with `final`, also the last partial batch. */
  take(final = false): Uint8Array[] {
    if (this.drift) return []
    if (final && this.sampled) this.startFromSample()
    if (final && this.builder && this.builder.length > 0) this.ready.push(this.builder.flush())
    return this.ready.splice(0)
  }
}
