/**
 * The ingest Web Worker: runs the decoder off the main thread so the window stays responsive
 * while a large file is parsed. It answers `{id, method, args}` requests with `{id, result}` or
 * `{id, error}`, transferring byte buffers instead of copying them.
 */
import initParquetWasm, * as parquetWasm from 'parquet-wasm/esm'
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url'
import { type ByteSource, type Decoder, DecoderCore, type ParquetReader } from './decoder'
import { parquetReader } from './parquetReader'
import {
  type DecoderResponse,
  type FromWorker,
  type ReadReply,
  type ToWorker,
  transferablesOf,
} from './protocol'

/** parquet-wasm is loaded only when the first Parquet file is opened. */
function lazyParquetReader(): ParquetReader {
  let reader: Promise<ParquetReader> | null = null
  const load = () =>
    (reader ??= initParquetWasm({ module_or_path: parquetWasmUrl }).then(() =>
      parquetReader(parquetWasm),
    ))
  return {
    open: async (data) => (await load()).open(data),
    readRowGroup: async (index, maxRows) => (await load()).readRowGroup(index, maxRows),
    close: () => void reader?.then((r) => r.close()),
  }
}

const core: Decoder = new DecoderCore(lazyParquetReader())
const scope = self as unknown as DedicatedWorkerGlobalScope

const post = (message: FromWorker, transfer: Transferable[] = []) =>
  scope.postMessage(message, transfer)

/** Reads the loader has not answered yet, by id. */
const reads = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>()
let nextReadId = 1

/** The open Parquet file as the loader reads it: each range is asked for, none is kept. */
function remoteSource(size: number): ByteSource {
  return {
    size,
    read: (start, end) =>
      new Promise((resolve, reject) => {
        const readId = nextReadId++
        reads.set(readId, { resolve, reject })
        post({ readId, start, end })
      }),
  }
}

function answerRead(reply: ReadReply): void {
  const read = reads.get(reply.readId)
  reads.delete(reply.readId)
  if (reply.error !== undefined) read?.reject(new Error(reply.error))
  else read?.resolve(reply.bytes)
}

scope.onmessage = async (event: MessageEvent<ToWorker>) => {
  if ('readId' in event.data) return answerRead(event.data)
  const { id, method } = event.data
  const args =
    method === 'openParquet' ? [remoteSource(Number(event.data.args[0]))] : event.data.args
  let response: DecoderResponse
  try {
    const methods = core as unknown as Record<keyof Decoder, (...a: unknown[]) => Promise<unknown>>
    response = { id, result: await methods[method].apply(core, [...args]) }
  } catch (error) {
    response = { id, error: error instanceof Error ? error.message : String(error) }
  }
  post(response, transferablesOf(response.result))
}
