/**
 * The page's near-duplicate worker as a `NearDupService`: one Web Worker, started on first use.
 * Results come back transferred (no copy); the signatures a request sends are copied, so the
 * caller's arrays stay usable. When the worker dies, its pending calls fail with an Error and the
 * next call starts a new worker.
 */
import type { Groups, Matches } from './core'
import type { NearDupRequest, NearDupResponse } from './protocol'
import type { NearDupService } from './service'

/** One near-duplicate worker, whatever runs it. */
export interface NearDupWorker {
  post(request: NearDupRequest): void
  terminate(): void
}

/** Starts a worker that answers through `onResponse`, or calls `onFailure` when it dies. */
export type StartNearDupWorker = (
  onResponse: (response: NearDupResponse) => void,
  onFailure: (message: string) => void,
) => NearDupWorker

type Answer = Uint32Array | Groups | Matches
type Pending = {
  readonly resolve: (value: Answer) => void
  readonly reject: (error: Error) => void
}

/** Request without its id. */
type Ask = NearDupRequest extends infer R
  ? R extends NearDupRequest
    ? Omit<R, 'id'>
    : never
  : never

/** A `NearDupService` over one worker from `start`, restarted after a failure. */
export function nearDupWorkerService(start: StartNearDupWorker): NearDupService {
  let worker: NearDupWorker | null = null
  const pending = new Map<number, Pending>()
  let nextId = 1

  const fail = (message: string) => {
    worker?.terminate()
    worker = null
    const waiting = [...pending.values()]
    pending.clear()
    for (const p of waiting) p.reject(new Error(`The near-duplicate worker stopped: ${message}`))
  }
  const onResponse = (response: NearDupResponse) => {
    const waiting = pending.get(response.id)
    if (!waiting) return
    pending.delete(response.id)
    if ('error' in response) waiting.reject(new Error(`Near-duplicates failed: ${response.error}`))
    else if (response.op === 'signatures') waiting.resolve(response.signatures)
    else waiting.resolve(response)
  }
  const ask = (request: Ask): Promise<Answer> =>
    new Promise<Answer>((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      try {
        worker ??= start(onResponse, fail)
        worker.post({ ...request, id })
      } catch (error) {
        pending.delete(id)
        reject(error instanceof Error ? error : new Error(String(error)))
      }
    })

  return {
    signatures: async (kind, texts, languages) =>
      (await ask({ op: 'signatures', kind, texts, languages })) as Uint32Array,
    group: async (signatures, count, threshold) => {
      const { group, similarity } = (await ask({
        op: 'group',
        signatures,
        count,
        threshold,
      })) as Groups
      return { group, similarity }
    },
    match: async (reference, referenceCount, query, queryCount, threshold) => {
      const { match, similarity } = (await ask({
        op: 'match',
        reference,
        referenceCount,
        query,
        queryCount,
        threshold,
      })) as Matches
      return { match, similarity }
    },
  }
}

/** The page's near-duplicate worker. */
export const workerNearDupService: NearDupService = nearDupWorkerService(
  (onResponse, onFailure) => {
    const worker = new Worker(new URL('./neardup.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (event: MessageEvent<NearDupResponse>) => onResponse(event.data)
    worker.onerror = (event) => {
      event.preventDefault()
      onFailure(event.message || 'the worker failed')
    }
    worker.onmessageerror = () => onFailure('a message could not be read')
    return { post: (request) => worker.postMessage(request), terminate: () => worker.terminate() }
  },
)
