/**
 * The checks queue: reward-check runs, one at a time, each shown only while its profile is the
 * open one.
 *
 * It runs the checks only through `ChecksQueueDeps.check` (the store gives `buildQa` on the engine,
 * unit tests a fake), and reads and changes the app state through the same deps.
 */
import type { Profile } from '../../shared/profile'
import { errorMessage } from '../data/errors'
import type { LoadedDataset } from '../data/dataset'
import type { ProfileState } from '../data/profile/session'
import type { ParseProgress } from '../data/parse/facts'
import type { QaSummary } from '../data/qa'
import type { AppState } from './appState'

/** The part of the app state the checks queue reads and changes. */
export type ChecksSlice = Pick<
  AppState,
  'dataset' | 'profile' | 'qa' | 'qaError' | 'qaParsing' | 'filter' | 'dataVersion'
>

/** What the checks queue calls. */
export interface ChecksQueueDeps {
  /** The app state now. */
  readonly getState: () => ChecksSlice
  /** Changes the app state. */
  readonly set: (patch: Partial<ChecksSlice>) => void
  /** Runs the reward checks over a profile's units, rebuilding the findings (`buildQa`). */
  readonly check: (dataset: LoadedDataset, profile: Profile) => Promise<QaSummary>
  /**
   * Parses the answers and runs the checks on parse trees (`buildParseFacts`, then `buildQa`
   * with the facts), reporting progress; answers null when `current` turned false on the way.
   */
  readonly parse?: (
    dataset: LoadedDataset,
    profile: Profile,
    onProgress: (progress: ParseProgress) => void,
    current: () => boolean,
  ) => Promise<QaSummary | null>
  /**
   * Finds the near-duplicates and rebuilds the checks reading them (`NearDupSession.find`);
   * answers null when `current` turned false on the way or they could not be found.
   */
  readonly nearDup?: (
    dataset: LoadedDataset,
    profile: ProfileState,
    current: () => boolean,
  ) => Promise<QaSummary | null>
}

/** The reward-check runs of the open dataset, in order. */
export class ChecksQueue {
  /** The run going on or last queued; the next one starts after it. */
  private queue: Promise<void> = Promise.resolve()
  /** Stops the parsing going on, if any. */
  private stopParsing: (() => void) | null = null

  constructor(private readonly deps: ChecksQueueDeps) {}

  /**
   * Runs the checks for a profile of a dataset once the runs before it are done (every run
   * rebuilds the same work tables). The panel shows none meanwhile. A run whose profile has been
   * replaced before it starts is skipped, and one replaced while it runs is not shown.
   */
  run(dataset: LoadedDataset, profile: ProfileState): Promise<void> {
    this.deps.set({ qa: null, qaError: null, qaParsing: null })
    this.queue = this.queue.then(() => this.checkAndReport(dataset, profile))
    return this.queue
  }

  /**
   * Stops parsing the answers (the facts parsed so far are kept, and not parsed again); the
   * checks already shown stay, and the panel says the checks on parse trees did not run.
   */
  cancelParse(): void {
    this.stopParsing?.()
  }

  /** Runs the checks and shows what they found, or why they could not run, if still current. */
  private async checkAndReport(dataset: LoadedDataset, profile: ProfileState): Promise<void> {
    const current = () => {
      const state = this.deps.getState()
      return state.dataset === dataset && state.profile === profile
    }
    if (!current()) return
    try {
      const qa = await this.deps.check(dataset, profile.profile)
      if (!current()) return
      // A filter by rules read the findings table just rebuilt: its views ask again.
      const { filter, dataVersion } = this.deps.getState()
      const stale = filter.rules.length > 0 ? 1 : 0
      this.deps.set({ qa, qaError: null, dataVersion: dataVersion + stale })
    } catch (error) {
      if (current())
        this.deps.set({ qaError: `The reward checks could not run: ${errorMessage(error)}` })
      return
    }
    if (this.deps.nearDup) {
      const qa = await this.deps.nearDup(dataset, profile, current)
      // The findings table changed under the same filter: every view reading it asks again.
      if (qa && current()) {
        this.deps.set({ qa, dataVersion: this.deps.getState().dataVersion + 1 })
      }
    }
    await this.parseAndReport(dataset, profile, current)
  }

  /**
   * Parses the answers behind the views, showing progress, then shows the checks again with the
   * rules on parse trees. The checks already shown stay while it runs; a failure says so and
   * keeps them.
   */
  private async parseAndReport(
    dataset: LoadedDataset,
    profile: ProfileState,
    current: () => boolean,
  ): Promise<void> {
    const { parse } = this.deps
    if (!parse) return
    let stopped = false
    this.stopParsing = () => {
      stopped = true
      this.stopParsing = null
      const progress = this.deps.getState().qaParsing
      if (current())
        this.deps.set({ qaParsing: { done: 0, total: 0, ...progress, cancelled: true } })
    }
    const going = () => !stopped && current()
    try {
      this.deps.set({ qaParsing: { done: 0, total: 0 } })
      const qa = await parse(
        dataset,
        profile.profile,
        (progress) => {
          if (going()) this.deps.set({ qaParsing: progress })
        },
        going,
      )
      if (!qa || !going()) return
      // The findings table changed under the same filter: every view reading it asks again.
      this.deps.set({ qa, qaParsing: null, dataVersion: this.deps.getState().dataVersion + 1 })
    } catch (error) {
      if (going()) {
        this.deps.set({
          qaParsing: null,
          qaError: `The checks on parse trees could not run: ${errorMessage(error)}`,
        })
      }
    } finally {
      if (!stopped) this.stopParsing = null
    }
  }
}
