/**
 * The browser side of the benchmark: the real web build in headless Chromium, driven the way a
 * person uses it (the file input, clicks on the language facet, scrolling the table, the SQL box,
 * the export dialog), timed inside the page.
 *
 * Every "done" is a state of the DOM that the native run predicted: the status bar's exact
 * "N of M rows", the # column of the first table rows, the number of languages each histogram and
 * scatter plot is drawn in, the summary table's languages and total. A view that still shows the
 * previous answer cannot match, because the predicted state differs from the previous one. The
 * checks run on every DOM mutation and every animation frame, so a time is the moment React has
 * committed the last view, just before the browser paints it.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumPath, launchWithProfile } from '../test/support/browser'
import { sampleSessionPeak } from '../test/support/memory'
import { type StaticServer, serveFolder } from '../scripts/webServer'
import {
  type CaseSpec,
  type DiffStep,
  type FilterStep,
  type Layout,
  type NativeResult,
  ROW_HEIGHT,
  type ViewExpectation,
} from './native'

/** The helpers installed in every page (see `installHelpers`). */
interface Helpers {
  until(check: () => boolean, timeoutMs: number): Promise<number>
  viewsMatch(expect: ViewExpectation, layout: Layout): boolean
  /** What does not yet show the expected state, or null when everything does. */
  mismatch(expect: ViewExpectation, layout: Layout): string | null
  lastMismatch: string | null
  firstPage(): boolean
  histogramDrawn(key: string): boolean
  watchOpen(layout: Layout, expect: ViewExpectation, timeoutMs: number): void
  open: {
    t0: number | null
    firstPage: number | null
    histogram: number | null
    allViews: number | null
    /** When the progress overlay went away (the app's load, as its status bar times it, ended). */
    loaded: number | null
    error: string | null
  }
  heapPeak: number
  /** Requests to the DuckDB worker and main-thread long tasks, for the breakdowns. */
  trace: {
    pending: number
    lastActivity: number
    requests: { type: string; sql: string; start: number; ms: number }[]
    longTasks: { start: number; ms: number }[]
  }
  /** Resolves, once the page has been quiet for `quietMs`, to when its last activity ended. */
  idle(quietMs: number, timeoutMs: number): Promise<number>
  /** The row number the # column shows for a display position ('' when not drawn). */
  rowText(index: number): string
  breakdown(from: number, to: number): Breakdown
}

/** Where the time of a step went, from what the page saw between its start and its end. */
export interface Breakdown {
  /** Time with at least one request to the DuckDB worker outstanding. */
  readonly engineMs: number
  readonly requests: number
  /** Time the main thread was blocked by tasks of 50 ms or more (rendering, mostly). */
  readonly longTaskMs: number
  /** The slowest requests: type, milliseconds and the start of the SQL. */
  readonly slowest: readonly string[]
}

declare global {
  interface Window {
    __rlbench: Helpers
  }
  interface Performance {
    memory?: { usedJSHeapSize: number; totalJSHeapSize: number }
  }
}

/**
 * Defines `window.__rlbench` in the page; runs before the app's own scripts. Self-contained: it is
 * serialised into the page, so it may not use anything from this module.
 */
