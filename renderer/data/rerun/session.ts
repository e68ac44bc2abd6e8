/**
 * The worker's side of a re-run, written against the few Pyodide calls it needs so the same code
 * runs in the browser's worker and in a Node worker thread: load the harness once, then for each
 * unit prepare, run its tests one by one (saying which one starts, so the pool can time it) and
 * put the interpreter back.
 */
import { HARNESS_SOURCE } from './harness'
import type { FromRerunWorker, ToRerunWorker } from './protocol'
import type { TestResult } from './types'

/** A Python object as Pyodide hands it to JavaScript: callable, with `get` on dicts. */
interface PyObject {
  (...args: unknown[]): unknown
  get(key: string): PyObject
  destroy?(): void
}

/** The part of a loaded Pyodide the worker uses. */
export interface PythonRuntime {
  runPython(code: string, options?: { globals?: unknown; filename?: string }): unknown
  readonly globals: { get(name: string): unknown }
  /** Emscripten's module: its heap tells how much memory the interpreter holds. */
  readonly _module?: { readonly HEAP8?: { readonly length: number } }
}

/** The harness's entry points, loaded into a dictionary of their own. */
interface Harness {
  prepare: PyObject
  run: PyObject
  finish: PyObject
}

function loadHarness(py: PythonRuntime): Harness {
  const dict = (py.globals.get('dict') as PyObject)() as PyObject
  py.runPython(HARNESS_SOURCE, { globals: dict, filename: '<rl-harness>' })
  return { prepare: dict.get('rl_prepare'), run: dict.get('rl_run'), finish: dict.get('rl_finish') }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  const lines = text.trim().split('\n')
  return lines.slice(-3).join('\n')
}

/**
 * The message handler of a re-run worker. `load` loads Pyodide (how depends on where it runs);
 * `post` sends a message to the pool. Each run answers `prepared`, then `started`/`test` per test,
 * then `done`, or `crashed` when the interpreter cannot go on.
 */
export function rerunWorkerHandler(
  load: (indexURL: string | undefined) => Promise<PythonRuntime>,
  post: (message: FromRerunWorker) => void,
): (message: ToRerunWorker) => Promise<void> {
  let py: PythonRuntime | null = null
  let harness: Harness | null = null
  return async (message) => {
    if (message.type === 'init') {
      try {
        py = await load(message.indexURL)
        harness = loadHarness(py)
        post({ type: 'ready' })
      } catch (error) {
        post({ type: 'loadFailed', message: `Python could not be started: ${errorText(error)}` })
      }
      return
    }
    const { id, request, startAt } = message
    if (!harness || !py) {
      post({ type: 'crashed', id, message: 'Python is not loaded in this worker' })
      return
    }
    try {
      const prepared = JSON.parse(harness.prepare(JSON.stringify(request)) as string) as {
        tests: string[]
        loadError: { message: string; traceback: string } | null
      }
      post({ type: 'prepared', id, tests: prepared.tests, loadError: prepared.loadError })
      for (let index = startAt; index < prepared.tests.length; index++) {
        post({ type: 'started', id, index })
        const result = JSON.parse(harness.run(index) as string) as TestResult
        post({ type: 'test', id, index, result })
      }
      harness.finish()
      post({ type: 'done', id, heapBytes: py._module?.HEAP8?.length ?? 0 })
    } catch (error) {
      // The harness catches everything Python raises, so reaching here means the interpreter
      // itself stopped (os._exit reached through a back door, a fatal error): it is not reused.
      harness = null
      post({ type: 'crashed', id, message: `the Python interpreter stopped: ${errorText(error)}` })
    }
  }
}
