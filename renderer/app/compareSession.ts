/**
 * The comparison with a second file: opening it beside the open dataset (its own profile, its own
 * relations), choosing the key, building the pairs, closing it. A second file that fails to open
 * leaves the first as it was, with the reason shown in the compare bar.
 */
import type { DatasetSource } from '../../shared/host'
import type { Profile } from '../../shared/profile'
import { buildCompare, clearCompare } from '../data/compare/build'
import { type CompareKey, type CompareSide, detectKey, keySql } from '../data/compare/key'
import type { LoadedDataset } from '../data/dataset'
import type { Engine } from '../data/engine'
import { errorMessage } from '../data/errors'
import { fieldExtent } from '../data/explore'
import { UNIT_COLUMNS as U } from '../data/profile/units'
import type { Decoder } from '../data/ingest/decoder'
import { LoadCancelled, closeDataset, loadDataset } from '../data/load'
import { changeProfile, openProfile } from '../data/profile/session'
import { quoteIdent } from '../../shared/sql'
import type { AppState, CompareState } from './appState'

/** The part of the app state the comparison reads and changes. */
export type CompareSlice = Pick<AppState, 'dataset' | 'profile' | 'compare' | 'filter'>

export interface CompareDeps {
  readonly getState: () => CompareSlice
  readonly set: (patch: Partial<CompareSlice>) => void
  readonly engine: () => Promise<Engine>
  readonly decoder: () => Decoder
  readonly readBytes: (fileId: string, start: number, end: number) => Promise<Uint8Array>
  /** The roles saved for a file (the Host's `loadProfile`), so B opens with its own. */
  readonly loadProfile: (datasetPath: string) => Promise<Profile | null>
  /** Keeps B's roles for its file (the Host's `saveProfile`; null forgets them). */
  readonly saveProfile: (datasetPath: string, profile: Profile | null) => Promise<void>
  /** Tells every view that tables they read changed under the same filter. */
  readonly changed: () => void
}

/** The threshold a reward passes at: 0.5 for rewards in [0, 1], else 0 (a sign). */
export function defaultThreshold(min: number | null, max: number | null): number {
  return min !== null && max !== null && min >= 0 && max <= 1 ? 0.5 : 0
}

/** The comparison of the open dataset with a second file. */
export class CompareSession {
  private abort: AbortController | null = null
  /** Bumped by every open, key change and close: a step that is no longer current drops its answer. */
  private generation = 0

  constructor(private readonly deps: CompareDeps) {}

  private update(patch: Partial<CompareState>): void {
    const current = this.deps.getState().compare
    if (current) this.deps.set({ compare: { ...current, ...patch } })
  }

  /** The open dataset's side, or null when none is open with its roles. */
  private sideA(): CompareSide | null {
    const { dataset, profile } = this.deps.getState()
    return dataset && profile
      ? { dataset, profile: profile.profile, relations: profile.relations }
      : null
  }

  private sideB(): CompareSide | null {
    const b = this.deps.getState().compare?.b
    return b
      ? { dataset: b.dataset, profile: b.profile.profile, relations: b.profile.relations }
      : null
  }

  /** Opens `source` beside the open dataset and compares them on the key detection chooses. */
  async open(source: DatasetSource): Promise<void> {
    const a = this.sideA()
    if (!a) return
    await this.close()
    const generation = ++this.generation
    const abort = new AbortController()
    this.abort = abort
    this.deps.set({
      compare: {
        source,
        loading: { phase: 'Opening', fraction: 0, rows: 0 },
        b: null,
        choice: null,
        build: null,
        building: false,
        threshold: 0.5,
        error: null,
      },
    })
    const engine = await this.deps.engine()
    let dataset: LoadedDataset | null = null
    try {
      dataset = await loadDataset(source, {
        engine,
        decoder: this.deps.decoder(),
        readBytes: this.deps.readBytes,
        signal: abort.signal,
        onProgress: (progress) => {
          if (generation === this.generation) this.update({ loading: progress })
        },
      })
      const saved = await this.deps.loadProfile(source.path).catch(() => null)
      const profile = await openProfile(engine, dataset, saved)
      if (generation !== this.generation) {
        await closeDataset(engine, dataset)
        return
      }
      this.update({ loading: null, b: { dataset, profile } })
      const b = this.sideB()!
      const choice = await detectKey(engine, a, b)
      const rewards = await fieldExtent(engine, a.relations, [U.reward])
      const threshold = defaultThreshold(rewards.min, rewards.max)
      if (generation !== this.generation) return
      this.update({ choice, threshold })
      if (choice.key) await this.build(choice.key, generation)
    } catch (error) {
      if (generation !== this.generation) return
      if (dataset) await closeDataset(engine, dataset).catch(() => undefined)
      if (error instanceof LoadCancelled) this.deps.set({ compare: null })
      else
        this.update({
          loading: null,
          b: null,
          error: `${source.name} could not be compared: ${errorMessage(error)}`,
        })
    } finally {
      if (this.abort === abort) this.abort = null
    }
  }

