/**
 * Runs units' tests in Python workers, one unit per worker at a time, with limits: a test that
 * runs past its limit has its worker stopped and replaced, is marked timed out, and the unit's
 * remaining tests run in the fresh worker; past the unit's own limit the rest are marked timed out.
 * A worker whose interpreter stopped or grew too big is replaced too, so one hostile unit never
 * costs the next one anything but the time to start Python again.
 *
 * The pool knows workers only through `RerunWorkerPort`, so the browser (a Web Worker) and Node
 * (a worker thread, for tests and the bench) share every line of it.
 */
import type { FromRerunWorker, ToRerunWorker } from './protocol'
import {
  DEFAULT_LIMITS,
  type RerunLimits,
  type RerunRequest,
  type TestResult,
  type UnitResult,
  unitStatus,
} from './types'

/** A worker as the pool sees it. */
export interface RerunWorkerPort {
  post(message: ToRerunWorker): void
  /** Subscribes to the worker's messages and to its failure (an uncaught error, an exit). */
  listen(onMessage: (message: FromRerunWorker) => void, onFailure: (message: string) => void): void
  terminate(): void
}

/** Starts a worker. */
export type RerunWorkerFactory = () => RerunWorkerPort

/** Options of a pool. */
export interface RerunPoolOptions {
  readonly limits?: RerunLimits
  /** Workers run side by side (each holds its own Python, some 100 MB). */
  readonly size?: number
  /** Where Pyodide's files are, for the browser's bundled copy. */
  readonly indexURL?: string
  /** A worker whose Python memory grew past this is replaced after its unit. */
  readonly maxHeapBytes?: number
}

/** Thrown by `run` when its signal aborts. */
export class RerunCancelled extends Error {
  override readonly name = 'RerunCancelled'
  constructor() {
    super('the test run was cancelled')
  }
}