function installHelpers(): void {
  const text = (el: Element | null | undefined) => (el?.textContent ?? '').trim()
  // The # column: the row number, without the QA and flag badges drawn beside it.
  const rowNumber = (row: Element | null) =>
    text(
      row?.querySelector('[role="rowheader"] .row-number') ??
        row?.querySelector('[role="rowheader"]'),
    )
  // What a person sees: an element with a size, at least partly inside the window.
  const inView = (el: Element | null | undefined) => {
    if (!el) return false
    const r = el.getBoundingClientRect()
    return (
      r.width > 0 &&
      r.height > 0 &&
      r.bottom > 0 &&
      r.right > 0 &&
      r.top < window.innerHeight &&
      r.left < window.innerWidth
    )
  }
  // When the DOM state just reached is on the screen: a task queued from the next animation frame's
  // callback runs once that frame has been produced (style, layout, paint), so a main thread that
  // stays busy after React's commit delays it exactly as it delays the pixels.
  const painted = () =>
    new Promise<number>((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => {
          channel.port1.close()
          resolve(performance.now())
        }
        channel.port2.postMessage(null)
      }),
    )
  const trace: Helpers['trace'] = { pending: 0, lastActivity: 0, requests: [], longTasks: [] }
  // Watches the messages to and from the DuckDB worker (the app's engine), without changing them:
  // a request is outstanding from its postMessage until the worker's answer to it arrives.
  const NativeWorker = window.Worker
  window.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options)
      if (!/duckdb/i.test(String(url))) return
      const open = new Map<number, { type: string; sql: string; start: number }>()
      const post = this.postMessage.bind(this) as (
        message: unknown,
        transfer?: Transferable[],
      ) => void
      this.postMessage = (
        message: unknown,
        transfer?: Transferable[] | StructuredSerializeOptions,
      ) => {
        const m = message as { messageId?: number; type?: unknown; data?: unknown }
        if (typeof m?.messageId === 'number') {
          const data = Array.isArray(m.data) ? (m.data as unknown[]) : [m.data]
          const sql = data.find((d): d is string => typeof d === 'string') ?? ''
          open.set(m.messageId, {
            type: String(m.type),
            sql: sql.replace(/\s+/g, ' ').slice(0, 100),
            start: performance.now(),
          })
          trace.pending++
          trace.lastActivity = performance.now()
        }
        post(message, Array.isArray(transfer) ? transfer : (transfer?.transfer ?? []))
      }
      this.addEventListener('message', (event: MessageEvent) => {
        const m = event.data as { requestId?: number }
        const request = typeof m?.requestId === 'number' ? open.get(m.requestId) : undefined
        if (!request) return
        open.delete(m.requestId!)
        trace.pending--
        trace.lastActivity = performance.now()
        trace.requests.push({ ...request, ms: performance.now() - request.start })
        if (trace.requests.length > 20_000) trace.requests.splice(0, 10_000)
      })
    }
  }
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        trace.longTasks.push({ start: entry.startTime, ms: entry.duration })
      }
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // No long-task timing in this browser: breakdowns show 0 for the main thread.
  }
  const helpers: Helpers = {
    open: {
      t0: null,
      firstPage: null,
      histogram: null,
      allViews: null,
      loaded: null,
      error: null,
    },
    heapPeak: 0,
    trace,
    idle(quietMs, timeoutMs) {
      const started = performance.now()
      let lastMutation = performance.now()
      const observer = new MutationObserver(() => (lastMutation = performance.now()))
      observer.observe(document.body, { subtree: true, childList: true, characterData: true })
      return new Promise((resolve, reject) => {
        const timer = setInterval(() => {
          const now = performance.now()
          const lastTask = trace.longTasks.at(-1)
          const busyUntil = Math.max(
            lastMutation,
            trace.lastActivity,
            lastTask ? lastTask.start + lastTask.ms : 0,
          )
          if (trace.pending === 0 && now - busyUntil >= quietMs) {
            clearInterval(timer)
            observer.disconnect()
            resolve(busyUntil)
          } else if (now - started > timeoutMs) {
            clearInterval(timer)
            observer.disconnect()
            reject(new Error(`the page was still busy after ${timeoutMs / 1000} s`))
          }
        }, 50)
      })
    },
    rowText(index) {
      return rowNumber(
        document.querySelector(`[data-testid="row-table"] [data-row-index="${index}"]`),
      )
    },
    breakdown(from, to) {
      const requests = trace.requests.filter((r) => r.start >= from && r.start < to)
      // The union of the requests' intervals: DuckDB-WASM answers one at a time.
      let engineMs = 0
      let coveredTo = from
      for (const r of [...requests].sort((a, b) => a.start - b.start)) {
        const end = Math.min(to, r.start + r.ms)
        const start = Math.max(coveredTo, r.start)
        if (end > start) engineMs += end - start
        coveredTo = Math.max(coveredTo, end)
      }
      const longTaskMs = trace.longTasks
        .filter((t) => t.start + t.ms > from && t.start < to)
        .reduce((sum, t) => sum + Math.min(to, t.start + t.ms) - Math.max(from, t.start), 0)
      const slowest = [...requests]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map((r) => `${Math.round(r.ms)} ms ${r.type} ${r.sql}`)
      return { engineMs, requests: requests.length, longTaskMs, slowest }
    },
    until(check, timeoutMs) {
      helpers.lastMismatch = null
      return new Promise((resolve, reject) => {
        let finished = false
        const started = performance.now()
        const observer = new MutationObserver(() => probe())
        const finish = (error?: Error) => {
          finished = true
          observer.disconnect()
          if (error) reject(error)
          // Done when the frame showing it is painted, not when React committed it.
          else void painted().then(resolve)
        }
        const probe = () => {
          if (finished) return
          const now = performance.now()
          if (check()) finish()
          else if (now - started > timeoutMs) {
            const waiting = helpers.lastMismatch ? ` (waiting for: ${helpers.lastMismatch})` : ''
            finish(new Error(`not done after ${timeoutMs / 1000} s${waiting}`))
          }
        }
        const frame = () => {
          probe()
          if (!finished) requestAnimationFrame(frame)
        }
        observer.observe(document.body, {
          subtree: true,
          childList: true,
          attributes: true,
          characterData: true,
        })
        requestAnimationFrame(frame)
        const timer = setInterval(() => (finished ? clearInterval(timer) : probe()), 50)
        probe()
      })
    },
    firstPage() {
      const row = document.querySelector('[data-testid="row-table"] [data-row-index="0"]')
      return (
        row !== null &&
        row.querySelector('.cell-loading') === null &&
        inView(row) &&
        !document.querySelector('[data-testid="load-progress"]')
      )
    },
    histogramDrawn(key) {
      const chart = document.querySelector(`.histogram[data-testid="histogram-${key}"]`)
      return (
        inView(chart?.querySelector('.recharts-bar-rectangle')) &&
        !document.querySelector('[data-testid="load-progress"]')
      )
    },
    viewsMatch(expect, layout) {
      helpers.lastMismatch = helpers.mismatch(expect, layout)
      return helpers.lastMismatch === null
    },
    lastMismatch: null,
    mismatch(expect, layout) {
      if (document.querySelector('[data-testid="load-progress"]')) return 'still loading'
      const count = text(document.querySelector('[data-testid="row-count"]'))
      if (count !== expect.rowCountText) return `row-count "${count}"`
      const table = document.querySelector('[data-testid="row-table"]')
      if (!table) return 'no table'
      if (table.querySelector('.cell-loading')) return 'table rows still loading'
      for (let i = 0; i < expect.firstRows.length; i++) {
        const shown = rowNumber(table.querySelector(`[data-row-index="${i}"]`))
        if (shown !== expect.firstRows[i]) return `table row ${i} shows #${shown}`
      }
      for (const [key, series] of Object.entries(expect.histogramSeries)) {
        const chart = document.querySelector(`.histogram[data-testid="histogram-${key}"]`)
        if (!chart) return `no histogram-${key}`
        if (series === 0) continue
        const drawn = chart.querySelectorAll('.recharts-bar').length
        if (drawn !== series || !chart.querySelector('.recharts-bar-rectangle')) {
          return `histogram-${key} in ${drawn} languages`
        }
      }
      for (const [id, series] of Object.entries(expect.scatterSeries)) {
        const chart = document.querySelector(`[data-testid="${id}"]`)
        if (!chart) return `no ${id}`
        const drawn = chart.querySelectorAll('.scatter-dots').length
        if (drawn !== series) return `${id} in ${drawn} languages`
      }
      if (expect.summaryLanguages.length > 0) {
        const rows = [...document.querySelectorAll('[data-testid="summary-table"] tbody tr')]
        const languages = rows.map((r) => (r as HTMLElement).dataset.language ?? '').sort()
        if (languages.join('|') !== [...expect.summaryLanguages].sort().join('|')) {
          return `summary languages ${languages.join(',')}`
        }
        const all = text(
          document.querySelector(
            '[data-testid="summary-table"] tr[data-language="all"] td:nth-child(2)',
          ),
        )
        if (expect.summaryAll !== null && all !== expect.summaryAll) return `summary all ${all}`
      }
      if (layout.category) {
        const chart = document.querySelector(`[data-testid="${layout.category}"]`)
        if (!chart?.querySelector('.recharts-bar-rectangle')) return `no bars in ${layout.category}`
      }
      if (!document.querySelector('[data-testid="language-facet"] [data-value]')) {
        return 'no language facet values'
      }
      return null
    },
    watchOpen(layout, expect, timeoutMs) {
      const state = helpers.open
      const input = document.querySelector('[data-testid="open-file-input"]')
      input?.addEventListener('change', () => (state.t0 = performance.now()), {
        capture: true,
        once: true,
      })
      const main = layout.mainHistogram
      const marked = { firstPage: false, histogram: false, overlay: false }
      void helpers
        .until(() => {
          if (state.t0 === null) return false
          const now = performance.now()
          const error = document.querySelector('[data-testid="load-error"]')
          if (error) {
            state.error = text(error)
            return true
          }
          // Each mark is the paint of the frame that first showed it (see `painted`).
          if (!marked.firstPage && helpers.firstPage()) {
            marked.firstPage = true
            void painted().then((at) => (state.firstPage ??= at))
          }
          if (!marked.histogram && (main === null || helpers.histogramDrawn(main))) {
            marked.histogram = true
            void painted().then((at) => (state.histogram ??= at))
          }
          const overlay = document.querySelector('[data-testid="load-progress"]') !== null
          if (overlay) marked.overlay = true
          else if (marked.overlay && state.loaded === null) state.loaded = now
          return helpers.viewsMatch(expect, layout)
        }, timeoutMs)
        .then((at) => {
          state.firstPage ??= at
          state.histogram ??= at
          state.allViews = at
        })
        .catch((e: unknown) => (state.error = e instanceof Error ? e.message : String(e)))
    },
  }
  window.__rlbench = helpers
  setInterval(() => {
    helpers.heapPeak = Math.max(helpers.heapPeak, performance.memory?.usedJSHeapSize ?? 0)
  }, 100)
}

