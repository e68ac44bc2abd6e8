/** parquet-wasm for the page, loaded the first time a Parquet export is written. */
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url'
import type { ParquetWasm } from './parquet'

let loaded: Promise<ParquetWasm> | null = null

/** The browser build of parquet-wasm, its wasm compiled once from the file bundled with the app. */
export function loadParquetWasm(): Promise<ParquetWasm> {
  loaded ??= import('parquet-wasm/esm').then(async (module) => {
    await module.default({ module_or_path: parquetWasmUrl })
    return module
  })
  loaded.catch(() => {
    loaded = null
  })
  return loaded
}
