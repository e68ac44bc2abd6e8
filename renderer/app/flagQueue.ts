/**
 * The flag queue: flag changes run one after another, each saved before the next starts.
 *
 * It calls the outside world only through `FlagQueueDeps` (the store gives the engine and the Host,
 * unit tests give fakes), and reads and changes the app state through the same two functions.
 */
import { type FlagsDocument, type RowFlag, type SavedFlags, sameFlags } from '../../shared/flags'
import { errorMessage } from '../data/errors'
import type { FlagsState } from '../data/flagSession'
import type { LoadedDataset } from '../data/dataset'
import type { AppState } from './appState'

/** The part of the app state the flag queue reads and changes. */
export type FlagsSlice = Pick<
  AppState,
  'dataset' | 'flags' | 'flagsError' | 'filter' | 'dataVersion'
>

/** What the flag queue calls. */
export interface FlagQueueDeps {
  /** The app state now. */
  readonly getState: () => FlagsSlice
  /** Changes the app state. */
  readonly set: (patch: Partial<FlagsSlice>) => void
  /** The flags with `row` flagged with `note`, or unflagged when null (`withFlag` on the engine). */
  readonly withFlag: (
    dataset: LoadedDataset,
    flags: FlagsState,
    row: number,
    note: string | null,
  ) => Promise<FlagsState>
  /**
   * Writes a dataset's whole flags document; resolves to the document saved (merged with another
   * window's changes, if any) and where (`Host.saveFlags`).
   */
  readonly save: (datasetPath: string, document: FlagsDocument) => Promise<SavedFlags>
  /** A saved document placed on the dataset's rows as they are now (`placeFlags` on the engine). */
  readonly place: (
    dataset: LoadedDataset,
    document: FlagsDocument,
    location: string,
  ) => Promise<FlagsState>
  /** Mirrors the flags placed on rows in the engine's flags table (`syncFlagsTable`). */
  readonly syncTable: (dataset: LoadedDataset, placed: readonly RowFlag[]) => Promise<void>
}

/** Shown when a change is refused because the saved flags could not be read. */
const READ_ONLY = 'The flags of this file cannot be changed.'

/** The open dataset's flag changes, in order. */
export class FlagQueue {
  /** The change running or last queued; the next one starts after it. */
  private queue: Promise<void> = Promise.resolve()
  /** The open dataset's flags being read; changes wait for it. */
  private loading: Promise<void> = Promise.resolve()

  constructor(private readonly deps: FlagQueueDeps) {}

  /** Reads the flags saved for a newly opened dataset (with `read`) and shows them. */
  load(dataset: LoadedDataset, read: () => Promise<FlagsState>): Promise<void> {
    const loading = (async () => {
      try {
        const flags = await read()
        if (this.deps.getState().dataset === dataset) this.deps.set({ flags })
      } catch (error) {
        this.report(dataset, `The flags of ${dataset.source.name} could not be read`, error)
      }
    })()
    this.loading = loading
    return loading
  }

  /**
   * Reads the open dataset's flags again (with `read`) after another window saved them, once the
   * changes queued here are saved, and shows them.
   */
  reload(dataset: LoadedDataset, read: () => Promise<FlagsState>): Promise<void> {
    return this.enqueue(async () => {
      await this.loading
      const { dataset: open, flags: before, flagsError } = this.deps.getState()
      if (open !== dataset || !before || before.readOnly) return
      // The last save failed: this window holds a change the saved flags lack. Reading them now
      // would drop it; the next save merges the other window's flags in instead.
      if (flagsError !== null) return
      try {
        const flags = await read()
        if (this.deps.getState().dataset !== dataset) return
        this.deps.set({ flags })
        this.askViewsAgain(before, flags)
      } catch (error) {
        this.report(dataset, `The flags of ${dataset.source.name} could not be read`, error)
      }
    })
  }

  /** Flags a row with a note, or with null unflags it. */
  setFlag(row: number, note: string | null): Promise<void> {
    return this.change(row, () => note)
  }

  /**
   * Flags the row if it is not flagged, unflags it if it is (its note goes with it). Decided when
   * the change runs, so two quick presses cancel out.
   */
  toggleFlag(row: number): Promise<void> {
    return this.change(row, (flags) => (flags.byRow.has(row) ? null : ''))
  }

