/** The app's parse pool over Node worker threads (bench/parseThread.ts), for bench/parse.ts. */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { parsePool } from '../renderer/data/parse/pool'
import type { ParseService } from '../renderer/data/parse/facts'
import type { ParseBatchResponse } from '../renderer/data/parse/core/protocol'

/** A parse service over `size` worker threads. */
export function threadParseService(size: number): ParseService {
  // Bundled beside this script by bench/parse.mjs.
  const file = fileURLToPath(new URL('./parseThread.mjs', import.meta.url))
  return parsePool(size, (onResponse, onFailure) => {
    const worker = new Worker(file)
    worker.unref()
    worker.on('message', (response: ParseBatchResponse) => onResponse(response))
    worker.on('error', (error) => onFailure(error.message))
    return {
      post: (request) => worker.postMessage(request),
      terminate: () => void worker.terminate(),
    }
  })
}
