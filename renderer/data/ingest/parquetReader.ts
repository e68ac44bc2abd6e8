/**
 * A `ParquetReader` over parquet-wasm: row group by row group, nested types kept as Arrow types.
 */
import type { ByteSource, ParquetReader } from './decoder'

/** The parts of the parquet-wasm module this reader uses (its ESM and Node builds both have them). */
export interface ParquetWasmModule {
  ParquetFile: {
    fromFile(handle: RangeBlob): Promise<ParquetWasmFile>
  }
}

/**
 * What parquet-wasm reads of the Blob it is given: its size, and `slice(start, end).arrayBuffer()`.
 * Its glue calls these by name, so a byte source can stand in for a Blob. A real Blob would not do:
 * the window would have to read the whole file to make one, and Chromium refuses to read back a
 * Blob assembled in memory past about 500 MB (NotReadableError), which parquet-wasm reports as a
 * crash ("unreachable").
 */
interface RangeBlob {
  readonly size: number
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> }
}

/**
 * The byte source as a RangeBlob. parquet-wasm cannot take a failed read (it aborts, and its
 * promise never settles), so a range that cannot be read comes back empty, which parquet-wasm
 * reports as an ordinary error, and the reason is kept for the message.
 */
function rangeBlob(source: ByteSource): { blob: RangeBlob; failure: () => Error | null } {
  let failure: Error | null = null
  const blob: RangeBlob = {
    size: source.size,
    slice: (start, end) => ({
      arrayBuffer: async () => {
        try {
          const bytes = await source.read(start, Math.min(end, source.size))
          const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
          return whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer
        } catch (error) {
          failure ??= error instanceof Error ? error : new Error(String(error))
          return new ArrayBuffer(0)
        }
      },
    }),
  }
  return { blob, failure: () => failure }
}

interface ParquetWasmFile {
  metadata(): { numRowGroups(): number; free(): void }
  read(options: { rowGroups: number[]; batchSize?: number }): Promise<{
    intoIPCStream(): Uint8Array
    recordBatches(): { intoIPCStream(): Uint8Array }[]
    free(): void
  }>
  free(): void
}

/** Makes a ParquetReader from a loaded parquet-wasm module. */
export function parquetReader(wasm: ParquetWasmModule): ParquetReader {
  let file: ParquetWasmFile | null = null
  let readFailure: () => Error | null = () => null
  return {
    async open(source) {
      file?.free()
      file = null
      const { blob, failure } = rangeBlob(source)
      readFailure = failure
      try {
        file = await wasm.ParquetFile.fromFile(blob)
        const metadata = file.metadata()
        const groups = metadata.numRowGroups()
        metadata.free()
        return groups
      } catch (error) {
        const unread = failure()
        if (unread) throw new Error(`could not be read (${describe(unread)})`)
        throw new Error(`not a readable Parquet file (${describe(error)}); it may be truncated`)
      }
    },
    async readRowGroup(index, maxRows) {
      if (!file) throw new Error('no Parquet file is open')
      try {
        if (maxRows === null) return [(await file.read({ rowGroups: [index] })).intoIPCStream()]
        const table = await file.read({ rowGroups: [index], batchSize: maxRows })
        try {
          return table.recordBatches().map((batch) => batch.intoIPCStream())
        } finally {
          table.free()
        }
      } catch (error) {
        const cause = readFailure() ?? error
        throw new Error(`row group ${index + 1} cannot be read (${describe(cause)})`)
      }
    },
    close() {
      file?.free()
      file = null
    },
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.length > 200 ? `${text.slice(0, 197)}...` : text
}