  /**
   * Removes the flags that match no row any more (their rows were edited or removed), after the
   * person has read about them; the flags on rows stay.
   */
  forgetOrphaned(): Promise<void> {
    return this.enqueue(async () => {
      await this.loading
      const { dataset, flags } = this.deps.getState()
      if (!dataset || !flags || flags.readOnly) return
      const placed = new Set(flags.byRow.values())
      const document = {
        ...flags.document,
        flags: flags.document.flags.filter((f) => placed.has(f)),
      }
      const next: FlagsState = { ...flags, document, notice: null }
      this.deps.set({ flags: next })
      await this.saveAndReport(dataset, next, 'The flags could not be saved')
    })
  }

  /**
   * Changes a row's flag to the note `decide` gives for the flags as they are when the change runs
   * (null: no flag). Every flag is saved at once; changes run in order, and a change that cannot be
   * saved stays in the window and the message says so.
   */
  private change(row: number, decide: (flags: FlagsState) => string | null): Promise<void> {
    return this.enqueue(async () => {
      await this.loading
      const { dataset, flags } = this.deps.getState()
      if (!dataset || !flags) return
      if (flags.readOnly) {
        this.deps.set({ flagsError: flags.notice ?? READ_ONLY })
        return
      }
      const wanted = decide(flags)
      const open = () => this.deps.getState().dataset === dataset
      let next: FlagsState
      try {
        next = await this.deps.withFlag(dataset, flags, row, wanted)
      } catch (error) {
        this.report(dataset, 'The flag could not be changed', error)
        return
      }
      if (!open()) return
      this.deps.set({ flags: next })
      // Saved first, so a crash right after a change loses nothing; then the filter's table follows.
      await this.saveAndReport(
        dataset,
        next,
        'The flags could not be saved (they are kept in this window until the next change saves)',
      )
      if (!open()) return
      // What was saved: this change, and another window's merged in if it saved meanwhile.
      const shown = this.deps.getState().flags ?? next
      try {
        await this.deps.syncTable(dataset, [...shown.byRow.values()])
      } catch (error) {
        this.report(dataset, 'The flagged-rows filter could not be updated', error)
      }
      if (open()) this.askViewsAgain(flags, shown)
    })
  }

  /**
   * Makes views ask again when the flagged rows changed and the filter reads them. A note changes
   * no row the filter shows: only a flag set or taken off does.
   */
  private askViewsAgain(before: FlagsState, after: FlagsState): void {
    const rowsChanged =
      before.byRow.size !== after.byRow.size ||
      [...after.byRow.keys()].some((row) => !before.byRow.has(row))
    const state = this.deps.getState()
    if (rowsChanged && state.filter.flagged !== null) {
      this.deps.set({ dataVersion: state.dataVersion + 1 })
    }
  }

  /**
   * Saves the flags the window shows and says how it went: where they are kept (when no later
   * change has replaced them meanwhile), or `failure` and why.
   */
  private async saveAndReport(
    dataset: LoadedDataset,
    next: FlagsState,
    failure: string,
  ): Promise<void> {
    try {
      const saved = await this.deps.save(dataset.source.path, next.document)
      if (this.deps.getState().flags !== next) return
      if (sameFlags(saved.document, next.document)) {
        this.deps.set({ flags: { ...next, location: saved.location }, flagsError: null })
        return
      }
      // Another window saved flags meanwhile; the Host merged them in: show them on their rows.
      const merged = await this.deps.place(dataset, saved.document, saved.location)
      if (this.deps.getState().flags === next) this.deps.set({ flags: merged, flagsError: null })
    } catch (error) {
      this.report(dataset, failure, error)
    }
  }

  /** Shows `failure` and the error's message, unless the dataset has been closed meanwhile. */
  private report(dataset: LoadedDataset, failure: string, error: unknown): void {
    if (this.deps.getState().dataset === dataset) {
      this.deps.set({ flagsError: `${failure}: ${errorMessage(error)}` })
    }
  }

  /** Runs `run` after every change queued before it. */
  private enqueue(run: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(run)
    return this.queue
  }
}
