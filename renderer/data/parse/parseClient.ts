/**
 * The page's side of the parse workers: a small pool, batches handed out in turn. A worker that
 * fails fails its batches in flight and is replaced at its next batch. Each worker keeps its own
 * cache of facts, so the same answer may be parsed once per worker.
 */
import type { ParseBatchRequest, ParseBatchResponse } from './core/protocol'
import type { ParseService } from './facts'

type Pending = {
  resolve: (value: Awaited<ReturnType<ParseService['parse']>>) => void
  reject: (error: Error) => void
}

/**
 * Workers parsing at once: one core is left to the window and one to the engine, at most four.
 * Each loads its own grammars (a few MB each), so more would cost memory for little.
 */
const POOL_SIZE = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 2))

const workers: (Worker | null)[] = Array.from({ length: POOL_SIZE }, () => null)
let nextId = 1
let nextWorker = 0
const pending = new Map<number, Pending & { slot: number }>()

function parseWorker(slot: number): Worker {
  const existing = workers[slot]
  if (existing) return existing
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
    for (const [id, waiting] of pending) {
      if (waiting.slot !== slot) continue
      waiting.reject(new Error(event.message))
      pending.delete(id)
    }
    workers[slot] = null
  }
  workers[slot] = created
  return created
}

/** The parse worker as a `ParseService`. */
export const workerParseService: ParseService = {
  parse(items) {
    const id = nextId++
    const slot = nextWorker
    nextWorker = (nextWorker + 1) % POOL_SIZE
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, slot })
      parseWorker(slot).postMessage({ id, items } satisfies ParseBatchRequest)
    })
  },
}
