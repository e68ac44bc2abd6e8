/**
 * A re-run worker as a Node worker thread: the same handler as the browser's Web Worker, with
 * Pyodide loaded from node_modules. Bundled by `nodeRerun.ts` (Node 20 cannot run TypeScript).
 */
import { parentPort } from 'node:worker_threads'
import { loadPyodide } from 'pyodide'
import type { ToRerunWorker } from '../../renderer/data/rerun/protocol'
import { type PythonRuntime, rerunWorkerHandler } from '../../renderer/data/rerun/session'

const port = parentPort!
const handle = rerunWorkerHandler(
  async () =>
    (await loadPyodide({
      stdout: () => undefined,
      stderr: () => undefined,
      stdin: () => null,
    })) as unknown as PythonRuntime,
  (message) => port.postMessage(message),
)
// One message at a time: a run holds the thread until it is done, as Python does in the browser.
let queue = Promise.resolve()
port.on('message', (message: ToRerunWorker) => {
  queue = queue.then(() => handle(message))
})
