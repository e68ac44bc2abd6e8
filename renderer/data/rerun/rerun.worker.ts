/**
 * The browser's re-run worker: Pyodide loaded from the app's own copy of its files (`pyodide/`
 * beside index.html, see scripts/pyodideAssets.ts), running units' tests for `RerunPool`.
 */
import { loadPyodide } from 'pyodide'
import type { ToRerunWorker } from './protocol'
import { type PythonRuntime, rerunWorkerHandler } from './session'

const scope = self as unknown as DedicatedWorkerGlobalScope

const handle = rerunWorkerHandler(
  async (indexURL) => {
    const py = await loadPyodide({
      ...(indexURL ? { indexURL } : {}),
      stdout: () => undefined,
      stderr: () => undefined,
      stdin: () => null,
    })
    // Python is loaded: nothing in this worker needs the network again. The harness refuses
    // imports that reach JavaScript; this closes the worker's own ways out as well.
    for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts'])
      Object.defineProperty(scope, name, { value: undefined, configurable: false })
    return py as unknown as PythonRuntime
  },
  (message) => scope.postMessage(message),
)

let queue = Promise.resolve()
scope.onmessage = (event: MessageEvent<ToRerunWorker>) => {
  queue = queue.then(() => handle(event.data))
}
