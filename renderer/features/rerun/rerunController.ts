/**
 * The test runs of the open dataset: "Run tests" over the units the filter shows, or one row's
 * units from the detail pane; their progress, the last summary, each unit's outcome, and the
 * results saved through the Host so a reopened file shows them without running again.
 *
 * A small store of its own beside the app store (which it tells when results were written, so
 * the views read again and the checks run again); one per app, made on first use.
 */
import { useSyncExternalStore } from 'react'
import type { AppServices } from '../../app/AppContext'
import type { AppStore } from '../../app/store'
import type { LoadedDataset } from '../../data/dataset'
import type { Engine } from '../../data/engine'
import { errorMessage } from '../../data/errors'
import type { ProfileState } from '../../data/profile/session'
import { browserRerunPool } from '../../data/rerun/browserPool'
import type { RerunPool } from '../../data/rerun/pool'
import {
  type UnitKey,
  filteredUnitKeys,
  readUnitsToRun,
  requestHash,
  unitKeyText,
  writeRerunResults,
} from '../../data/rerun/results'
import { type RunCounts, type RunProgress, type UnitOutcome, runUnits } from '../../data/rerun/run'
import { rerunRequest } from '../../data/rerun/kinds'
import { type UnitResult, parseUnitResult, resultToSave } from '../../data/rerun/types'
import { runSql, sql, ident, raw } from '../../data/sql'
import { UNIT_COLUMNS as U } from '../../data/profile/units'
import type { SavedRerun } from '../../../shared/rerun'

/** What the views show of the test runs. */
export interface RerunState {
  /** The run under way: over the filter, or over one row's units. */
  readonly running: { readonly scope: 'filter' | 'row'; readonly progress: RunProgress } | null
  /** The last finished run's counts. */
  readonly last: {
    readonly scope: 'filter' | 'row'
    readonly counts: RunCounts
    readonly cancelled: boolean
  } | null
  readonly error: string | null
  /** Each unit's outcome (this session's runs and saved results), by `unitKeyText`. */
  readonly outcomes: ReadonlyMap<string, UnitOutcome>
}

const IDLE: RerunState = { running: null, last: null, error: null, outcomes: new Map() }

/** The test runs of one app. */
export class RerunController {
  private state: RerunState = IDLE
  private readonly listeners = new Set<() => void>()
  private pool: RerunPool | null = null
  private abort: AbortController | null = null
  /** The dataset and build of units the state belongs to. */
  private scope: { dataset: LoadedDataset; relations: ProfileState['relations'] } | null = null
  /** Results by request hash, and the saved entries by unit. */
  private cache = new Map<string, UnitResult>()
  private saved = new Map<string, SavedRerun>()

