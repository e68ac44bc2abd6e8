// Named with its extension: vite.config.ts loads this file (through scripts/demoData.ts), and
// Vite's config loader wants every runtime import there named in full.
import { type FlagsDocument, SIDECAR_SUFFIX, type SavedFlags } from './flags.ts'
import type { Profile } from './profile'
import { RERUN_SIDECAR_SUFFIX, type RerunDocument } from './rerun.ts'

/**
 * The Host contract: everything the renderer may ask of the world outside the page.
 *
 * Two implementations satisfy it: the Electron preload bridge (`electron/preload`) and the
 * browser Host (`renderer/host`). The renderer cannot tell them apart.
 */

/** The file formats RewardLens reads. */
export type DatasetFormat = 'jsonl' | 'json' | 'parquet' | 'csv'

/** How a dataset file may be compressed as a whole (`train.jsonl.gz`, `train.jsonl.zst`). */
export type Compression = 'gzip' | 'zstd'

/** One file the user chose; its bytes are read through `Host.readBytes`. */
export interface DatasetFile {
  /** Opaque handle issued by the Host; only files the user picked have one. */
  readonly id: string
  /** Base name, e.g. `train.jsonl`. */
  readonly name: string
  /** Where it lives, for display: a full path on the desktop, the name in the browser. */
  readonly path: string
  /** Size in bytes. */
  readonly size: number
  /**
   * The Hugging Face split it belongs to (`train`, `test`), set when the person opened a folder's
   * splits together: the loader then adds a `split` column saying which split each row came from.
   */
  readonly split?: string
}

/** What the user opened: one file, or a folder of shards read as one dataset. */
export interface DatasetSource {
  /** File or folder name, shown as the dataset's name. */
  readonly name: string
  /** Full path (desktop) or name (browser), used as the key for recent files and settings. */
  readonly path: string
  /** True when the user opened a folder. */
  readonly isFolder: boolean
  /** The files to read, in order. A single-file source has exactly one. */
  readonly files: readonly DatasetFile[]
}

/** The bytes of a source: the sum of its files. */
export function sourceBytes(source: DatasetSource): number {
  return source.files.reduce((sum, file) => sum + file.size, 0)
}

/** A dataset opened before, listed on the start screen and in File > Open Recent. */
export interface RecentDataset {
  readonly name: string
  readonly path: string
  readonly isFolder: boolean
  /** ISO time it was last opened. */
  readonly openedAt: string
}

/** The least the Host needs to know of a dropped file; DOM `File` objects satisfy it. */
export interface DroppedFile {
  readonly name: string
  readonly size: number
}

/** Commands from the application menu that the renderer carries out. */
export type MenuCommand = 'open-file' | 'open-folder' | 'close-dataset' | 'open-demo'

/** Light or dark: the system's, or the person's choice. */
export type ThemeChoice = 'system' | 'light' | 'dark'

/** True for one of the three theme choices. */
export function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark'
}

/** Where an export is being written; chunks are sent to it by id. */
export interface ExportTarget {
  /** Opaque handle issued by the Host for this export. */
  readonly id: string
  /** The file name the export gets (`train.rust.jsonl`). */
  readonly name: string
  /** Where it goes, for display: a full path on the desktop, the download name in the browser. */
  readonly path: string
}

/** A finished export. */
export interface ExportResult {
  /** The exported file's path (desktop) or download name (browser). */
  readonly path: string
  /** The provenance file written beside it (`<name>.meta.json`). */
  readonly metaPath: string
  /** Bytes written to the export itself. */
  readonly bytes: number
}

/** What happens when a request to open something fails before any byte is read. */
export class HostError extends Error {
  override readonly name = 'HostError'
}

/** Everything the renderer may ask of the world outside the page. */
export interface Host {
  /** Which shell this is; only used for wording ("Open File..." vs "Choose a file"). */
  readonly kind: 'desktop' | 'browser'

  /** Shows the OS file picker. Resolves to null when the user cancels. */
  pickFile(): Promise<DatasetSource | null>

  /** Shows the OS folder picker; the folder's dataset shards become one source. Null on cancel. */
  pickFolder(): Promise<DatasetSource | null>

  /** Turns files dropped on the window into a source (several files become one dataset). */
  openDropped(files: readonly DroppedFile[]): Promise<DatasetSource | null>

  /** Opens a dataset from the recent list again. Rejects with HostError when it is gone. */
  openRecent(path: string): Promise<DatasetSource>

  /** The bundled demo dataset. */
  openDemo(): Promise<DatasetSource>

  /** Reads bytes [start, end) of a file the user chose. */
  readBytes(fileId: string, start: number, end: number): Promise<Uint8Array>

  /** Datasets opened before, most recent first. */
  recentDatasets(): Promise<readonly RecentDataset[]>

  /** Records that a dataset was opened (for the recent list and the window title). */
  noteOpened(source: DatasetSource): Promise<void>

  /** The profile the person chose for a dataset before (keyed by `DatasetSource.path`), or null. */
  loadProfile(datasetPath: string): Promise<Profile | null>

  /** Remembers the profile chosen for a dataset; null forgets it (back to the detected one). */
  saveProfile(datasetPath: string, profile: Profile | null): Promise<void>

  /** The theme the person chose (`system` until they choose). */
  loadTheme(): Promise<ThemeChoice>

  /** Remembers the theme choice. */
  saveTheme(theme: ThemeChoice): Promise<void>

