/** parquet-wasm's Node build as a ParquetReader, for engine tests. */
import { createRequire } from 'node:module'
import { type ParquetWasmModule, parquetReader } from '../../renderer/data/ingest/parquetReader'
import type { ParquetReader } from '../../renderer/data/ingest/decoder'

const require = createRequire(import.meta.url)

/** A ParquetReader backed by parquet-wasm in Node. */
export function nodeParquetReader(): ParquetReader {
  return parquetReader(require('parquet-wasm') as ParquetWasmModule)
}
