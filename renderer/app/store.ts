/**
 * The one app store: the open dataset, the load in progress, the selection and the sort.
 *
 * Views read it through `useAppState` and change it only through the actions here, so there is
 * one place where a dataset is opened, replaced or closed. The filter's history, the flag queue
 * and the reward-checks queue live in their own modules, each unit-tested without an engine.
 */
import { useSyncExternalStore } from 'react'
import type { DatasetSource, Host } from '../../shared/host'
import type { Profile } from '../../shared/profile'
import { changeProfile, openProfile } from '../data/profile/session'
import type { Engine } from '../data/engine'
import { errorMessage } from '../data/errors'
import type { Filter } from '../data/filter'
import { openFlags, placedFlags, withFlag } from '../data/flagSession'
import { syncFlagsTable } from '../data/flags'
import { buildParseFacts } from '../data/parse/facts'
import { workerParseService } from '../data/parse/parseClient'
import { buildQa } from '../data/qa'
import type { Decoder } from '../data/ingest/decoder'
import type { LoadedDataset } from '../data/dataset'
import { LoadCancelled, closeDataset, loadDataset } from '../data/load'
import { findSplits, sourceForSplit, splitChosen } from '../data/ingest/splits'
import type { RowOrder } from '../data/rows'
import { ChecksQueue } from './checksQueue'
import { CompareSession } from './compareSession'
import { NearDupSession } from './nearDupSession'
import type { NearDupService } from '../data/neardup/service'
import type { NearDupKind } from '../data/neardup/core'
import type { CompareKey } from '../data/compare/key'
import { FlagQueue } from './flagQueue'
import { type AppState, INITIAL_STATE, NO_DATASET } from './appState'
import { type FilterState, redoneFilter, undoneFilter, withFilter } from './filterHistory'

/** The services the store needs; created once by the App. */
export interface Services {
  readonly host: Host
  readonly engine: () => Promise<Engine>
  readonly decoder: () => Decoder
  /** Signs and groups texts for near-duplicates (the near-duplicate worker). */
  readonly nearDup: NearDupService
}

/** The app store. */
export class AppStore {
  private state: AppState = INITIAL_STATE
  private readonly listeners = new Set<() => void>()
  private abort: AbortController | null = null
  private readonly flags: FlagQueue
  private readonly checks: ChecksQueue
  private readonly comparison: CompareSession
  private readonly nearDups: NearDupSession
  /** Check builds run one at a time: each rewrites the same work tables. */
  private checkBuilds: Promise<unknown> = Promise.resolve()
  /** The profile whose answers were parsed and checked on parse trees, once they were. */
  private parsed: Profile | null = null

  constructor(private readonly services: Services) {
    this.flags = new FlagQueue({
      getState: this.getState,
      set: (patch) => this.set(patch),
      withFlag: async (dataset, flags, row, note) =>
        withFlag(await services.engine(), dataset, flags, row, note, new Date()),
      save: (datasetPath, document) => services.host.saveFlags(datasetPath, document),
      place: async (dataset, document, location) =>
        placedFlags(await services.engine(), dataset, document, location),
      syncTable: async (dataset, placed) =>
        syncFlagsTable(await services.engine(), dataset.table, placed),
    })
    this.checks = new ChecksQueue({
      getState: this.getState,
      set: (patch) => this.set(patch),
      check: async (dataset, profile) => {
        this.parsed = null
        const engine = await services.engine()
        return this.checking(() => buildQa(engine, dataset, profile))
      },
      nearDup: (dataset, profile, current) => this.nearDups.find(dataset, profile, current),
      parse: async (dataset, profile, onProgress, current) => {
        const engine = await services.engine()
        const service = workerParseService
        const report = await buildParseFacts(engine, dataset, profile, service, {
          onProgress,
          current,
        })
        if (!report) return null
        return this.checking(async () => {
          const nearDup = this.nearDupBuilt()
          const qa = await buildQa(engine, dataset, profile, { parsed: true, nearDup })
          this.parsed = profile
          return qa
        })
      },
    })
    this.nearDups = new NearDupSession({
      getState: this.getState,
      set: (patch) => this.set(patch),
      engine: services.engine,
      service: services.nearDup,
      decoder: services.decoder,
      readBytes: (id, start, end) => services.host.readBytes(id, start, end),
      loadProfile: (path) => services.host.loadProfile(path),
      recheck: async (dataset, profile, nearDup) => {
        const engine = await services.engine()
        // Read when the build runs: a parse finishing meanwhile adds its checks to the summary.
        return this.checking(() =>
          buildQa(engine, dataset, profile, {
            parsed: this.parsed === profile,
            nearDup,
            nearDupOnly: true,
          }),
        )
      },
      changed: () => this.set({ dataVersion: this.state.dataVersion + 1 }),
    })
    this.comparison = new CompareSession({
      getState: this.getState,
      set: (patch) => this.set(patch),
      engine: services.engine,
      decoder: services.decoder,
      readBytes: (id, start, end) => services.host.readBytes(id, start, end),
      loadProfile: (path) => services.host.loadProfile(path),
      saveProfile: (path, profile) => services.host.saveProfile(path, profile),
      changed: () => this.set({ dataVersion: this.state.dataVersion + 1 }),
    })
  }

