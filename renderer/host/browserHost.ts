/**
 * The browser implementation of Host, for the static web build and its tests.
 *
 * Files come from file inputs and drag and drop; their bytes are read with `Blob.slice`, so a
 * large file is never read whole. Nothing leaves the page.
 */
import {
  DEMO_DATASET_FILE,
  type DatasetFile,
  type DatasetSource,
  type DroppedFile,
  type Host,
  HostError,
  type RecentDataset,
  type ThemeChoice,
  formatFromName,
} from '../../shared/host'
import { type Profile, parseProfile } from '../../shared/profile'
import { loadStoredFlags, onStoredFlagsChanged, storeFlags } from './browserFlags'
import { loadStoredRerun, storeRerun } from './browserRerun'
import { Downloads } from './downloads'

/** A file as the browser gives it: a DroppedFile that can also be sliced. */
interface BrowserFile extends DroppedFile, Blob {
  readonly webkitRelativePath?: string
}

function isBrowserFile(file: DroppedFile): file is BrowserFile {
  return typeof (file as Partial<Blob>).slice === 'function'
}

/** Picks the files of a dropped folder or selection that make one dataset. */
function datasetFiles(files: readonly BrowserFile[]): BrowserFile[] {
  const wanted = files.filter((f) => !f.name.startsWith('.'))
  if (wanted.length <= 1) return wanted
  const known = wanted.filter((f) => formatFromName(f.name) !== null)
  const collator = new Intl.Collator(undefined, { numeric: true })
  return known.sort((a, b) => collator.compare(relativePath(a), relativePath(b)))
}

function relativePath(file: BrowserFile): string {
  return file.webkitRelativePath || file.name
}

const PROFILE_KEY_PREFIX = 'rewardlens.profile:'

/** A profile saved in local storage for a dataset; null when none or unreadable. */
function loadStoredProfile(datasetPath: string): Profile | null {
  try {
    const saved = localStorage.getItem(PROFILE_KEY_PREFIX + datasetPath)
    return saved === null ? null : parseProfile(JSON.parse(saved))
  } catch {
    return null
  }
}

/** Saves (or, with null, forgets) the profile for a dataset in local storage. */
function storeProfile(datasetPath: string, profile: Profile | null): void {
  if (profile === null) localStorage.removeItem(PROFILE_KEY_PREFIX + datasetPath)
  else localStorage.setItem(PROFILE_KEY_PREFIX + datasetPath, JSON.stringify(profile))
}

/** A synchronous step as a promise: its value, or its exception as a rejection. */
function settle<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step())
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)))
  }
}

const THEME_KEY = 'rewardlens.theme'

/** The theme chosen in this browser, or `system`. */
function loadStoredTheme(): ThemeChoice {
  const saved = localStorage.getItem(THEME_KEY)
  return saved === 'light' || saved === 'dark' ? saved : 'system'
}

function storeTheme(theme: ThemeChoice): void {
  if (theme === 'system') localStorage.removeItem(THEME_KEY)
  else localStorage.setItem(THEME_KEY, theme)
}

/** Creates the browser Host. */
export function createBrowserHost(): Host {
  const files = new Map<string, Blob>()
  const downloads = new Downloads()
  let nextId = 1

  const register = (blob: Blob, name: string, path: string): DatasetFile => {
    const id = `file-${nextId++}`
    files.set(id, blob)
    return { id, name, path, size: blob.size }
  }

  const sourceOf = (dropped: readonly DroppedFile[]): DatasetSource | null => {
    const browserFiles = dropped.filter(isBrowserFile)
    const chosen = datasetFiles(browserFiles)
    const first = chosen[0]
    if (!first) {
      if (browserFiles.length > 0) {
        throw new HostError(
          'None of the dropped files is a dataset RewardLens reads (.jsonl, .json, .parquet, .csv).',
        )
      }
      return null
    }
    const folder = relativePath(first).includes('/') ? relativePath(first).split('/')[0]! : null
    const isFolder = folder !== null || chosen.length > 1
    const name = folder ?? first.name
    return {
      name,
      path: name,
      isFolder,
      files: chosen.map((f) => register(f, f.name, relativePath(f))),
    }
  }

  return {
    kind: 'browser',
    pickFile: () => Promise.resolve(null),
    pickFolder: () => Promise.resolve(null),
    openDropped: (dropped) => settle(() => sourceOf(dropped)),
    openRecent(path) {
      return Promise.reject(
        new HostError(`The browser cannot reopen ${path} on its own; choose the file again.`),
      )
    },
    async openDemo() {
      const response = await fetch(DEMO_DATASET_FILE)
      if (!response.ok)
        throw new HostError(`The demo dataset is missing from this build (${response.status}).`)
      const blob = await response.blob()
      const name = DEMO_DATASET_FILE.split('/').pop()!
      return { name, path: name, isFolder: false, files: [register(blob, name, name)] }
    },
    async readBytes(fileId, start, end) {
      const blob = files.get(fileId)
      if (!blob) throw new HostError('That file is no longer open; choose it again.')
      return new Uint8Array(await blob.slice(start, end).arrayBuffer())
    },
    recentDatasets: (): Promise<readonly RecentDataset[]> => Promise.resolve([]),
    loadProfile: (datasetPath) => Promise.resolve(loadStoredProfile(datasetPath)),
    saveProfile(datasetPath, profile) {
      storeProfile(datasetPath, profile)
      return Promise.resolve()
    },
    noteOpened: () => Promise.resolve(),
    loadTheme: () => Promise.resolve(loadStoredTheme()),
    saveTheme(theme) {
      storeTheme(theme)
      return Promise.resolve()
    },
    // A damaged entry rejects the promise rather than throwing at the call.
    loadFlags: (datasetPath) => settle(() => loadStoredFlags(datasetPath)),
    saveFlags: (datasetPath, flags) => settle(() => storeFlags(datasetPath, flags)),
    loadRerunResults: (datasetPath) => settle(() => loadStoredRerun(datasetPath)),
    saveRerunResults: (datasetPath, document) => settle(() => storeRerun(datasetPath, document)),
    beginExport: (suggestedName) => Promise.resolve(downloads.begin(suggestedName)),
    writeExport: (exportId, chunk) => Promise.resolve(downloads.write(exportId, chunk)),
    finishExport: (exportId, meta) => Promise.resolve(downloads.finish(exportId, meta)),
    abortExport: (exportId) => Promise.resolve(downloads.abort(exportId)),
    // The browser opens nothing on its own and has no application menu.
    onOpenRequest: () => () => undefined,
    onMenuCommand: () => () => undefined,
    onFlagsChanged: onStoredFlagsChanged,
    // The browser build's engine is DuckDB-WASM, in a Web Worker of the page.
    startEngine: () => Promise.resolve(false),
    onEngineStopped: () => () => undefined,
  }
}
