/**
 * The ingest Web Worker: runs the decoder off the main thread so the window stays responsive
 * while a large file is parsed. It answers `{id, method, args}` requests with `{id, result}` or
 * `{id, error}`, transferring byte buffers instead of copying them.
 */
import initParquetWasm, * as parquetWasm from 'parquet-wasm/esm'
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url'
import { type Decoder, DecoderCore, type ParquetReader } from './decoder'
import { parquetReader } from './parquetReader'
import { transferablesOf, type DecoderRequest, type DecoderResponse } from './protocol'

/** parquet-wasm is loaded only when the first Parquet file is opened. */
function lazyParquetReader(): ParquetReader {
  let reader: Promise<ParquetReader> | null = null
  const load = () =>
    (reader ??= initParquetWasm({ module_or_path: parquetWasmUrl }).then(() =>
      parquetReader(parquetWasm),
    ))
  return {
    open: async (data) => (await load()).open(data),
    readRowGroup: async (index) => (await load()).readRowGroup(index),
    close: () => void reader?.then((r) => r.close()),
  }
}

const core: Decoder = new DecoderCore(lazyParquetReader())
const scope = self as unknown as DedicatedWorkerGlobalScope

scope.onmessage = async (event: MessageEvent<DecoderRequest>) => {
  const { id, method, args } = event.data
  let response: DecoderResponse
  try {
    const methods = core as unknown as Record<keyof Decoder, (...a: unknown[]) => Promise<unknown>>
    response = { id, result: await methods[method].apply(core, [...args]) }
  } catch (error) {
    response = { id, error: error instanceof Error ? error.message : String(error) }
  }
  scope.postMessage(response, transferablesOf(response.result))
}