const execFileAsync = promisify(execFile)

/** The web build's server, and a fresh Chromium for each case. */
export interface BenchBrowser {
  /** A fresh browser for one case; closing its context ends it and removes its profile. */
  newContext(): Promise<BrowserContext>
  /** Chromium's version string. */
  readonly version: string
  readonly marker: string
  readonly server: StaticServer
  close(): Promise<void>
}

/**
 * Starts the static server over the web build; each case then gets its own Chromium (the same
 * flags as the e2e tests) with a profile on disk, as a person's browser has: the app keeps its
 * database in the browser's storage, which a private window keeps in memory instead.
 */
export async function startBrowser(webRoot: string): Promise<BenchBrowser> {
  const server = await serveFolder(webRoot)
  const marker = `--rewardlens-bench=${process.pid}-${Date.now()}`
  const version = (await execFileAsync(chromiumPath(), ['--version'])).stdout.trim()
  return {
    version,
    newContext: () =>
      launchWithProfile(
        // Unrounded `performance.memory`, for the JS heap figure.
        ['--enable-precise-memory-info', marker],
        { acceptDownloads: true },
      ),
    marker,
    server,
    async close() {
      await server.close()
    },
  }
}

/** Times (ms) of one browser open, from the moment the file input reports the chosen file. */
export interface BrowserOpen {
  readonly firstPageMs: number
  readonly histogramMs: number
  /** The later of the two: the first table page and the reward histogram are both drawn. */
  readonly firstViewMs: number
  readonly allViewsMs: number
  /** Until the engine and the page are idle again: the reward checks that follow the views. */
  readonly settledMs: number | null
  /** Until the progress overlay went away: the app's load, before any view is drawn. */
  readonly loadedMs: number | null
  /** What the status bar says the load took ("loaded in X s"), a cross-check of `loadedMs`. */
  readonly statusLoadMs: number | null
  /** Where the time until every view was drawn went. */
  readonly breakdown: Breakdown
}