  /**
   * The flags and notes saved for a dataset (keyed by `DatasetSource.path`), or null when it has none.
   * Rejects with HostError when a sidecar exists but cannot be read; it is never overwritten then.
   */
  loadFlags(datasetPath: string): Promise<SavedFlags | null>

  /**
   * Saves every flag of a dataset, atomically: a crash mid-write leaves the previous file whole.
   * Desktop: `<file>.rewardlens.json` beside the data, or the app's data folder when that is not
   * writable. When the saved flags changed since this window last read or wrote them (another
   * tab, a second machine on a shared folder), both edits are merged (`mergeFlags`), never
   * overwritten. Resolves to the document as saved and where.
   */
  saveFlags(datasetPath: string, flags: FlagsDocument): Promise<SavedFlags>

  /**
   * Subscribes to another window changing a dataset's saved flags; the listener gets its
   * `DatasetSource.path`. The browser build hears other tabs at once; the desktop merges at the
   * next save instead (a sidecar on a shared folder has no change event to hear).
   */
  onFlagsChanged(listener: (datasetPath: string) => void): () => void

  /**
   * The test re-run results saved for a dataset (keyed by `DatasetSource.path`), or null when it
   * has none. Desktop: `<file>.rewardlens-rerun.json` beside the data (or in the app's data
   * folder when that is not writable); browser: local storage.
   */
  loadRerunResults(datasetPath: string): Promise<RerunDocument | null>

  /** Saves a dataset's test re-run results, replacing what was saved (atomically on the desktop). */
  saveRerunResults(datasetPath: string, document: RerunDocument): Promise<void>

  /**
   * Asks where an export goes (a save dialog that asks before replacing a file; a download in the
   * browser). On the desktop it also asks before replacing a `<name>.meta.json` already there, and
   * the person's answer there can cancel too. Null when the person cancels.
   */
  beginExport(suggestedName: string): Promise<ExportTarget | null>

  /** Appends bytes to an export begun with `beginExport`. Nothing is visible at its path yet. */
  writeExport(exportId: string, chunk: Uint8Array): Promise<void>

  /**
   * Completes an export: the file appears at its path whole (written to a temporary file, then
   * renamed), with `meta` (JSON text) beside it as `<name>.meta.json`.
   */
  finishExport(exportId: string, meta: string): Promise<ExportResult>

  /** Abandons an export: its temporary file is removed and an existing file at its path is untouched. */
  abortExport(exportId: string): Promise<void>

  /**
   * Subscribes to datasets the shell opens on its own: the command line, a second launch,
   * File > Open Recent, a double-click in the file manager. Returns an unsubscribe function.
   */
  onOpenRequest(listener: (source: DatasetSource) => void): () => void

  /** Subscribes to menu commands the renderer must carry out. Returns an unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void

  /**
   * Starts the desktop app's native engine for this window. True when it is running: its message
   * port then arrives as a window message (`ENGINE_PORT_MESSAGE`, `shared/engineProtocol.ts`).
   * False in the browser, or when native DuckDB cannot run here; the app then uses DuckDB-WASM.
   */
  startEngine(): Promise<boolean>

  /** Subscribes to the native engine stopping on its own (it crashed); the listener gets why. */
  onEngineStopped(listener: (message: string) => void): () => void
}

const FORMAT_BY_EXTENSION: Readonly<Record<string, DatasetFormat>> = {
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  json: 'json',
  parquet: 'parquet',
  pq: 'parquet',
  csv: 'csv',
}

/** Where the bundled demo dataset sits inside the web build (dist/web). */
export const DEMO_DATASET_FILE = 'demo/code-rlaif-demo.jsonl'

const COMPRESSION_BY_EXTENSION: Readonly<Record<string, Compression>> = {
  gz: 'gzip',
  gzip: 'gzip',
  zst: 'zstd',
  zstd: 'zstd',
}

/** The extensions RewardLens opens, for file pickers and messages (`.gz` and `.zst` wrap the rest). */
export const DATASET_EXTENSIONS: readonly string[] = [
  ...Object.keys(FORMAT_BY_EXTENSION),
  'gz',
  'zst',
]

/** The compression a file name says it has (`.gz`, `.zst`), or null. */
export function compressionFromName(name: string): Compression | null {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? null : (COMPRESSION_BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? null)
}

/** The name without its compression extension: `train.jsonl.gz` → `train.jsonl`. */
export function uncompressedName(name: string): string {
  return compressionFromName(name) === null ? name : name.slice(0, name.lastIndexOf('.'))
}

/**
 * The format a file name says it has, or null for an extension RewardLens does not read. A
 * compressed file is named by what it holds (`train.jsonl.gz` is JSON Lines; `notes.txt.gz` and a
 * bare `data.gz` say nothing RewardLens reads). A flags sidecar (`train.jsonl.rewardlens.json`) is
 * not a dataset, so folders never load it as a shard.
 */
export function formatFromName(name: string): DatasetFormat | null {
  const lower = name.toLowerCase()
  if (lower.endsWith(SIDECAR_SUFFIX) || lower.endsWith(RERUN_SIDECAR_SUFFIX)) return null
  const inner = uncompressedName(name)
  const dot = inner.lastIndexOf('.')
  if (dot < 0) return null
  return FORMAT_BY_EXTENSION[inner.slice(dot + 1).toLowerCase()] ?? null
}