  constructor(
    private readonly store: AppStore,
    private readonly engine: () => Promise<Engine>,
    private readonly host: AppServices['host'],
    private readonly makePool: () => RerunPool = () => browserRerunPool(),
  ) {
    store.subscribe(() => void this.follow())
    void this.follow()
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  readonly getState = (): RerunState => this.state

  private set(patch: Partial<RerunState>): void {
    this.state = { ...this.state, ...patch }
    for (const listener of this.listeners) listener()
  }

  /** Follows the app store: a new dataset or a rebuilt units table starts afresh from what is saved. */
  private async follow(): Promise<void> {
    const { dataset, profile } = this.store.getState()
    const relations = profile?.relations ?? null
    if (this.scope?.dataset === dataset && this.scope?.relations === relations) return
    this.abort?.abort()
    const datasetChanged = this.scope?.dataset !== dataset
    this.scope = dataset && relations ? { dataset, relations } : null
    this.set({ ...IDLE, outcomes: new Map() })
    if (!dataset || !relations) return
    if (datasetChanged) {
      this.cache = new Map()
      this.saved = new Map()
      const document = await this.host.loadRerunResults(dataset.source.path).catch(() => null)
      for (const entry of document?.entries ?? []) {
        const result = parseUnitResult(entry.result)
        if (!result) continue
        this.cache.set(entry.hash, result)
        this.saved.set(unitKeyText(entry), entry)
      }
    }
    await this.restore(dataset, relations)
  }

  /**
   * Shows the saved results of units whose code and tests still hash the same: read again from
   * the engine (only the rows that have one), never run.
   */
  private async restore(
    dataset: LoadedDataset,
    relations: ProfileState['relations'],
  ): Promise<void> {
    if (this.saved.size === 0) return
    const engine = await this.engine()
    const rows = [...new Set([...this.saved.values()].map((e) => e.row))].filter(
      (r) => r < dataset.rowCount,
    )
    const outcomes = new Map<string, UnitOutcome>()
    const stored: { key: UnitKey; passRate: number | null; status: UnitResult['status'] }[] = []
    for (let start = 0; start < rows.length; start += 200) {
      const units = await readUnitsToRun(engine, relations, dataset, rows.slice(start, start + 200))
      for (const unit of units) {
        const entry = this.saved.get(unitKeyText(unit.key))
        const runnable = entry && rerunRequest(unit)
        if (!entry || !runnable?.ok) continue
        const hash = await requestHash(runnable.request)
        const result = hash === entry.hash ? this.cache.get(hash) : undefined
        if (!result) continue
        outcomes.set(unitKeyText(unit.key), { runnable: true, hash, result, cached: true })
        stored.push({ key: unit.key, passRate: result.passRate, status: result.status })
      }
    }
    if (this.scope?.relations !== relations || stored.length === 0) return
    await writeRerunResults(engine, relations, stored)
    this.set({ outcomes })
    this.store.rerunResultsChanged(true)
  }

  /** Runs the tests of the units the filter shows. */
  runFilter(): Promise<void> {
    return this.run('filter', async (engine, relations) =>
      filteredUnitKeys(engine, relations, this.store.getState().filter),
    )
  }

  /** Runs the tests of every unit of one row. */
  runRow(row: number): Promise<void> {
    return this.run('row', async (engine, relations) => {
      const result = await runSql(
        engine,
        sql`SELECT ${raw(U.row)} AS r, ${raw(U.item)} AS i FROM ${ident(relations.unitTable)} WHERE ${raw(U.row)} = ${row} ORDER BY 2`,
      )
      return result.rows.map((r) => ({ row: Number(r.r), item: r.i === null ? null : Number(r.i) }))
    })
  }

  /** Stops the run under way; what ran so far is kept. */
  cancel(): void {
    this.abort?.abort()
  }

  private async run(
    scope: 'filter' | 'row',
    keysOf: (engine: Engine, relations: ProfileState['relations']) => Promise<UnitKey[]>,
  ): Promise<void> {
    const current = this.scope
    if (!current || this.state.running) return
    const { dataset, relations } = current
    const abort = new AbortController()
    this.abort = abort
    this.set({
      running: {
        scope,
        progress: {
          run: 0,
          pass: 0,
          fail: 0,
          error: 0,
          timeout: 0,
          notRunnable: 0,
          cached: 0,
          done: 0,
          total: 0,
          etaMs: null,
        },
      },
      error: null,
    })
    try {
      const engine = await this.engine()
      const keys = await keysOf(engine, relations)
      this.pool ??= this.makePool()
      const outcomes = new Map(this.state.outcomes)
      const counts = await runUnits({
        engine,
        relations,
        dataset,
        pool: this.pool,
        keys,
        cache: this.cache,
        signal: abort.signal,
        onProgress: (progress) => {
          if (this.scope === current) this.set({ running: { scope, progress } })
        },
        onOutcome: (key, outcome) => {
          outcomes.set(unitKeyText(key), outcome)
          if (outcome.runnable)
            this.saved.set(unitKeyText(key), {
              row: key.row,
              item: key.item,
              hash: outcome.hash,
              result: resultToSave(outcome.result),
            })
          if (this.scope === current) this.set({ outcomes: new Map(outcomes) })
        },
        onWritten: () => {
          if (this.scope === current) this.store.rerunResultsChanged(false)
        },
      })
      if (this.scope !== current) return
      this.set({ running: null, last: { scope, counts, cancelled: counts.cancelled } })
      this.store.rerunResultsChanged(true)
      await this.host
        .saveRerunResults(dataset.source.path, { version: 1, entries: [...this.saved.values()] })
        .catch((error: unknown) =>
          this.set({ error: `The results could not be saved: ${errorMessage(error)}` }),
        )
    } catch (error) {
      if (this.scope === current)
        this.set({ running: null, error: `The tests could not run: ${errorMessage(error)}` })
    } finally {
      if (this.abort === abort) this.abort = null
    }
  }
}

const controllers = new WeakMap<AppStore, RerunController>()

/** The app's test-run controller (made on first use). */
export function rerunController(services: AppServices): RerunController {
  let controller = controllers.get(services.store)
  if (!controller) {
    controller = new RerunController(services.store, services.engine, services.host)
    controllers.set(services.store, controller)
  }
  return controller
}

/** Reads a slice of the test runs' state and re-renders when it changes. */
export function useRerunState<T>(controller: RerunController, select: (state: RerunState) => T): T {
  return useSyncExternalStore(controller.subscribe, () => select(controller.getState()))
}
