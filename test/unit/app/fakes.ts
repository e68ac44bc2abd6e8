/** Small in-memory stand-ins for what the store's controllers call, and a way to hold a call. */
import type { AppState } from '../../../renderer/app/appState'
import { INITIAL_STATE } from '../../../renderer/app/appState'
import type { LoadedDataset } from '../../../renderer/data/dataset'

/** A promise with its resolve and reject at hand, to hold a fake call until the test lets go. */
export interface Deferred<T> {
  readonly promise: Promise<T>
  readonly resolve: (value: T) => void
  readonly reject: (error: unknown) => void
}

/** A promise settled by hand. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets every queued promise callback run (the fakes resolve within a few turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve()
}

/** A loaded dataset as the store holds it; only its identity, name, path and table matter here. */
export function fakeDataset(name: string): LoadedDataset {
  return {
    source: { name, path: `/data/${name}`, isFolder: false, files: [] },
    format: 'jsonl',
    table: `t_${name.replace(/\W/g, '_')}`,
    rowCount: 10,
    columns: [],
    jsonFields: [],
    skipped: [],
    skippedCount: 0,
    loadMs: 0,
    engineBytes: 0,
    engineName: 'fake',
  }
}

/** The app state in a box: what a controller reads with `getState` and changes with `set`. */
export class FakeState {
  state: AppState
  /** Every patch applied, in order. */
  readonly patches: Partial<AppState>[] = []

  constructor(patch: Partial<AppState> = {}) {
    this.state = { ...INITIAL_STATE, ...patch }
  }

  readonly getState = (): AppState => this.state

  readonly set = (patch: Partial<AppState>): void => {
    this.patches.push(patch)
    this.state = { ...this.state, ...patch }
  }
}
