/**
 * The re-run pool in Node, on worker threads: what engine tests and the bench use. The worker
 * entry is bundled with esbuild once per process into node_modules/.cache.
 */
import { build } from 'esbuild'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { FromRerunWorker } from '../../renderer/data/rerun/protocol'
import {
  RerunPool,
  type RerunPoolOptions,
  type RerunWorkerFactory,
} from '../../renderer/data/rerun/pool'

const ENTRY = 'test/support/rerunNodeWorker.ts'

/** The repository's root: above this file, or above the bench's bundle of it. */
function findRoot(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url))
  while (!existsSync(join(dir, ENTRY))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`${ENTRY} not found above ${import.meta.url}`)
    dir = parent
  }
  return dir
}
let built: Promise<unknown> | null = null

/** Bundles the worker entry (once per process); resolves to its path. */
export async function nodeRerunWorkerPath(): Promise<string> {
  const root = findRoot()
  const bundle = join(root, 'node_modules/.cache/rerun/rerunNodeWorker.mjs')
  built ??= build({
    entryPoints: [join(root, ENTRY)],
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