const notRun = (name: string, status: TestResult['status'], message: string): TestResult => ({
  name,
  status,
  message,
  traceback: null,
  stdout: '',
  stderr: '',
})

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`

/** A worker and the state the pool keeps about it. */
class Slot {
  private port: RerunWorkerPort | null = null
  private ready: Promise<void> | null = null
  private handler: (message: FromRerunWorker) => void = () => undefined
  private failure: (message: string) => void = () => undefined

  constructor(
    private readonly factory: RerunWorkerFactory,
    private readonly indexURL: string | undefined,
  ) {}

  /** Resolves once the worker's Python is loaded; starts one when there is none. */
  start(): Promise<void> {
    if (this.ready) return this.ready
    const port = this.factory()
    this.port = port
    this.ready = new Promise<void>((resolve, reject) => {
      this.handler = (message) => {
        if (message.type === 'ready') resolve()
        else if (message.type === 'loadFailed') reject(new Error(message.message))
      }
      this.failure = (message) => reject(new Error(`The Python worker stopped: ${message}`))
    })
    port.listen(
      (message) => this.handler(message),
      (message) => this.failure(message),
    )
    port.post({ type: 'init', ...(this.indexURL ? { indexURL: this.indexURL } : {}) })
    this.ready.catch(() => this.stop())
    return this.ready
  }

  /** Stops the worker; the next `start` starts a new one. */
  stop(): void {
    this.port?.terminate()
    this.port = null
    this.ready = null
  }

  /** Sends a run and routes the worker's messages (and its failure) to the given handlers. */
  send(
    message: ToRerunWorker,
    onMessage: (message: FromRerunWorker) => void,
    onFailure: (message: string) => void,
  ): void {
    this.handler = onMessage
    this.failure = onFailure
    this.port?.post(message)
  }
}

let runIds = 0

/** A pool of Python workers running units' tests under limits. */
export class RerunPool {
  private readonly slots: Slot[]
  private readonly free: Slot[]
  private readonly waiting: ((slot: Slot) => void)[] = []
  readonly limits: RerunLimits
  private readonly maxHeapBytes: number

  constructor(factory: RerunWorkerFactory, options: RerunPoolOptions = {}) {
    this.limits = options.limits ?? DEFAULT_LIMITS
    this.maxHeapBytes = options.maxHeapBytes ?? 1 << 30
    const size = Math.max(1, options.size ?? 1)
    this.slots = Array.from({ length: size }, () => new Slot(factory, options.indexURL))
    this.free = [...this.slots]
  }

  /** Starts the workers' Python now, so the first run does not wait for it. */
  warm(): Promise<void> {
    return Promise.all(this.slots.map((s) => s.start())).then(() => undefined)
  }

  /** Stops every worker. */
  dispose(): void {
    for (const slot of this.slots) slot.stop()
  }

  private async take(): Promise<Slot> {
    const slot = this.free.pop()
    if (slot) return slot
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  private give(slot: Slot): void {
    const next = this.waiting.shift()
    if (next) next(slot)
    else this.free.push(slot)
  }

  /**
   * Runs one unit's tests. `onTest` hears each test as it ends. Rejects with RerunCancelled
   * when `signal` aborts (the worker running it is replaced), and with an Error when Python
   * cannot be started at all.
   */
  async run(
    request: RerunRequest,
    options: { signal?: AbortSignal; onTest?: (index: number, result: TestResult) => void } = {},
  ): Promise<UnitResult> {
    const slot = await this.take()
    try {
      return await this.runOn(slot, request, options)
    } finally {
      this.give(slot)
    }
  }

  private async runOn(
    slot: Slot,
    request: RerunRequest,
    options: { signal?: AbortSignal; onTest?: (index: number, result: TestResult) => void },
  ): Promise<UnitResult> {
    const { perTestMs, perUnitMs } = this.limits
    let names = null as readonly string[] | null
    let loadError = null as { message: string; traceback: string } | null
    const results: (TestResult | undefined)[] = []
    let unitMessage: string | null = null
    let crashed = false
    let loadTimedOut = false
    let spent = 0
    let startAt = 0
    const record = (index: number, result: TestResult) => {
      results[index] = result
      options.onTest?.(index, result)
    }

    while (names === null || startAt < names.length) {
      if (options.signal?.aborted) throw new RerunCancelled()
      await slot.start()
      const id = ++runIds
      const outcome = await new Promise<
        | { kind: 'done'; heapBytes: number }
        | { kind: 'timeout'; index: number | null; unit: boolean }
        | { kind: 'crashed'; index: number | null; message: string }
        | { kind: 'cancelled' }
      >((resolve) => {
        let current: number | null = null
        let began = performance.now()
        let timer: ReturnType<typeof setTimeout> | undefined
        const settle = (value: Parameters<typeof resolve>[0]) => {
          clearTimeout(timer)
          spent += performance.now() - began
          options.signal?.removeEventListener('abort', onAbort)
          resolve(value)
        }
        const arm = () => {
          clearTimeout(timer)
          spent += performance.now() - began
          began = performance.now()
          const left = perUnitMs - spent
          const unit = left < perTestMs
          timer = setTimeout(
            () => settle({ kind: 'timeout', index: current, unit }),
            Math.max(0, unit ? left : perTestMs),
          )
        }
        const onAbort = () => settle({ kind: 'cancelled' })
        options.signal?.addEventListener('abort', onAbort)
        arm()
        slot.send(
          { type: 'run', id, request, startAt },
          (message) => {
            if (!('id' in message) || message.id !== id) return
            switch (message.type) {
              case 'prepared':
                names ??= message.tests
                loadError = message.loadError
                break
              case 'started':
                current = message.index
                arm()
                break
              case 'test':
                record(message.index, message.result)
                current = null
                break
              case 'done':
                settle({ kind: 'done', heapBytes: message.heapBytes })
                break
              case 'crashed':
                settle({ kind: 'crashed', index: current, message: message.message })
                break
            }
          },
          (message) => settle({ kind: 'crashed', index: current, message }),
        )
      })

      if (outcome.kind === 'done') {
        if (outcome.heapBytes > this.maxHeapBytes) slot.stop()
        break
      }
      slot.stop()
      if (outcome.kind === 'cancelled') throw new RerunCancelled()
      if (names === null) {
        // Loading the code itself never finished or took Python down with it.
        loadTimedOut = outcome.kind === 'timeout'
        crashed = outcome.kind === 'crashed'
        unitMessage =
          outcome.kind === 'timeout'
            ? `loading the code took longer than ${seconds(perTestMs)}`
            : outcome.message
        names = []
        break
      }
      const all = names
      if (outcome.kind === 'crashed') {
        const from = outcome.index ?? results.length
        crashed = true
        unitMessage = outcome.message
        for (let i = from; i < all.length; i++) record(i, notRun(all[i]!, 'error', outcome.message))
        break
      }
      if (outcome.unit) {
        unitMessage = `the unit's time limit of ${seconds(perUnitMs)} was reached`
        for (let i = outcome.index ?? results.length; i < all.length; i++)
          if (!results[i]) record(i, notRun(all[i]!, 'timeout', unitMessage))
        break
      }
      const index = outcome.index ?? results.length
      record(index, notRun(all[index]!, 'timeout', `took longer than ${seconds(perTestMs)}`))
      startAt = index + 1
    }

    const tests = (names ?? []).map(
      (name, i) => results[i] ?? notRun(name, 'error', unitMessage ?? 'not run'),
    )
    const passed = tests.filter((t) => t.status === 'pass').length
    const status =
      tests.length === 0
        ? loadTimedOut
          ? 'timeout'
          : 'error'
        : unitStatus(tests, loadError === null && !crashed)
    const loadMessage = loadError
    return {
      status,
      kind: request.kind,
      tests,
      passed,
      passRate: tests.length === 0 ? null : passed / tests.length,
      message:
        unitMessage ??
        (loadMessage
          ? `the code could not be loaded: ${loadMessage.message}`
          : tests.length === 0
            ? 'no tests were found'
            : null),
      durationMs: Math.round(spent),
    }
  }
}
