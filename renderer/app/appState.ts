/** The app state the views show, and the values it starts from. */
import type { DatasetSource } from '../../shared/host'
import type { FlagsState } from '../data/flagSession'
import type { LoadedDataset } from '../data/dataset'
import type { LoadProgress } from '../data/load'
import type { RowOrder } from '../data/rows'
import type { ProfileState } from '../data/profile/session'
import type { ParseProgress } from '../data/parse/facts'
import type { QaSummary } from '../data/qa'
import type { Filter } from '../data/filter'
import type { SplitInfo } from '../data/ingest/splits'
import type { CompareBuild } from '../data/compare/build'
import type { KeyChoice } from '../data/compare/key'
import type { NearDupProgress, NearDupSummary } from '../data/neardup/build'
import { FRESH_FILTER, type FilterHistory } from './filterHistory'

/** A load under way. */
export interface LoadingState {
  readonly source: DatasetSource
  readonly progress: LoadProgress
}

/** A folder of Hugging Face splits waiting for the person to pick what to open. */
export interface SplitChoice {
  readonly source: DatasetSource
  readonly splits: readonly SplitInfo[]
}

/** A comparison with a second file, as the views show it. */
export interface CompareState {
  /** The second file. */
  readonly source: DatasetSource
  /** How far its load has come; null once loaded. */
  readonly loading: LoadProgress | null
  /** The second file, loaded, with its own roles; null while loading. */
  readonly b: { readonly dataset: LoadedDataset; readonly profile: ProfileState } | null
  /** What detection chose, and what else could be chosen. */
  readonly choice: KeyChoice | null
  /** The pairs as built for the key in use; null while building or when there is no key. */
  readonly build: CompareBuild | null
  /** True while the pairs are being built. */
  readonly building: boolean
  /** The reward a pass needs, for counting flips. */
  readonly threshold: number
  /** Why the last step failed (the second file could not be opened, a key cannot join). */
  readonly error: string | null
}

/** Near-duplicates of the open dataset (renderer/data/neardup/), as the views show them. */
export interface NearDupState {
  /** The Jaccard similarity two texts need. */
  readonly threshold: number
  /** How far signing the texts has come; null when not signing. */
  readonly progress: NearDupProgress | null
  /** The groups found at `threshold`; null until found. */
  readonly summary: NearDupSummary | null
  /** The reference set rows are matched against; null when none was chosen. */
  readonly reference: ReferenceState | null
  /** Why the last step failed. */
  readonly error: string | null
}

/** A reference set (a benchmark, a test split) the open dataset's rows are matched against. */
export interface ReferenceState {
  readonly name: string
  /** How far its load has come; null once loaded. */
  readonly loading: LoadProgress | null
  /** Its rows, once loaded. */
  readonly rows: number | null
  /** True once the dataset's rows are matched against it at the threshold. */
  readonly matched: boolean
}

/** Everything the views show. */
export interface AppState {
  readonly dataset: LoadedDataset | null
  readonly loading: LoadingState | null
  /** A folder of splits asking which to open; the dataset open before stays open meanwhile. */
  readonly splitChoice: SplitChoice | null
  /** Why the last open failed, shown in the window until the next open or dismissal. */
  readonly error: string | null
  /** The selected row's identity (engine rowid), or null. */
  readonly selectedRow: number | null
  /**
   * The last request to move the selection through the table's order from outside the table (the
   * detail pane's j / k); `seq` tells two equal requests apart.
   */
  readonly rowStep: { readonly delta: number; readonly seq: number } | null
  /** How the table is sorted; null means file order. */
  readonly sort: RowOrder | null
  /** The open dataset's profile: its roles and the units view built from them. */
  readonly profile: ProfileState | null
  /** Why the last profile change could not be applied, shown in the profile editor. */
  readonly profileError: string | null
  /** Which units are shown; every view derives its query from it. */
  readonly filter: Filter
  /** Earlier filters, for undo, and undone ones, for redo. */
  readonly filterHistory: FilterHistory
  /** The open dataset's flags and notes; null until read. */
  readonly flags: FlagsState | null
  /** Why the last change to a flag could not be saved; cleared by the next save that works. */
  readonly flagsError: string | null
  /** What the reward checks found under the current profile; null while they run. */
  readonly qa: QaSummary | null
  /** Why the reward checks could not run. */
  readonly qaError: string | null
  /** How far parsing the answers has come (checks on parse trees follow); null when not parsing. */
  readonly qaParsing: ParseProgress | null
  /**
   * Bumped whenever engine tables the filter reads change under the same filter (the flagged rows),
   * so every view keyed by it queries again.
   */
  readonly dataVersion: number
  /** A second file compared with the open one; null when not comparing. */
  readonly compare: CompareState | null
  /** Near-duplicates found in the open dataset; null until they are looked for. */
  readonly nearDup: NearDupState | null
}

/**
 * The part of the state that belongs to the open dataset. Everything else outlives it: the load in
 * progress, the last error (open and close each decide) and `dataVersion` (it only ever grows, so
 * a view's query key never repeats).
 */
export type DatasetState = Omit<AppState, 'loading' | 'error' | 'dataVersion' | 'splitChoice'>

/**
 * The state of "no dataset open". Opening a dataset starts from it (with the dataset in place) and
 * closing one returns to it, so both forget the same things.
 */
export const NO_DATASET: DatasetState = {
  dataset: null,
  selectedRow: null,
  rowStep: null,
  sort: null,
  profile: null,
  profileError: null,
  ...FRESH_FILTER,
  flags: null,
  flagsError: null,
  qa: null,
  qaError: null,
  qaParsing: null,
  compare: null,
  nearDup: null,
}

/** The state the app starts in. */
export const INITIAL_STATE: AppState = {
  ...NO_DATASET,
  loading: null,
  splitChoice: null,
  error: null,
  dataVersion: 0,
}
