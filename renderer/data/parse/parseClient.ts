/**
 * The page's side of the parse worker: one worker for the window, batches answered in order.
 * A worker that fails fails the batches in flight and is replaced at the next batch.
 */
import type { ParseBatchRequest, ParseBatchResponse } from './core/protocol'
import type { ParseService } from './facts'

type Pending = {
  resolve: (value: Awaited<ReturnType<ParseService['parse']>>) => void
  reject: (error: Error) => void
}

let worker: Worker | null = null
let nextId = 1
const pending = new Map<number, Pending>()

function parseWorker(): Worker {
  if (worker) return worker
  const created = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' })
  created.onmessage = (event: MessageEvent<ParseBatchResponse>) => {
    const response = event.data
    const waiting = pending.get(response.id)
    if (!waiting) return
    pending.delete(response.id)
    if ('error' in response) waiting.reject(new Error(`Parsing failed: ${response.error}`))
    else waiting.resolve({ facts: response.facts, cached: response.cached })
  }
  created.onerror = (event) => {
    for (const waiting of pending.values()) waiting.reject(new Error(event.message))
    pending.clear()
    worker = null
  }
  worker = created
  return created
}

/** The parse worker as a `ParseService`. */
export const workerParseService: ParseService = {
  parse(items) {
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      parseWorker().postMessage({ id, items } satisfies ParseBatchRequest)
    })
  },
}
