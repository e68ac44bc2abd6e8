/**
 * The decoder: turns file bytes into Arrow IPC batches for the engine.
 *
 * The same `DecoderCore` runs inside the ingest Web Worker in the app and in-process in Node tests;
 * `Decoder` is the asynchronous face both present to the loader.
 */
import { type CompressedFile, Inflater } from './compressed'
import { JsonBuildPass, JsonScanPass, type ScanResult, type SkippedRecord } from './jsonDecoder'
import type { StoredField } from './schema'

/**
 * A file read by byte range. A Parquet reader fetches only the footer and the column chunks it
 * decodes, so a file is never held whole: not in the window, not in the worker.
 */
export interface ByteSource {
  readonly size: number
  /** Bytes [start, end) of the file. */
  read(start: number, end: number): Promise<Uint8Array>
}

/** Reads Parquet row groups into Arrow IPC streams (parquet-wasm in the worker and in Node). */
export interface ParquetReader {
  /** Opens a Parquet file and returns how many row groups it has. */
  open(source: ByteSource): Promise<number>
  /**
   * Decodes one row group into Arrow IPC streams of at most `maxRows` rows each (see
   * `Engine.insertRows`), or into one stream when it is null.
   */
  readRowGroup(index: number, maxRows: number | null): Promise<Uint8Array[]>
  /** Releases the open file. */
  close(): void
}

/** Arrow batches completed by a step of pass two, and whether the file's shape drifted. */
export interface BuildStep {
  readonly batches: Uint8Array[]
  /** True when pass two guessed the schema and a row did not fit it: the batches are void. */
  readonly drifted: boolean
  /** Rows decoded so far in this pass. */
  readonly rows: number
}

/** The end of pass two. */
export interface BuildResult extends BuildStep {
  readonly skipped: readonly SkippedRecord[]
  readonly skippedCount: number
}

/** What the loader asks of the decoder, one call at a time. */
export interface Decoder {
  /** Starts pass one (schema scan) over all files of a JSON dataset. */
  beginScan(): Promise<void>
  /** Starts pass two (Arrow build) with the schema pass one found, or null to infer it as it goes. */
  beginBuild(fields: readonly StoredField[] | null): Promise<void>
  /**
   * Starts a file in the current pass; its first bytes (decompressed) decide lines or array. A
   * compressed file is pushed as it is on disk and decompressed here, as it streams.
   */
  beginFile(
    fileIndex: number,
    firstBytes: Uint8Array,
    compressed?: CompressedFile | null,
  ): Promise<void>
  /** Feeds a chunk of the current file; in pass two, returns the batches it completed. */
  push(chunk: Uint8Array): Promise<BuildStep>
  /** Ends the current file; in pass two, returns the batches it completed. */
  endFile(): Promise<BuildStep>
  /** Ends pass one. */
  endScan(): Promise<ScanResult>
  /** Ends pass two, returning the last batches and what was skipped. */
  endBuild(): Promise<BuildResult>
  /** Opens a Parquet file, read by range from `source`; returns its number of row groups. */
  openParquet(source: ByteSource): Promise<number>
  /** Decodes one row group of the open Parquet file, as Arrow IPC streams to insert one by one. */
  readRowGroup(index: number, maxRows: number | null): Promise<Uint8Array[]>
  /** Closes the open Parquet file. */
  closeParquet(): Promise<void>
}

/** The decoder's state machine; synchronous except for Parquet. */
export class DecoderCore implements Decoder {
  private scan: JsonScanPass | null = null
  private build: JsonBuildPass | null = null
  /** The current file's decompressor, when it is compressed. */
  private inflater: Inflater | null = null

  constructor(private readonly parquet: ParquetReader) {}

  beginScan(): Promise<void> {
    this.scan = new JsonScanPass()
    this.build = null
    return Promise.resolve()
  }

  beginBuild(fields: readonly StoredField[] | null): Promise<void> {
    this.build = new JsonBuildPass(fields)
    this.scan = null
    return Promise.resolve()
  }

  beginFile(
    fileIndex: number,
    firstBytes: Uint8Array,
    compressed: CompressedFile | null = null,
  ): Promise<void> {
    this.pass().beginFile(fileIndex, firstBytes)
    this.inflater = compressed ? new Inflater(compressed) : null
    return Promise.resolve()
  }

  push(chunk: Uint8Array): Promise<BuildStep> {
    const pass = this.pass()
    if (this.inflater) for (const piece of this.inflater.push(chunk)) pass.push(piece)
    else pass.push(chunk)
    return Promise.resolve(this.step(false))
  }

  endFile(): Promise<BuildStep> {
    const pass = this.pass()
    if (this.inflater) for (const piece of this.inflater.finish()) pass.push(piece)
    this.inflater = null
    pass.endFile()
    return Promise.resolve(this.step(false))
  }

  endScan(): Promise<ScanResult> {
    if (!this.scan) throw new Error('endScan without beginScan')
    const result = this.scan.result()
    this.scan = null
    return Promise.resolve(result)
  }

  endBuild(): Promise<BuildResult> {
    if (!this.build) throw new Error('endBuild without beginBuild')
    const result = { ...this.step(true), ...this.build.skippedRecords() }
    this.build = null
    return Promise.resolve(result)
  }

  openParquet(source: ByteSource): Promise<number> {
    return this.parquet.open(source)
  }

  readRowGroup(index: number, maxRows: number | null): Promise<Uint8Array[]> {
    return this.parquet.readRowGroup(index, maxRows)
  }

  closeParquet(): Promise<void> {
    this.parquet.close()
    return Promise.resolve()
  }

  private pass(): JsonScanPass | JsonBuildPass {
    const pass = this.scan ?? this.build
    if (!pass) throw new Error('no decoding pass in progress')
    return pass
  }

  private step(final: boolean): BuildStep {
    if (!this.build) return { batches: [], drifted: false, rows: this.scan?.rowCount ?? 0 }
    return {
      batches: this.build.take(final),
      drifted: this.build.drifted,
      rows: this.build.rowCount,
    }
  }
}
