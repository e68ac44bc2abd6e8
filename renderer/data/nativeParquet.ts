/**
 * A Parquet file read by the engine's own reader (`read_parquet`), for an engine that says it reads
 * Parquet fastest (`Engine.readsParquet`: native DuckDB, on every core).
 *
 * The engine reaches only files given to it: the bytes come through the Host from the file the
 * person picked, and are registered in the engine's own folder for the one statement that reads
 * them, then dropped. Row groups keep their order, so rows keep their numbers (`rowid`), as the
 * app's own decoder gives them.
 */
import type { DatasetFile } from '../../shared/host'
import { quoteIdent, quoteString } from '../../shared/sql'
import type { Engine } from './engine'

/** Bytes per read of the file. */
const READ_BYTES = 8 * 1024 * 1024

/**
 * The largest file gathered whole for the engine: the window holds it (and the message to the
 * engine process a copy) while it is registered. A larger file is read row group by row group
 * through the app's decoder, which never holds the whole file.
 */
export const NATIVE_PARQUET_MAX_BYTES = 1024 * 1024 * 1024

/** Whether the engine reads this Parquet file itself (`readParquetNatively`). */
export function readsNatively(engine: Engine, file: DatasetFile): boolean {
  return engine.readsParquet && file.size <= NATIVE_PARQUET_MAX_BYTES
}

export interface NativeParquetDeps {
  readonly engine: Engine
  readonly readBytes: (fileId: string, start: number, end: number) => Promise<Uint8Array>
  /** Throws when the load was cancelled. */
  readonly checkCancelled: () => void
  /** The share of the file read so far, 0 to 1. */
  readonly onRead?: (fraction: number) => void
}

/** The file's bytes, read chunk by chunk (the next read overlapping the copy of the last). */
async function fileBytes(file: DatasetFile, deps: NativeParquetDeps): Promise<Uint8Array> {
  const bytes = new Uint8Array(file.size)
  const read = (start: number) =>
    deps.readBytes(file.id, start, Math.min(file.size, start + READ_BYTES))
  let next = file.size > 0 ? read(0) : null
  for (let start = 0; start < file.size; start += READ_BYTES) {
    deps.checkCancelled()
    const chunk = await next!
    const end = Math.min(file.size, start + READ_BYTES)
    next = end < file.size ? read(end) : null
    bytes.set(chunk, start)
    deps.onRead?.(end / file.size)
  }
  return bytes
}

/**
 * Appends a Parquet file's rows to `table` (creating it when `create` is set) with the engine's
 * `read_parquet`. Errors carry DuckDB's message.
 */
export async function readParquetNatively(
  file: DatasetFile,
  table: string,
  create: boolean,
  deps: NativeParquetDeps,
): Promise<void> {
  const { engine } = deps
  const name = `${table}_${file.id.replace(/[^A-Za-z0-9_-]/g, '_')}.parquet`
  const path = await engine.registerFile(name, await fileBytes(file, deps))
  try {
    deps.checkCancelled()
    const rows = `SELECT * FROM read_parquet(${quoteString(path)})`
    await engine.exec(
      create
        ? `CREATE TABLE ${quoteIdent(table)} AS ${rows}`
        : `INSERT INTO ${quoteIdent(table)} ${rows}`,
    )
  } catch (error) {
    // DuckDB names the engine's copy of the file; the person knows it by its own name.
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(message.replaceAll(path, file.name), { cause: error })
  } finally {
    await engine.dropFile(name).catch(() => undefined)
  }
}
