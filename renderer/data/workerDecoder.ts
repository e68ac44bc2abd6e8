/** The ingest worker seen from the main thread: a `Decoder` whose calls run in the worker. */
import type { Decoder } from './ingest/decoder'
import { transferablesOf, type DecoderRequest, type DecoderResponse } from './ingest/protocol'

/** Starts the ingest worker and returns a Decoder that forwards every call to it. */
export function createWorkerDecoder(): Decoder {
  const worker = new Worker(new URL('./ingest/ingest.worker.ts', import.meta.url), {
    type: 'module',
  })
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  worker.onmessage = (event: MessageEvent<DecoderResponse>) => {
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
  }
  const call =
    (method: keyof Decoder) =>
    (...args: unknown[]): Promise<never> =>
      new Promise((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
        const request: DecoderRequest = { id, method, args }
        worker.postMessage(request, transferablesOf(args))
      })
  return {
    beginScan: call('beginScan'),
    beginBuild: call('beginBuild'),
    beginFile: call('beginFile'),
    push: call('push'),
    endFile: call('endFile'),
    endScan: call('endScan'),
    endBuild: call('endBuild'),
    openParquet: call('openParquet'),
    readRowGroup: call('readRowGroup'),
    closeParquet: call('closeParquet'),
  }
}
