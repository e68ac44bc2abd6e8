/** Messages between the re-run pool and its worker (a Web Worker or a Node worker thread). */
import type { RerunRequest, TestResult } from './types'

/** What the pool asks of a worker. */
export type ToRerunWorker =
  /** Load Python; `indexURL` is where Pyodide's files are (the browser build's bundled copy). */
  | { readonly type: 'init'; readonly indexURL?: string }
  /** Run a unit's tests from `startAt` on (after a timeout, the rest run in a fresh worker). */
  | {
      readonly type: 'run'
      readonly id: number
      readonly request: RerunRequest
      readonly startAt: number
    }

/** What a worker tells the pool. */
export type FromRerunWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'loadFailed'; readonly message: string }
  | {
      readonly type: 'prepared'
      readonly id: number
      readonly tests: readonly string[]
      readonly loadError: { readonly message: string; readonly traceback: string } | null
    }
  | { readonly type: 'started'; readonly id: number; readonly index: number }
  | {
      readonly type: 'test'
      readonly id: number
      readonly index: number
      readonly result: TestResult
    }
  /** The run finished; `heapBytes` is the interpreter's memory, to replace a worker grown too big. */
  | { readonly type: 'done'; readonly id: number; readonly heapBytes: number }
  /** The interpreter stopped for good (os._exit, a fatal error): the worker must be replaced. */
  | { readonly type: 'crashed'; readonly id: number; readonly message: string }