/** Memory of the browser around one open. */
export interface BrowserMemory {
  /** All the browser's processes (PSS), once the engine had started and before the file was chosen. */
  readonly baselinePssBytes: number
  readonly peakPssBytes: number
  /** The page's JS heap (main thread), the most seen while loading, and once loaded. */
  readonly jsHeapPeakBytes: number
  readonly jsHeapBytes: number
  /** The DuckDB worker's WebAssembly memory (it never shrinks, so this is also its peak). */
  readonly wasmBytes: number | null
  /** The status bar's "X in memory": what DuckDB's buffer manager holds. */
  readonly engineText: string | null
  /** Why `performance.measureUserAgentSpecificMemory` was not used, or its total. */
  readonly uaMemory: string
}

/** How far an open that did not complete got (ms from the file's choice; null: not reached). */
export interface PartialOpen {
  readonly firstPageMs: number | null
  readonly histogramMs: number | null
}

/** Everything measured in the browser for one case. */
export interface BrowserResult {
  readonly name: string
  readonly error?: string
  /** When the open did not complete: how far it got. */
  readonly partial?: PartialOpen
  /** Errors the page logged (console errors, uncaught exceptions), the first few. */
  readonly pageErrors?: readonly string[]
  readonly open?: BrowserOpen
  readonly memory?: BrowserMemory
  readonly filter?: readonly StepTiming[] | Failed
  readonly scroll?: readonly StepTiming[] | Failed
  readonly export?: ExportTiming | Failed
  readonly diff?: readonly DiffTiming[] | Failed
  /** The pass-rate step and the diff of the first row it leaves. */
  readonly range?: {
    readonly filter: StepTiming | Failed
    readonly diff: readonly DiffTiming[] | Failed
    /** A screenshot of the page once the first row's diff is highlighted. */
    readonly screenshot: string
  }
}

/** The export of the rows a 10% SQL condition shows, as JSON Lines and as Parquet. */
export interface ExportTiming {
  readonly available: boolean
  /** Why it was not measured, when it was not. */
  readonly reason?: string
  /** Applying the SQL condition until every view shows its result. */
  readonly whereMs?: number
  readonly rows?: number
  readonly jsonl?: ExportFile | Failed
  readonly parquet?: ExportFile | Failed
}