  /** Runs a build of the checks after the builds before it. */
  private checking<T>(build: () => Promise<T>): Promise<T> {
    const next = this.checkBuilds.then(build, build)
    this.checkBuilds = next.catch(() => undefined)
    return next
  }

  /** What the near-duplicate checks can read now: null until near-duplicates are found. */
  private nearDupBuilt(): { reference: boolean } | null {
    const nearDup = this.state.nearDup
    return nearDup?.summary ? { reference: nearDup.reference?.matched ?? false } : null
  }

  /** Stops parsing the answers for the checks on parse trees (`ChecksQueue.cancelParse`). */
  cancelParsing(): void {
    this.checks.cancelParse()
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  readonly getState = (): AppState => this.state

  private set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch }
    for (const listener of this.listeners) listener()
  }

  /**
   * Opens a source, replacing the current dataset once the new one has loaded. A folder of
   * Hugging Face splits first asks which split to open (`chooseSplit`).
   */
  async open(source: DatasetSource): Promise<void> {
    const splits = splitChosen(source) ? [] : findSplits(source)
    if (splits.length > 0) {
      this.set({ splitChoice: { source, splits }, error: null })
      return
    }
    this.set({ splitChoice: null })
    this.abort?.abort()
    const abort = new AbortController()
    this.abort = abort
    this.set({
      loading: { source, progress: { phase: 'Opening', fraction: 0, rows: 0 } },
      error: null,
    })
    try {
      const engine = await this.services.engine()
      const dataset = await loadDataset(source, {
        engine,
        decoder: this.services.decoder(),
        readBytes: (id, start, end) => this.services.host.readBytes(id, start, end),
        signal: abort.signal,
        onProgress: (progress) => {
          if (this.abort === abort) this.set({ loading: { source, progress } })
        },
      })
      if (this.abort !== abort) {
        await closeDataset(engine, dataset)
        return
      }
      const previous = this.state.dataset
      await this.comparison.dropWithDataset()
      this.nearDups.forget()
      // The table shows at once; the roles (and the views built on them) follow when detected.
      this.set({ ...NO_DATASET, dataset, loading: null })
      // Flags start loading in the same step the table appears, so an f pressed on its first row
      // waits for them (started after an await, such a press found no flags and was dropped).
      const flagsLoaded = this.flags.load(dataset, () =>
        openFlags(engine, this.services.host, dataset),
      )
      if (previous) await closeDataset(engine, previous)
      await this.services.host.noteOpened(source).catch(() => undefined)
      await this.applyProfile(engine, dataset)
      await flagsLoaded
    } catch (error) {
      if (this.abort !== abort) return
      if (error instanceof LoadCancelled) this.set({ loading: null })
      else this.set({ loading: null, error: errorMessage(error) })
    } finally {
      if (this.abort === abort) this.abort = null
    }
  }

  /** Detects (or restores) the open dataset's roles and builds the units view. */
  private async applyProfile(engine: Engine, dataset: LoadedDataset): Promise<void> {
    try {
      const saved = await this.services.host.loadProfile(dataset.source.path).catch(() => null)
      const profile = await openProfile(engine, dataset, saved)
      if (this.state.dataset !== dataset) return
      this.set({ profile })
      // The checks run behind the views; the flags and the table do not wait for them.
      void this.checks.run(dataset, profile)
    } catch (error) {
      if (this.state.dataset === dataset) {
        this.set({
          error: `The roles of ${dataset.source.name} could not be worked out: ${errorMessage(error)}`,
        })
      }
    }
  }

  /** Flags a row with a note, or with null unflags it. */
  setFlag(row: number, note: string | null): Promise<void> {
    return this.flags.setFlag(row, note)
  }

  /** Flags the row if it is not flagged, unflags it if it is; two quick presses cancel out. */
  toggleFlag(row: number): Promise<void> {
    return this.flags.toggleFlag(row)
  }

  /** Removes the flags that match no row any more; the flags on rows stay. */
  forgetOrphanedFlags(): Promise<void> {
    return this.flags.forgetOrphaned()
  }

  /** Shows the flags another window saved for `datasetPath`, when that is the open dataset. */
  async flagsChangedElsewhere(datasetPath: string): Promise<void> {
    const dataset = this.state.dataset
    if (!dataset || dataset.source.path !== datasetPath) return
    const engine = await this.services.engine()
    await this.flags.reload(dataset, () => openFlags(engine, this.services.host, dataset))
  }

  /** Runs a Host request that yields a source (picker, drop, demo) and opens what it returns. */
  async openFrom(request: () => Promise<DatasetSource | null>): Promise<void> {
    try {
      const source = await request()
      if (source) await this.open(source)
    } catch (error) {
      this.set({ error: errorMessage(error) })
    }
  }

  /**
   * Opens the split the person chose of the folder asking (`ALL_SPLITS`: every split, with a
   * `split` column), or with null opens nothing and keeps the dataset open before.
   */
  async chooseSplit(choice: string | null): Promise<void> {
    const asking = this.state.splitChoice
    if (!asking) return
    this.set({ splitChoice: null })
    if (choice !== null) await this.open(sourceForSplit(asking.source, asking.splits, choice))
  }

  /** Stops the load in progress; the dataset open before it stays open. */
  cancelLoad(): void {
    this.abort?.abort()
    this.abort = null
    this.set({ loading: null })
  }

  /** Closes the open dataset and returns to the start screen. */
  async close(): Promise<void> {
    const { dataset } = this.state
    await this.comparison.dropWithDataset()
    this.nearDups.forget()
    this.set({ ...NO_DATASET, error: null })
    if (dataset) await closeDataset(await this.services.engine(), dataset)
  }

  /**
   * Applies a changed profile and remembers it for this file (forgotten again when it equals the
   * detected one). A profile the engine cannot apply leaves the current one in place.
   */
  async setProfile(profile: Profile): Promise<void> {
    const { dataset, profile: current } = this.state
    if (!dataset || !current) return
    try {
      const next = await changeProfile(await this.services.engine(), dataset, current, profile)
      if (this.state.dataset !== dataset) return
      this.set({ profile: next, profileError: null })
      // Saved before the checks run: they take a while, and the choice must not wait for them.
      const toSave = next.origin === 'detected' ? null : profile
      await this.services.host.saveProfile(dataset.source.path, toSave).catch((error: unknown) => {
        this.set({ profileError: `The roles apply but could not be saved: ${errorMessage(error)}` })
      })
      if (next.profile !== current.profile) {
        // Near-duplicates were found over the old units: forgotten, and the filter's parts on them
        // dropped, until they are found again behind the new checks.
        this.nearDups.forget()
        const { filter } = this.state
        this.set({
          nearDup: null,
          ...(filter.nearDup || filter.contaminated
            ? { filter: { ...filter, nearDup: null, contaminated: null } }
            : {}),
        })
        void this.checks.run(dataset, next)
        // The units table was rebuilt without the comparison's columns.
        void this.comparison.rebuild()
      }
    } catch (error) {
      if (this.state.dataset === dataset) this.set({ profileError: errorMessage(error) })
    }
  }

  /**
   * Test re-run results were written into the units table: every view reads again, and with
   * `recheck` the reward checks run again (`rerun-mismatch` reads the results).
   */
  rerunResultsChanged(recheck: boolean): void {
    const { dataset, profile, dataVersion } = this.state
    this.set({ dataVersion: dataVersion + 1 })
    if (recheck && dataset && profile) void this.checks.run(dataset, profile)
  }

  /** Runs a Host request that yields a second file (picker, file input) and compares it with the open one. */
  async compareFrom(request: () => Promise<DatasetSource | null>): Promise<void> {
    try {
      const source = await request()
      if (source) await this.comparison.open(source)
    } catch (error) {
      this.set({ error: errorMessage(error) })
    }
  }

  /** Pairs the two files on another key. */
  compareOn(key: CompareKey): Promise<void> {
    return this.comparison.setKey(key)
  }

  /** Sets the reward a pass needs, for counting flips. */
  compareThreshold(threshold: number): void {
    this.comparison.setThreshold(threshold)
  }

  /** Applies roles to the compared file B and pairs the files again. */
  compareRoles(profile: Profile): Promise<void> {
    return this.comparison.setRolesB(profile)
  }

  /** Stops comparing and closes the second file. */
  closeCompare(): Promise<void> {
    return this.comparison.close()
  }

  /** Groups near-duplicates again at another Jaccard threshold. */
  nearDupThreshold(threshold: number): Promise<void> {
    return this.nearDups.setThreshold(threshold)
  }

  /** Runs a Host request that yields a reference set and marks the rows matching it. */
  async referenceFrom(request: () => Promise<DatasetSource | null>): Promise<void> {
    try {
      const source = await request()
      if (source) await this.nearDups.chooseReference(source)
    } catch (error) {
      this.set({ error: errorMessage(error) })
    }
  }

  /** The estimated similarity of two texts of the open dataset, by their near-duplicate ids. */
  nearDupSimilarity(kind: NearDupKind, a: number, b: number): number | null {
    return this.nearDups.similarity(kind, a, b)
  }

  /** Forgets the reference set. */
  clearReference(): Promise<void> {
    return this.nearDups.clearReference()
  }

  /** Hides the error message. */
  dismissError(): void {
    this.set({ error: null })
  }

  /** Selects a row by its identity. */
  select(row: number | null): void {
    if (row !== this.state.selectedRow) this.set({ selectedRow: row })
  }

  /** Asks the table to select the row `delta` places after the selected one, in its order. */
  stepRow(delta: number): void {
    this.set({ rowStep: { delta, seq: (this.state.rowStep?.seq ?? 0) + 1 } })
  }

  /** Sorts the table by a column, or restores file order with null. */
  sortBy(sort: RowOrder | null): void {
    this.set({ sort })
  }

  /** Replaces the filter (undoably). */
  setFilter(filter: Filter): void {
    this.changeFilter((state) => withFilter(state, filter))
  }

  /** Changes part of the filter (undoably). */
  updateFilter(patch: Partial<Filter>): void {
    this.setFilter({ ...this.state.filter, ...patch })
  }

  /** Goes back to the filter before the last change. */
  undoFilter(): void {
    this.changeFilter(undoneFilter)
  }

  /** Re-applies the filter change undone last. */
  redoFilter(): void {
    this.changeFilter(redoneFilter)
  }

  /** Applies a filter transition, telling the views only when it changed something. */
  private changeFilter(change: (state: FilterState) => FilterState): void {
    const next = change(this.state)
    if (next !== this.state) this.set(next)
  }
}

/** Reads a slice of the store and re-renders when it changes. */
export function useAppState<T>(store: AppStore, select: (state: AppState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()))
}
