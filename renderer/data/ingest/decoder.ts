/**
 * The decoder: turns file bytes into Arrow IPC batches for the engine.
 *
 * The same `DecoderCore` runs inside the ingest Web Worker in the app and in-process in Node tests;
 * `Decoder` is the asynchronous face both present to the loader.
 */
import { JsonBuildPass, JsonScanPass, type ScanResult } from './jsonDecoder'
import type { StoredField } from './schema'

/** Reads Parquet row groups into Arrow IPC streams (parquet-wasm in the worker and in Node). */
export interface ParquetReader {
  /** Opens a Parquet file and returns how many row groups it has. */
  open(data: Blob): Promise<number>
  /** Decodes one row group into an Arrow IPC stream. */
  readRowGroup(index: number): Promise<Uint8Array>
  /** Releases the open file. */
  close(): void
}

/** What the loader asks of the decoder, one call at a time. */
export interface Decoder {
  /** Starts pass one (schema scan) over all files of a JSON dataset. */
  beginScan(): Promise<void>
  /** Starts pass two (Arrow build) with the schema pass one found. */
  beginBuild(fields: readonly StoredField[]): Promise<void>
  /** Starts a file in the current pass; its first bytes decide lines or array. */
  beginFile(fileIndex: number, firstBytes: Uint8Array): Promise<void>
  /** Feeds a chunk of the current file; in pass two, returns the batches it completed. */
  push(chunk: Uint8Array): Promise<Uint8Array[]>
  /** Ends the current file; in pass two, returns the batches it completed. */
  endFile(): Promise<Uint8Array[]>
  /** Ends pass one. */
  endScan(): Promise<ScanResult>
  /** Ends pass two, returning the last batch and what was skipped. */
  endBuild(): Promise<{ batches: Uint8Array[]; rows: number }>
  /** Opens a Parquet file; returns its number of row groups. */
  openParquet(data: Blob): Promise<number>
  /** Decodes one row group of the open Parquet file. */
  readRowGroup(index: number): Promise<Uint8Array>
  /** Closes the open Parquet file. */
  closeParquet(): Promise<void>
}

/** The decoder's state machine; synchronous except for Parquet. */
export class DecoderCore implements Decoder {
  private scan: JsonScanPass | null = null
  private build: JsonBuildPass | null = null
  private builtRows = 0

  constructor(private readonly parquet: ParquetReader) {}

  beginScan(): Promise<void> {
    this.scan = new JsonScanPass()
    this.build = null
    return Promise.resolve()
  }

  beginBuild(fields: readonly StoredField[]): Promise<void> {
    this.build = new JsonBuildPass(fields)
    this.builtRows = 0
    this.scan = null
    return Promise.resolve()
  }

  beginFile(fileIndex: number, firstBytes: Uint8Array): Promise<void> {
    this.pass().beginFile(fileIndex, firstBytes)
    return Promise.resolve()
  }

  push(chunk: Uint8Array): Promise<Uint8Array[]> {
    this.pass().push(chunk)
    return Promise.resolve(this.take(false))
  }

  endFile(): Promise<Uint8Array[]> {
    this.pass().endFile()
    return Promise.resolve(this.take(false))
  }

  endScan(): Promise<ScanResult> {
    if (!this.scan) throw new Error('endScan without beginScan')
    const result = this.scan.result()
    this.scan = null
    return Promise.resolve(result)
  }

  endBuild(): Promise<{ batches: Uint8Array[]; rows: number }> {
    const batches = this.take(true)
    const rows = this.builtRows
    this.build = null
    return Promise.resolve({ batches, rows })
  }

  openParquet(data: Blob): Promise<number> {
    return this.parquet.open(data)
  }

  readRowGroup(index: number): Promise<Uint8Array> {
    return this.parquet.readRowGroup(index)
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

  private take(final: boolean): Uint8Array[] {
    if (!this.build) return []
    const batches = this.build.take(final)
    this.builtRows = this.build.rowCount
    return batches
  }
}
