/**
 * Near-duplicates of the open dataset: found behind the views after the first checks (signing
 * every distinct prompt and answer in the near-duplicate worker, with progress), grouped again
 * when the person changes the threshold (the signatures are kept, so only the grouping runs), and
 * matched against a reference set the person chooses. Each step rebuilds the checks that read
 * near-duplicates and tells every view the tables they read changed.
 */
import type { DatasetSource } from '../../shared/host'
import type { Profile } from '../../shared/profile'
import type { LoadedDataset } from '../data/dataset'
import type { Engine } from '../data/engine'
import { errorMessage } from '../data/errors'
import type { Decoder } from '../data/ingest/decoder'
import { LoadCancelled, closeDataset, loadDataset } from '../data/load'
import {
  DEFAULT_THRESHOLD,
  type NearDupSignatures,
  signDataset,
  writeNearDuplicates,
} from '../data/neardup/build'
import { type NearDupKind, SIGNATURE_SIZE, similarity } from '../data/neardup/core'
import { clearReference, matchReference } from '../data/neardup/reference'
import type { NearDupService } from '../data/neardup/service'
import { openProfile } from '../data/profile/session'
import { nearDupWork, relationNames } from '../data/relations'
import { quoteIdent } from '../../shared/sql'
import type { ProfileState } from '../data/profile/session'
import type { QaSummary } from '../data/qa'
import type { AppState, NearDupState } from './appState'

/** The part of the app state near-duplicates read and change. */
export type NearDupSlice = Pick<AppState, 'dataset' | 'profile' | 'nearDup' | 'qa'>

export interface NearDupDeps {
  readonly getState: () => NearDupSlice
  readonly set: (patch: Partial<NearDupSlice>) => void
  readonly engine: () => Promise<Engine>
  readonly service: NearDupService
  readonly decoder: () => Decoder
  readonly readBytes: (fileId: string, start: number, end: number) => Promise<Uint8Array>
  /** The roles saved for a file (the Host's `loadProfile`), so a reference opens with its own. */
  readonly loadProfile: (datasetPath: string) => Promise<Profile | null>
  /** Rebuilds the checks reading near-duplicates (`buildQa` with `nearDupOnly`). */
  readonly recheck: (
    dataset: LoadedDataset,
    profile: Profile,
    nearDup: { readonly reference: boolean },
  ) => Promise<QaSummary>
  /** Tells every view that tables they read changed under the same filter. */
  readonly changed: () => void
}

/** The open dataset's near-duplicates. */
export class NearDupSession {
  /** The signatures of the dataset and profile they were made for. */
  private signed: {
    readonly dataset: LoadedDataset
    readonly profile: ProfileState
    readonly value: NearDupSignatures
  } | null = null
  /** Bumped by every step the person starts: a step no longer current drops its answer. */
  private generation = 0
  /** Steps run one after another: each rewrites the same tables. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly deps: NearDupDeps) {}

  private update(patch: Partial<NearDupState>): void {
    const current = this.deps.getState().nearDup
    if (current) this.deps.set({ nearDup: { ...current, ...patch } })
  }

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }

  /**
   * Finds the near-duplicates of a dataset under a profile, with progress; answers the checks
   * rebuilt with them, or null when the dataset or profile was replaced on the way (`current`).
   */
  find(
    dataset: LoadedDataset,
    profile: ProfileState,
    current: () => boolean,
  ): Promise<QaSummary | null> {
    return this.enqueue(async () => {
      if (!current()) return null
      const previous = this.deps.getState().nearDup
      const threshold = previous?.threshold ?? DEFAULT_THRESHOLD
      // The same units as before (the checks ran again after a test re-run): signed already.
      const same = this.signed?.dataset === dataset && this.signed.profile === profile
      if (!same) this.reference = null
      this.deps.set({
        nearDup: {
          threshold,
          progress: same ? null : { done: 0, total: 0 },
          summary: same ? (previous?.summary ?? null) : null,
          reference: same ? (previous?.reference ?? null) : null,
          error: null,
        },
      })
      const engine = await this.deps.engine()
      try {
        const value = same
          ? this.signed!.value
          : await signDataset(engine, dataset, profile.profile, this.deps.service, {
              onProgress: (progress) => {
                if (current()) this.update({ progress })
              },
              current,
            })
        if (!value || !current()) return null
        this.signed = { dataset, profile, value }
        if (!same) await clearReference(engine, dataset.table)
        const summary = await writeNearDuplicates(
          engine,
          dataset,
          value,
          this.deps.service,
          threshold,
        )
        if (!current()) return null
        const reference = this.reference !== null
        const qa = await this.deps.recheck(dataset, profile.profile, { reference })
        if (!current()) return null
        this.update({ progress: null, summary })
        return qa
      } catch (error) {
        if (current()) {
          this.update({
            progress: null,
            error: `Near-duplicates could not be found: ${errorMessage(error)}`,
          })
        }
        return null
      } finally {
        await this.dropIfClosed(engine, dataset)
      }
    })
  }