/** One exported file: from the click that starts it to its download. */
export interface ExportFile {
  readonly ms: number
  readonly bytes: number
}

/** One timed step (a filter change, a scroll) and where its time went. */
export interface StepTiming {
  readonly label: string
  readonly ms: number
  readonly breakdown: Breakdown
}

/** A stage that could not be measured, and why. */
export interface Failed {
  readonly error: string
}

/** One long pair in the browser: its diff drawn, then highlighted on both sides. */
export interface DiffTiming {
  readonly row: number
  readonly language: string
  readonly diffMs: number
  /** Both sides' first lines (a screen and more) in colour. */
  readonly highlightTopMs: number
  readonly highlightMs: number
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error)
}

/** The DuckDB worker's WebAssembly memory size, read inside the worker. */
async function wasmBytes(page: Page): Promise<number | null> {
  for (const worker of page.workers()) {
    if (!/duckdb/i.test(worker.url())) continue
    return worker.evaluate(() => {
      const bindings = (globalThis as { DUCKDB_BINDINGS?: { mod?: Record<string, unknown> } })
        .DUCKDB_BINDINGS
      const heap = bindings?.mod?.HEAPU8 as Uint8Array | undefined
      const memory = bindings?.mod?.wasmMemory as WebAssembly.Memory | undefined
      return heap?.buffer.byteLength ?? memory?.buffer.byteLength ?? null
    })
  }
  return null
}

/** Waits until the engine has started: the app starts it while the person is choosing a file. */
async function engineStarted(page: Page): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    for (const worker of page.workers()) {
      if (!/duckdb/i.test(worker.url())) continue
      const ready = await worker
        .evaluate(() => typeof (globalThis as { DUCKDB_BINDINGS?: unknown }).DUCKDB_BINDINGS)
        .catch(() => 'undefined')
      if (ready === 'object') {
        // Opening the database and the connection follow the wasm; give them a moment.
        await page.waitForTimeout(500)
        return
      }
    }
    await page.waitForTimeout(200)
  }
  throw new Error('the DuckDB worker did not start within 120 s')
}

async function newPage(
  bench: BenchBrowser,
): Promise<{ page: Page; crashed: () => string | null; errors: string[] }> {
  const context = await bench.newContext()
  await context.addInitScript(installHelpers)
  const page = context.pages()[0] ?? (await context.newPage())
  let crash: string | null = null
  const errors: string[] = []
  const note = (text: string) => {
    if (errors.length < 5) errors.push(text.split('\n')[0]!.slice(0, 300))
  }
  page.on('console', (entry) => {
    if (entry.type() === 'error') note(entry.text())
  })
  page.on('pageerror', (error) => note(error.message))
  page.on(
    'crash',
    () => (crash = 'the page crashed (Chromium killed the renderer: out of memory?)'),
  )
  await page.goto(bench.server.url)
  await page.getByTestId('open-file-input').first().waitFor({ state: 'attached' })
  await engineStarted(page)
  return { page, crashed: () => crash, errors }
}

/** An open that did not complete, with how far it got. */
class OpenFailed extends Error {
  constructor(
    message: string,
    readonly partial: PartialOpen,
    readonly memory: BrowserMemory | null,
  ) {
    super(message)
  }
}

/** Memory of the page once an open ended (or gave up); what cannot be read is left out. */
async function readMemory(
  page: Page,
  baselinePssBytes: number,
  peakPssBytes: number,
): Promise<BrowserMemory> {
  const heap = await page
    .evaluate(() => ({
      now: performance.memory?.usedJSHeapSize ?? 0,
      peak: window.__rlbench.heapPeak,
      isolated: self.crossOriginIsolated,
      available: 'measureUserAgentSpecificMemory' in performance,
    }))
    .catch(() => null)
  const status = await page
    .locator('.status-bar')
    .textContent({ timeout: 2000 })
    .catch(() => null)
  return {
    baselinePssBytes,
    peakPssBytes,
    jsHeapPeakBytes: heap ? Math.max(heap.peak, heap.now) : 0,
    jsHeapBytes: heap?.now ?? 0,
    wasmBytes: await wasmBytes(page).catch(() => null),
    engineText: /([\d.]+ [KMGT]?B|\d+ bytes) in memory/.exec(status ?? '')?.[1] ?? null,
    uaMemory: !heap
      ? 'not read: the page did not answer'
      : heap.available
        ? 'available, not used: the worker is read directly'
        : heap.isolated
          ? 'not available in this Chromium'
          : 'not exposed: it needs a cross-origin isolated page (COOP/COEP headers), which the web build is not',
  }
}

