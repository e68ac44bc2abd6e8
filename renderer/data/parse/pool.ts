/**
 * A pool of parse workers as one `ParseService`: each batch goes to the worker with the fewest
 * batches in flight, so a slow batch never holds the others back. A worker that fails fails its
 * batches in flight and is started again for its next batch. The page's pool (`parseClient.ts`)
 * runs Web Workers; the parse benchmark runs the same pool over Node worker threads.
 */
import type { ParseBatchRequest, ParseBatchResponse } from './core/protocol'
import type { ParseService } from './facts'

/** One parse worker, whatever runs it. */
export interface ParseWorker {
  post(request: ParseBatchRequest): void
  /** Stops the worker; its batches in flight are failed by the pool. */
  terminate(): void
}

/** Starts a worker that answers through `onResponse`, or calls `onFailure` when it dies. */
export type StartParseWorker = (
  onResponse: (response: ParseBatchResponse) => void,
  onFailure: (message: string) => void,
) => ParseWorker

type Pending = {
  readonly slot: number
  readonly resolve: (value: Awaited<ReturnType<ParseService['parse']>>) => void
  readonly reject: (error: Error) => void
}

/** Workers to run: one per core but the one the window needs, at least one. */
export function parsePoolSize(cores: number | undefined): number {
  return Math.max(1, (cores || 1) - 1)
}

/** A parse service over `size` workers, each started on its first batch. */
export function parsePool(size: number, start: StartParseWorker): ParseService {
  const workers: (ParseWorker | null)[] = Array.from({ length: size }, () => null)
  const load: number[] = Array.from({ length: size }, () => 0)
  const pending = new Map<number, Pending>()
  let nextId = 1

  const settle = (id: number): Pending | undefined => {
    const waiting = pending.get(id)
    if (!waiting) return undefined
    pending.delete(id)
    load[waiting.slot]!--
    return waiting
  }

  const worker = (slot: number): ParseWorker => {
    const existing = workers[slot]
    if (existing) return existing
    const created = start(
      (response) => {
        const waiting = settle(response.id)
        if (!waiting) return
        if ('error' in response) waiting.reject(new Error(`Parsing failed: ${response.error}`))
        else waiting.resolve({ facts: response.facts, cached: response.cached })
      },
      (message) => {
        for (const [id, waiting] of [...pending]) {
          if (waiting.slot === slot) settle(id)?.reject(new Error(`Parsing failed: ${message}`))
        }
        workers[slot] = null
        created.terminate()
      },
    )
    workers[slot] = created
    return created
  }

  return {
    parse(items) {
      const id = nextId++
      const slot = load.indexOf(Math.min(...load))
      load[slot]!++
      return new Promise((resolve, reject) => {
        pending.set(id, { slot, resolve, reject })
        worker(slot).post({ id, items })
      })
    },
  }
}