  /**
   * Drops the near-duplicate tables of a dataset closed while a step ran (closing dropped them
   * already, and the step may have written them again after).
   */
  private async dropIfClosed(engine: Engine, dataset: LoadedDataset): Promise<void> {
    if (this.deps.getState().dataset === dataset) return
    const names = relationNames(dataset.table)
    const tables = [
      names.nearDup,
      ...(['prompt', 'code'] as const).flatMap((kind) =>
        Object.values(nearDupWork(dataset.table, kind)),
      ),
    ]
    for (const name of new Set(tables)) {
      await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}`, 'later').catch(() => undefined)
    }
  }

  /** Groups the texts again at another threshold (and matches the reference set again, if any). */
  setThreshold(threshold: number): Promise<void> {
    const state = this.deps.getState().nearDup
    if (!state || !this.signed || threshold === state.threshold) return Promise.resolve()
    this.update({ threshold })
    const generation = ++this.generation
    return this.regroup(generation, null)
  }

  /** Opens a reference set and marks the rows that match one of its rows. */
  chooseReference(source: DatasetSource): Promise<void> {
    const signed = this.signed
    if (!signed || !this.deps.getState().nearDup) return Promise.resolve()
    const generation = ++this.generation
    this.update({
      reference: {
        name: source.name,
        loading: { phase: 'Opening', fraction: 0, rows: 0 },
        rows: null,
        matched: false,
      },
      error: null,
    })
    return this.regroup(generation, source)
  }

  /** Forgets the reference set: no row is marked as contaminated any more. */
  clearReference(): Promise<void> {
    if (!this.deps.getState().nearDup?.reference) return Promise.resolve()
    const generation = ++this.generation
    this.update({ reference: null })
    this.reference = null
    return this.regroup(generation, null)
  }

  /** The reference set last opened, kept to match again at a new threshold. */
  private reference: DatasetSource | null = null

  /**
   * Matches the reference set (a new one when `source` is given) and writes the groups again at
   * the threshold in the state, then rebuilds the checks reading them.
   */
  private regroup(generation: number, source: DatasetSource | null): Promise<void> {
    return this.enqueue(async () => {
      const signed = this.signed
      const state = this.deps.getState()
      const current = () =>
        generation === this.generation &&
        this.deps.getState().dataset === signed?.dataset &&
        this.deps.getState().profile === signed?.profile
      if (!signed || !state.nearDup || !current()) return
      const { dataset, profile } = signed
      const threshold = state.nearDup.threshold
      const engine = await this.deps.engine()
      if (source) this.reference = source
      try {
        if (this.reference) {
          const matched = await this.match(engine, this.reference, threshold, current)
          if (!matched) return
        } else {
          await clearReference(engine, dataset.table)
        }
        const summary = await writeNearDuplicates(
          engine,
          dataset,
          signed.value,
          this.deps.service,
          threshold,
        )
        if (!current()) return
        const reference = this.reference !== null
        const qa = await this.deps.recheck(dataset, profile.profile, { reference })
        if (!current()) return
        this.update({ summary, progress: null })
        this.deps.set({ qa })
        this.deps.changed()
      } catch (error) {
        if (!current()) return
        if (error instanceof LoadCancelled) this.update({ reference: null })
        else {
          const what = source
            ? `${source.name} could not be used as the reference set`
            : 'Near-duplicates could not be grouped again'
          this.update({ error: `${what}: ${errorMessage(error)}`, progress: null })
          if (source) {
            this.reference = null
            this.update({ reference: null })
          }
        }
      } finally {
        await this.dropIfClosed(engine, dataset)
      }
    })
  }

  /** Opens the reference set, matches the dataset's texts against it, and closes it again. */
  private async match(
    engine: Engine,
    source: DatasetSource,
    threshold: number,
    current: () => boolean,
  ): Promise<boolean> {
    const signed = this.signed!
    const reference = await loadDataset(source, {
      engine,
      decoder: this.deps.decoder(),
      readBytes: this.deps.readBytes,
      onProgress: (loading) => {
        const ref = this.deps.getState().nearDup?.reference
        if (current() && ref) this.update({ reference: { ...ref, loading } })
      },
    })
    try {
      const saved = await this.deps.loadProfile(source.path).catch(() => null)
      const profile = await openProfile(engine, reference, saved)
      const ref = this.deps.getState().nearDup?.reference
      if (ref) this.update({ reference: { ...ref, loading: null, rows: reference.rowCount } })
      const counts = await matchReference(
        engine,
        signed.dataset,
        signed.value,
        { dataset: reference, profile: profile.profile },
        this.deps.service,
        threshold,
        {
          current,
          onProgress: (progress) => {
            if (current()) this.update({ progress })
          },
        },
      )
      if (!counts || !current()) return false
      const after = this.deps.getState().nearDup?.reference
      if (after) this.update({ reference: { ...after, matched: true } })
      return true
    } finally {
      await closeDataset(engine, reference).catch(() => undefined)
    }
  }

  /**
   * The estimated Jaccard similarity of two texts of one kind of the open dataset (by their ids
   * in the near-duplicate table), or null when they are not signed.
   */
  similarity(kind: NearDupKind, a: number, b: number): number | null {
    const texts = this.signed?.value[kind]
    if (!texts || a < 0 || b < 0 || a >= texts.count || b >= texts.count) return null
    return similarity(texts.signatures, a * SIGNATURE_SIZE, texts.signatures, b * SIGNATURE_SIZE)
  }

  /** Forgets the signatures of a dataset that is closed or rebuilt under another profile. */
  forget(): void {
    this.generation++
    this.signed = null
    this.reference = null
  }
}