  /**
   * Applies roles to B (its units rebuilt, the choice kept for its file like A's) and pairs the
   * files again: on the key in use when B still has what it needs, else on the one detected.
   */
  async setRolesB(profile: Profile): Promise<void> {
    const compare = this.deps.getState().compare
    const a = this.sideA()
    if (!compare?.b || !a) return
    const generation = ++this.generation
    const engine = await this.deps.engine()
    try {
      const next = await changeProfile(engine, compare.b.dataset, compare.b.profile, profile)
      if (generation !== this.generation) return
      this.update({ b: { dataset: compare.b.dataset, profile: next }, error: null })
      const toSave = next.origin === 'detected' ? null : profile
      await this.deps.saveProfile(compare.source.path, toSave).catch((error: unknown) => {
        this.update({ error: `B's roles apply but could not be saved: ${errorMessage(error)}` })
      })
      // A label or the family changes no unit: the pairs stand (a keystroke must not rebuild them).
      if (next.relations === compare.b.profile.relations) return
      const b = this.sideB()!
      const key = compare.build?.key ?? null
      const keeps = key !== null && (key.kind === 'fields' || keySql(key, b.profile, 'b') !== null)
      if (keeps) {
        await this.build(key, generation)
        return
      }
      const choice = await detectKey(engine, a, b)
      if (generation !== this.generation) return
      this.update({ choice, build: null })
      if (choice.key) await this.build(choice.key, generation)
    } catch (error) {
      if (generation === this.generation) {
        this.update({ error: `B's roles could not be applied: ${errorMessage(error)}` })
      }
    }
  }

  /** Rebuilds the pairs on another key. */
  async setKey(key: CompareKey): Promise<void> {
    await this.build(key, ++this.generation)
  }

  /** Builds the pairs again on the key in use (A's units were rebuilt under a new profile). */
  async rebuild(): Promise<void> {
    const key = this.deps.getState().compare?.build?.key
    if (key) await this.build(key, ++this.generation)
  }

  private async build(key: CompareKey, generation: number): Promise<void> {
    const [a, b] = [this.sideA(), this.sideB()]
    if (!a || !b) return
    this.update({ building: true, error: null })
    try {
      const build = await buildCompare(await this.deps.engine(), a, b, key)
      if (generation !== this.generation) return
      this.update({ build, building: false })
    } catch (error) {
      if (generation !== this.generation) return
      this.update({ building: false, error: errorMessage(error) })
    }
    this.deps.changed()
  }

  /** Sets the reward a pass needs (the flips' threshold), in the filter too when it shows flips. */
  setThreshold(threshold: number): void {
    this.update({ threshold })
    const { filter } = this.deps.getState()
    if (filter.compare)
      this.deps.set({ filter: { ...filter, compare: { ...filter.compare, threshold } } })
  }

  /** Stops comparing: B is closed, A's compare columns emptied, the compare filter dropped. */
  async close(): Promise<void> {
    const compare = this.deps.getState().compare
    if (!compare) return
    ++this.generation
    this.abort?.abort()
    this.abort = null
    const a = this.sideA()
    const { filter } = this.deps.getState()
    this.deps.set({
      compare: null,
      ...(filter.compare ? { filter: { ...filter, compare: null } } : {}),
    })
    const engine = await this.deps.engine()
    if (compare.b) await closeDataset(engine, compare.b.dataset).catch(() => undefined)
    if (a) {
      await engine
        .exec(`DROP TABLE IF EXISTS ${quoteIdent(a.relations.compare)}`)
        .catch(() => undefined)
      await clearCompare(engine, a).catch(() => undefined)
    }
    this.deps.changed()
  }

  /** Forgets the comparison without touching A (A itself is being closed or replaced). */
  async dropWithDataset(): Promise<void> {
    const compare = this.deps.getState().compare
    ++this.generation
    this.abort?.abort()
    this.abort = null
    if (compare?.b)
      await closeDataset(await this.deps.engine(), compare.b.dataset).catch(() => undefined)
  }
}