async function measureOpen(
  bench: BenchBrowser,
  page: Page,
  spec: CaseSpec,
  native: NativeResult,
  crashed: () => string | null,
): Promise<{ open: BrowserOpen; memory: BrowserMemory }> {
  const layout = native.layout!
  const baselinePssBytes = await sampleSessionPeak(bench.marker).stop()
  await page.evaluate(([l, e, t]) => window.__rlbench.watchOpen(l, e, t), [
    layout,
    native.initial!,
    spec.openTimeoutMs,
  ] as const)
  await page.evaluate(() => (window.__rlbench.heapPeak = 0))
  const sampler = sampleSessionPeak(bench.marker)
  let state: Helpers['open'] | null = null
  try {
    await page.getByTestId('open-file-input').first().setInputFiles(spec.path)
    const deadline = Date.now() + spec.openTimeoutMs + 5000
    for (;;) {
      const crash = crashed()
      if (crash) throw new Error(crash)
      state = await page.evaluate(() => window.__rlbench.open)
      if (state.error) throw new Error(state.error)
      if (state.allViews !== null && state.t0 !== null) break
      if (Date.now() > deadline) throw new Error(`not open after ${spec.openTimeoutMs / 1000} s`)
      await page.waitForTimeout(250)
    }
  } catch (error) {
    const since = (at: number | null | undefined) =>
      at != null && state?.t0 != null ? at - state.t0 : null
    const peak = await sampler.stop()
    const memory = crashed() ? null : await readMemory(page, baselinePssBytes, peak)
    throw new OpenFailed(
      crashed() ?? message(error),
      { firstPageMs: since(state?.firstPage), histogramMs: since(state?.histogram) },
      memory,
    )
  }
  const t0 = state.t0
  const allViews = state.allViews
  const firstPageMs = state.firstPage! - t0
  const histogramMs = state.histogram! - t0
  const memory = await readMemory(page, baselinePssBytes, await sampler.stop())
  const status = await page
    .locator('.status-bar')
    .textContent({ timeout: 2000 })
    .catch(() => null)
  const statusLoad = /loaded in ([\d.]+) s/.exec(status ?? '')?.[1]
  return {
    open: {
      firstPageMs,
      histogramMs,
      firstViewMs: Math.max(firstPageMs, histogramMs),
      allViewsMs: allViews - t0,
      loadedMs: state.loaded === null ? null : state.loaded - t0,
      statusLoadMs: statusLoad === undefined ? null : Number(statusLoad) * 1000,
      settledMs: spec.settle
        ? (await page.evaluate(
            (timeout) => window.__rlbench.idle(500, timeout),
            spec.openTimeoutMs,
          )) - t0
        : null,
      breakdown: await page.evaluate(([from, to]) => window.__rlbench.breakdown(from, to), [
        t0,
        allViews,
      ] as const),
    },
    memory,
  }
}

/** Waits until the engine has no request outstanding and the page has been quiet for a moment. */
async function settle(page: Page, spec: CaseSpec): Promise<void> {
  await page.evaluate((timeout) => window.__rlbench.idle(500, timeout), spec.openTimeoutMs)
}

/** Ticks and unticks each language as the native run did, timing until every view matches. */
async function measureFilter(
  page: Page,
  spec: CaseSpec,
  native: NativeResult,
): Promise<StepTiming[]> {
  const out: StepTiming[] = []
  for (const step of native.filter ?? []) {
    if (step.range) {
      out.push(await measureRange(page, spec, native, step))
      continue
    }
    const language = step.label.replace(/^(un)?tick /, '')
    await settle(page, spec)
    const timing = await page.evaluate(
      async ([lang, expect, layout, timeout]) => {
        const box = document.querySelector<HTMLInputElement>(
          `[data-testid="language-facet"] [data-value="${lang}"] input`,
        )
        if (!box) throw new Error(`no ${lang} in the language facet`)
        const started = performance.now()
        box.click()
        const done = await window.__rlbench.until(
          () => window.__rlbench.viewsMatch(expect, layout),
          timeout,
        )
        return { ms: done - started, breakdown: window.__rlbench.breakdown(started, done) }
      },
      [language, step.expect, native.layout!, spec.stepTimeoutMs] as const,
    )
    out.push({ label: step.label, ...timing })
  }
  return out
}

