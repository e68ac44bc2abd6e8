/** The re-run pool of the app: Web Workers running Pyodide from the app's bundled copy. */
import { RerunPool, type RerunPoolOptions } from './pool'
import type { FromRerunWorker } from './protocol'

/** Where the bundled Pyodide files are, beside index.html. */
export function bundledPyodideURL(): string {
  return new URL('pyodide/', document.baseURI).href
}

/** A pool of Web Workers. */
export function browserRerunPool(options: Omit<RerunPoolOptions, 'indexURL'> = {}): RerunPool {
  return new RerunPool(
    () => {
      const worker = new Worker(new URL('./rerun.worker.ts', import.meta.url), { type: 'module' })
      return {
        post: (message) => worker.postMessage(message),
        listen: (onMessage, onFailure) => {
          worker.onmessage = (event: MessageEvent<FromRerunWorker>) => onMessage(event.data)
          worker.onerror = (event) => {
            event.preventDefault()
            onFailure(event.message || 'the worker failed')
          }
        },
        terminate: () => worker.terminate(),
      }
    },
    { ...options, indexURL: bundledPyodideURL() },
  )
}
