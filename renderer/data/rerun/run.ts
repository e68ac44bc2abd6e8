/**
 * One test run over many units: read their code and tests a few rows at a time, take each result
 * from the cache when the same code and tests ran before (same runner version), run the rest in
 * the pool, write the results into the units table as they come, and tell how far it got.
 */
import type { LoadedDataset } from '../dataset'
import type { Engine } from '../engine'
import type { Relations } from '../relations'
import { rerunRequest } from './kinds'
import { RerunCancelled, type RerunPool } from './pool'
import {
  type StoredRerun,
  type UnitKey,
  readUnitsToRun,
  requestHash,
  writeRerunResults,
} from './results'
import type { UnitResult } from './types'

/** What became of one unit. */
export type UnitOutcome =
  | {
      readonly runnable: true
      readonly hash: string
      readonly result: UnitResult
      readonly cached: boolean
    }
  | { readonly runnable: false; readonly reason: string }

/** Counts of a run so far. */
export interface RunCounts {
  /** Units with a result: the sum of the four below. */
  readonly run: number
  readonly pass: number
  readonly fail: number
  readonly error: number
  readonly timeout: number
  /** Units that cannot run here (not Python, no tests...). */
  readonly notRunnable: number
  /** Results taken from the cache instead of running. */
  readonly cached: number
}

/** Where a run is. */
export interface RunProgress extends RunCounts {
  readonly done: number
  readonly total: number
  /** Milliseconds left at the pace so far; null until one unit has run. */
  readonly etaMs: number | null
}

export const NO_COUNTS: RunCounts = {
  run: 0,
  pass: 0,
  fail: 0,
  error: 0,
  timeout: 0,
  notRunnable: 0,
  cached: 0,
}

/** "N run: P pass, F fail, E error, T timeout", and what could not run. */
export function summaryText(c: RunCounts): string {
  const base = `${c.run} run: ${c.pass} pass, ${c.fail} fail, ${c.error} error, ${c.timeout} timeout`
  const extra = [
    c.cached > 0 ? `${c.cached} from earlier runs` : null,
    c.notRunnable > 0 ? `${c.notRunnable} cannot run here` : null,
  ].filter((x) => x !== null)
  return extra.length > 0 ? `${base} (${extra.join('; ')})` : base
}

/** What a run needs. */
export interface RunUnitsOptions {
  readonly engine: Engine
  readonly relations: Relations
  readonly dataset: LoadedDataset
  readonly pool: RerunPool
  readonly keys: readonly UnitKey[]
  /** Results of earlier runs by request hash; new results are added to it. */
  readonly cache: Map<string, UnitResult>
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: RunProgress) => void
  readonly onOutcome?: (key: UnitKey, outcome: UnitOutcome) => void
  /** Called after results were written to the units table (the views should read again). */
  readonly onWritten?: () => void
}

/** Rows whose units are read from the engine at a time. */
const READ_ROWS = 20

/** Runs the tests of the given units; resolves to the counts (cancelled runs keep what they did). */
export async function runUnits(
  options: RunUnitsOptions,
): Promise<RunCounts & { cancelled: boolean }> {
  const { engine, relations, dataset, pool, keys, cache, signal } = options
  const wanted = new Set(keys.map((k) => `${k.row}:${k.item ?? 0}`))
  const rows = [...new Set(keys.map((k) => k.row))]
  let counts = { ...NO_COUNTS }
  let done = 0
  let runMs = 0
  let ran = 0
  let pending: StoredRerun[] = []
  let lastWrite = performance.now()
  const flush = async () => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    await writeRerunResults(engine, relations, batch)
    lastWrite = performance.now()
    options.onWritten?.()
  }
  const report = () => {
    const left = keys.length - done
    options.onProgress?.({
      ...counts,
      done,
      total: keys.length,
      etaMs: ran > 0 ? (runMs / ran) * left : null,
    })
  }
  report()
  let cancelled = false
  try {
    for (let start = 0; start < rows.length; start += READ_ROWS) {
      if (signal?.aborted) throw new RerunCancelled()
      const units = await readUnitsToRun(
        engine,
        relations,
        dataset,
        rows.slice(start, start + READ_ROWS),
      )
      for (const unit of units) {
        if (!wanted.has(`${unit.key.row}:${unit.key.item ?? 0}`)) continue
        if (signal?.aborted) throw new RerunCancelled()
        const runnable = rerunRequest(unit)
        let outcome: UnitOutcome
        if (!runnable.ok) {
          outcome = { runnable: false, reason: runnable.reason }
          counts = { ...counts, notRunnable: counts.notRunnable + 1 }
        } else {
          const hash = await requestHash(runnable.request)
          const known = cache.get(hash)
          const started = performance.now()
          const result = known ?? (await pool.run(runnable.request, signal ? { signal } : {}))
          if (!known) {
            cache.set(hash, result)
            runMs += performance.now() - started
            ran += 1
          }
          outcome = { runnable: true, hash, result, cached: Boolean(known) }
          counts = {
            ...counts,
            run: counts.run + 1,
            [result.status]: counts[result.status] + 1,
            cached: counts.cached + (known ? 1 : 0),
          }
          pending.push({ key: unit.key, passRate: result.passRate, status: result.status })
        }
        done += 1
        options.onOutcome?.(unit.key, outcome)
        report()
        if (performance.now() - lastWrite > 1000) await flush()
      }
    }
  } catch (error) {
    if (!(error instanceof RerunCancelled)) throw error
    cancelled = true
  }
  await flush()
  return { ...counts, cancelled }
}