/** Types a range's upper end into its histogram's "to" box; done when every view matches. */
async function measureRange(
  page: Page,
  spec: CaseSpec,
  native: NativeResult,
  step: FilterStep,
): Promise<StepTiming> {
  const { key, max } = step.range!
  await settle(page, spec)
  const box = page.getByLabel(`${key} to`, { exact: true })
  await box.fill(String(max))
  const started = await page.evaluate(() => performance.now())
  await box.press('Enter')
  const timing = await page.evaluate(
    async ([from, expect, layout, timeout]) => {
      const done = await window.__rlbench.until(
        () => window.__rlbench.viewsMatch(expect, layout),
        timeout,
      )
      return { ms: done - from, breakdown: window.__rlbench.breakdown(from, done) }
    },
    [started, step.expect, native.layout!, spec.stepTimeoutMs] as const,
  )
  return { label: step.label, ...timing }
}

/** Scrolls the table to far rows; done when the rows in view show their data. */
async function measureScroll(
  page: Page,
  spec: CaseSpec,
  native: NativeResult,
): Promise<StepTiming[]> {
  const out: StepTiming[] = []
  for (const step of native.scroll ?? []) {
    await settle(page, spec)
    const timing = await page.evaluate(
      async ([row, rowText, rowHeight, timeout]) => {
        const table = document.querySelector<HTMLElement>('[data-testid="row-table"]')!
        const started = performance.now()
        table.scrollTop = row * rowHeight - 3 * rowHeight
        const done = await window.__rlbench.until(
          () =>
            window.__rlbench.rowText(row) === rowText &&
            table.querySelector('.cell-loading') === null,
          timeout,
        )
        return { ms: done - started, breakdown: window.__rlbench.breakdown(started, done) }
      },
      [step.row, step.rowText, ROW_HEIGHT, spec.stepTimeoutMs] as const,
    )
    out.push({ label: `row ${step.rowText}`, ...timing })
  }
  await page.evaluate(() => {
    document.querySelector('[data-testid="row-table"]')!.scrollTop = 0
  })
  return out
}

/** Applies the 10% SQL condition, then exports what it shows as JSON Lines and as Parquet. */
async function measureExport(
  page: Page,
  spec: CaseSpec,
  native: NativeResult,
): Promise<ExportTiming> {
  const plan = native.export!
  const button = page.getByTestId('export-button')
  if ((await button.count()) === 0) {
    return { available: false, reason: 'not available: this build has no export-button' }
  }
  const box = page.getByTestId('sql-where')
  await box.fill(plan.where)
  const whereMs = await page.evaluate(
    async ([expect, layout, timeout]) => {
      const area = document.querySelector<HTMLTextAreaElement>('[data-testid="sql-where"]')!
      const started = performance.now()
      area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
      const done = await window.__rlbench.until(
        () => window.__rlbench.viewsMatch(expect, layout),
        timeout,
      )
      return done - started
    },
    [plan.expect, native.layout!, spec.stepTimeoutMs] as const,
  )
  const run = async (format: 'jsonl' | 'parquet'): Promise<ExportFile | Failed> => {
    try {
      await button.first().click()
      const dialog = page
        .locator('[data-testid="export-dialog"], [role="dialog"]')
        .filter({ has: page.locator('button') })
        .last()
      await dialog.waitFor({ timeout: 10_000 })
      const select = dialog.locator('[data-testid="export-format"]')
      if ((await select.count()) > 0) {
        const tag = await select.first().evaluate((el) => el.tagName)
        if (tag === 'SELECT') await select.first().selectOption(format)
        else await select.locator(`[value="${format}"]`).first().check()
      } else {
        const radio = dialog.locator(`input[value="${format}"]`)
        if ((await radio.count()) > 0) await radio.first().check()
        else {
          await dialog
            .getByText(format === 'jsonl' ? /JSON Lines/ : /Parquet/)
            .first()
            .click()
        }
      }
      const start = dialog.locator('[data-testid="export-start"]')
      const target =
        (await start.count()) > 0
          ? start.first()
          : dialog.getByRole('button', { name: /^(Export|Save|Download)/ }).last()
      const downloaded = page.waitForEvent('download', {
        predicate: (d) => !d.suggestedFilename().endsWith('.meta.json'),
        timeout: spec.stepTimeoutMs,
      })
      const error = dialog.getByTestId('export-error')
      const failure = error.waitFor({ timeout: spec.stepTimeoutMs }).then(async () => {
        throw new Error(`the export failed: ${(await error.textContent()) ?? ''}`)
      })
      downloaded.catch(() => undefined)
      failure.catch(() => undefined)
      await settle(page, spec)
      const started = Date.now()
      await target.click()
      const download = await Promise.race([downloaded, failure])
      const ms = Date.now() - started
      const path = await download.path()
      const { size } = await import('node:fs/promises').then((fs) => fs.stat(path))
      await download.delete()
      // The dialog says where the file went; close it as a person would.
      await dialog
        .getByRole('button', { name: /^(Done|Close)$/ })
        .first()
        .click()
      await dialog.waitFor({ state: 'detached' })
      return { ms, bytes: size }
    } catch (error) {
      // Playwright's call log says what the click waited for; the report keeps the first line.
      console.error(`export to ${format} failed:`, error)
      const crash = page.locator('.crash-backdrop')
      if ((await crash.count()) > 0)
        console.error('crash screen:', await crash.first().textContent())
      const close = page
        .getByTestId('export-dialog')
        .getByRole('button', { name: /^(Close|Cancel)$/ })
      await close
        .first()
        .click({ timeout: 2000 })
        .catch(() => undefined)
      return { error: message(error) }
    }
  }
  return {
    available: true,
    whereMs,
    rows: plan.rows,
    jsonl: await run('jsonl'),
    parquet: await run('parquet'),
  }
}

