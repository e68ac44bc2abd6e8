/**
 * The page's parse workers: a pool of Web Workers, one per core but the window's
 * (`parsePoolSize`), each started on its first batch. Each worker keeps its own cache of facts;
 * `buildParseFacts` sends each distinct answer once, so none is parsed twice in a run.
 */
import type { ParseBatchResponse } from './core/protocol'
import type { ParseService } from './facts'
import { parsePool, parsePoolSize } from './pool'

/** The parse workers as a `ParseService`. */
export const workerParseService: ParseService = parsePool(
  parsePoolSize(navigator.hardwareConcurrency),
  (onResponse, onFailure) => {
    const worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (event: MessageEvent<ParseBatchResponse>) => onResponse(event.data)
    worker.onerror = (event) => onFailure(event.message)
    return { post: (request) => worker.postMessage(request), terminate: () => worker.terminate() }
  },
)
