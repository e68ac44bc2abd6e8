/**
 * A `ParquetReader` over parquet-wasm: row group by row group, nested types kept as Arrow types.
 */
import type { ParquetReader } from './decoder'

/** The parts of the parquet-wasm module this reader uses (its ESM and Node builds both have them). */
export interface ParquetWasmModule {
  ParquetFile: {
    fromFile(handle: Blob): Promise<ParquetWasmFile>
  }
}

interface ParquetWasmFile {
  metadata(): { numRowGroups(): number; free(): void }
  read(options: { rowGroups: number[] }): Promise<{ intoIPCStream(): Uint8Array }>
  free(): void
}

/** Makes a ParquetReader from a loaded parquet-wasm module. */
export function parquetReader(wasm: ParquetWasmModule): ParquetReader {
  let file: ParquetWasmFile | null = null
  return {
    async open(data) {
      file?.free()
      file = null
      try {
        file = await wasm.ParquetFile.fromFile(data)
        const metadata = file.metadata()
        const groups = metadata.numRowGroups()
        metadata.free()
        return groups
      } catch (error) {
        throw new Error(`not a readable Parquet file (${describe(error)}); it may be truncated`)
      }
    },
    async readRowGroup(index) {
      if (!file) throw new Error('no Parquet file is open')
      try {
        const table = await file.read({ rowGroups: [index] })
        return table.intoIPCStream()
      } catch (error) {
        throw new Error(`row group ${index + 1} cannot be read (${describe(error)})`)
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