/** Selects each long pair and times its diff: drawn, then highlighted on both sides. */
async function measureDiff(
  page: Page,
  spec: CaseSpec,
  native: NativeResult,
  steps?: readonly DiffStep[],
): Promise<DiffTiming[]> {
  const out: DiffTiming[] = []
  for (const step of steps ?? native.diff ?? []) {
    const times = await page.evaluate(
      async ([row, heading, firstLine, timeout]) => {
        const line = document.querySelector<HTMLElement>(
          `[data-testid="row-table"] [data-row-index="${row}"]`,
        )
        if (!line) throw new Error(`row ${row} is not drawn`)
        const detail = () => document.querySelector('[data-testid="row-detail"]')
        const diff = () => detail()?.querySelector('[data-testid="code-diff"]') ?? null
        const shows = () =>
          (detail()?.querySelector('h2')?.textContent ?? '').trim() === heading &&
          (diff()
            ?.querySelector('[data-testid="diff-pane-a"] .diff-line')
            ?.textContent?.includes(firstLine) ??
            false)
        const started = performance.now()
        line.click()
        const drawn = await window.__rlbench.until(shows, timeout)
        const top = await window.__rlbench.until(
          () => shows() && diff()?.getAttribute('data-highlighted-top') === 'true',
          timeout,
        )
        const highlighted = await window.__rlbench.until(
          () => shows() && diff()?.getAttribute('data-highlighted') === 'true',
          timeout,
        )
        return {
          diffMs: drawn - started,
          highlightTopMs: top - started,
          highlightMs: highlighted - started,
        }
      },
      [step.row, step.heading, step.firstLineA, spec.stepTimeoutMs] as const,
    )
    out.push({ row: step.row, language: step.language, ...times })
  }
  return out
}

/** Runs one case in a fresh page: open, then what the case asks for. */
export async function runBrowserCase(
  bench: BenchBrowser,
  spec: CaseSpec,
  native: NativeResult,
): Promise<BrowserResult> {
  if (native.error || !native.layout || !native.initial) {
    return { name: spec.name, error: `skipped: the native run failed (${native.error})` }
  }
  let page: Page | null = null
  let errors: string[] = []
  try {
    const opened = await newPage(bench)
    page = opened.page
    errors = opened.errors
    const { open, memory } = await measureOpen(bench, page, spec, native, opened.crashed)
    const result: BrowserResult = { name: spec.name, open, memory, pageErrors: errors }
    const stage = async <T>(run: (p: Page) => Promise<T>): Promise<T | { error: string }> => {
      try {
        return await run(page!)
      } catch (error) {
        return { error: opened.crashed() ?? message(error) }
      }
    }
    if (spec.diff) return { ...result, diff: await stage((p) => measureDiff(p, spec, native)) }
    const range = native.range
    if (range) {
      const filter = await stage((p) => measureRange(p, spec, native, range.filter))
      const diff = await stage((p) => measureDiff(p, spec, native, [range.diff]))
      // What the person sees at the end of the step, to look at after the run.
      const screenshot = join(spec.scratch, `${spec.name.replace(/[^\w]+/g, '-')}.png`)
      await page.screenshot({ path: screenshot }).catch(() => undefined)
      return { ...result, range: { filter, diff, screenshot } }
    }
    if (!spec.interact) return result
    return {
      ...result,
      filter: await stage((p) => measureFilter(p, spec, native)),
      scroll: await stage((p) => measureScroll(p, spec, native)),
      export: await stage((p) => measureExport(p, spec, native)),
    }
  } catch (error) {
    if (error instanceof OpenFailed) {
      return {
        name: spec.name,
        error: error.message,
        partial: error.partial,
        ...(error.memory ? { memory: error.memory } : {}),
        pageErrors: errors,
      }
    }
    return { name: spec.name, error: message(error), pageErrors: errors }
  } finally {
    await page
      ?.context()
      .close()
      .catch(() => undefined)
  }
}
