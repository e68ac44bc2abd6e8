/** The ingest worker seen from the main thread: a `Decoder` whose calls run in the worker. */
import { errorMessage } from './errors'
import type { ByteSource, Decoder } from './ingest/decoder'
import {
  type DecoderRequest,
  type FromWorker,
  type ReadReply,
  type ReadRequest,
  transferablesOf,
} from './ingest/protocol'

/**
 * Returns a Decoder that forwards every call to the ingest worker. A worker that fails (a crash in
 * its WebAssembly) fails the calls in flight and is replaced at the next call, so the next file
 * opens in a fresh one.
 */
export function createWorkerDecoder(): Decoder {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  /** The open Parquet file, whose ranges the worker asks for. */
  let parquet: ByteSource | null = null
  let current: Worker | null = null

  const startWorker = (): Worker => {
    const worker = new Worker(new URL('./ingest/ingest.worker.ts', import.meta.url), {
      type: 'module',
    })
    const answerRead = ({ readId, start, end }: ReadRequest) => {
      const reply = (message: ReadReply) => worker.postMessage(message, transferablesOf(message))
      if (!parquet) return reply({ readId, error: 'no Parquet file is open' })
      parquet.read(start, end).then(
        (bytes) => reply({ readId, bytes }),
        (error: unknown) => reply({ readId, error: errorMessage(error) }),
      )
    }
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if ('readId' in event.data) return answerRead(event.data)
      const call = pending.get(event.data.id)
      if (!call) return
      pending.delete(event.data.id)
      if (event.data.error !== undefined) call.reject(new Error(event.data.error))
      else call.resolve(event.data.result)
    }
    worker.onerror = (event) => {
      const error = new Error(`the ingest worker failed: ${event.message}`)
      for (const call of pending.values()) call.reject(error)
      pending.clear()
      worker.terminate()
      if (current === worker) current = null
    }
    return worker
  }

  const call =
    (method: keyof Decoder) =>
    (...args: unknown[]): Promise<never> =>
      new Promise((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
        const request: DecoderRequest = { id, method, args }
        ;(current ??= startWorker()).postMessage(request, transferablesOf(args))
      })
  return {
    beginScan: call('beginScan'),
    beginBuild: call('beginBuild'),
    beginFile: call('beginFile'),
    push: call('push'),
    endFile: call('endFile'),
    endScan: call('endScan'),
    endBuild: call('endBuild'),
    openParquet: (source: ByteSource) => {
      parquet = source
      return call('openParquet')(source.size)
    },
    readRowGroup: call('readRowGroup'),
    closeParquet: () => {
      parquet = null
      return call('closeParquet')()
    },
  }
}
