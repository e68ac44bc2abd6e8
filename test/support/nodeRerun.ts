/**
 * The re-run pool in Node, on worker threads: what engine tests and the bench use. The worker
 * entry is bundled with esbuild once per process into node_modules/.cache.
 */
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { FromRerunWorker } from '../../renderer/data/rerun/protocol'
import {
  RerunPool,
  type RerunPoolOptions,
  type RerunWorkerFactory,
} from '../../renderer/data/rerun/pool'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bundle = `${root}node_modules/.cache/rerun/rerunNodeWorker.mjs`
let built: Promise<unknown> | null = null

/** Bundles the worker entry (once per process); resolves to its path. */
export async function nodeRerunWorkerPath(): Promise<string> {
  built ??= build({
    entryPoints: [`${root}test/support/rerunNodeWorker.ts`],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  })
  await built
  return bundle
}

/** Worker threads started by the factory, so a test can count them. */
export const nodeWorkerStarts = { count: 0 }

/** A factory of worker threads running the re-run handler. */
export function nodeRerunFactory(path: string): RerunWorkerFactory {
  return () => {
    nodeWorkerStarts.count += 1
    const worker = new Worker(path)
    let stopped = false
    return {
      post: (message) => worker.postMessage(message),
      listen: (onMessage, onFailure) => {
        worker.on('message', (message: FromRerunWorker) => onMessage(message))
        worker.on('error', (error) => onFailure(error.message))
        worker.on('exit', (code) => {
          if (!stopped) onFailure(`the worker exited (code ${code})`)
        })
      },
      terminate: () => {
        stopped = true
        void worker.terminate()
      },
    }
  }
}

/** A pool of Node worker threads. */
export async function nodeRerunPool(options: RerunPoolOptions = {}): Promise<RerunPool> {
  return new RerunPool(nodeRerunFactory(await nodeRerunWorkerPath()), options)
}
