/**
 * The main-process half of the Host contract: what each IPC channel does, without Electron.
 *
 * Dialogs, notices and window updates come in as functions, so the whole flow (pick, grant, read,
 * remember) runs in plain Node tests against real files.
 */
import { lstat } from 'node:fs/promises'
import path from 'node:path'
import { parseFlags } from '../../shared/flags'
import { type RerunDocument, parseRerunDocument } from '../../shared/rerun'
import { readRerunSidecar, writeRerunSidecar } from './rerunSidecar'
import type { SavedFlags } from '../../shared/flags'
import { HostError, isThemeChoice } from '../../shared/host'
import type {
  DatasetSource,
  ExportResult,
  ExportTarget,
  RecentDataset,
  ThemeChoice,
} from '../../shared/host'
import { parseProfile } from '../../shared/profile'
import type { Profile } from '../../shared/profile'
import { ExportWriter, metaPathFor } from './exportWriter'
import type { FileGrants, Grant } from './grants'
import { handleRequests } from './ipc'
import type { Handle } from './ipc'
import { readSidecar, writeSidecar } from './sidecar'
import { addRecent, forgetProfileIn, saveProfileIn } from './settings'
import type { SettingsStore } from './settings'

/** A yes-or-no question put to the person before something of theirs is replaced. */
export interface ReplaceQuestion {
  readonly message: string
  readonly detail: string
  /** The label of the button that replaces; the other one cancels. */
  readonly button: string
}

/** What the service needs from the app around it. */
export interface HostServiceOptions {
  readonly grants: FileGrants
  readonly settings: SettingsStore
  /** The bundled demo dataset's path. */
  readonly demoDataset: string
  /** Shows the OS file picker; null when the user cancels. */
  readonly chooseFile: () => Promise<string | null>
  /** Shows the OS folder picker; null when the user cancels. */
  readonly chooseFolder: () => Promise<string | null>
  /** Shows the OS save dialog (which asks before replacing a file); null when the user cancels. */
  readonly chooseExportPath: (suggestedName: string) => Promise<string | null>
  /**
   * Asks whether to replace a file the save dialog did not ask about (the export's provenance
   * record); true to replace. Without it such a file is never replaced: the export is refused.
   */
  readonly confirmReplace?: (question: ReplaceQuestion) => Promise<boolean>
  /** The app's own data folder: flags go there when the dataset's folder is not writable. */
  readonly dataDir: string
  /** Tells the user something they should know but that did not stop the open (left-out files). */
  readonly notify?: (message: string) => void
  /** Called after the recent list changed, to rebuild File > Open Recent. */
  readonly onRecentChanged?: (recent: readonly RecentDataset[]) => void
  /** Called when the renderer reports a dataset open, to retitle the window. */
  readonly onOpened?: (source: DatasetSource) => void
  /** The clock, for recent entries. */
  readonly now?: () => Date
  /** Starts the window's native engine; false when it cannot run (the page then uses WASM). */
  readonly startEngine?: () => Promise<boolean>
}

/** Carries out every request of the Host contract that needs the main process. */
export class HostService {
  readonly #options: HostServiceOptions
  readonly #exports = new ExportWriter()

  constructor(options: HostServiceOptions) {
    this.#options = options
  }

  /** Asks for a file and grants it. */
  async pickFile(): Promise<DatasetSource | null> {
    const chosen = await this.#options.chooseFile()
    return chosen === null ? null : this.#accept(await this.#options.grants.grantFile(chosen))
  }

  /** Asks for a folder and grants its shards. */
  async pickFolder(): Promise<DatasetSource | null> {
    const chosen = await this.#options.chooseFolder()
    return chosen === null ? null : this.#accept(await this.#options.grants.grantFolder(chosen))
  }

  /**
   * Grants paths from a drop, the command line, a second launch or the file manager: dataset files
   * or one folder only, since a drop's paths come through the renderer.
   */
  async openPaths(paths: readonly string[]): Promise<DatasetSource | null> {
    const grant = await this.#options.grants.grantPaths(paths)
    return grant ? this.#accept(grant) : null
  }

  /**
   * Opens an entry of the recent list; paths the user never opened are refused. A file on the list
   * was granted once, perhaps chosen in the file dialog under All Files, so it need not carry a
   * dataset extension; it must still be a regular file.
   */
  async openRecent(recentPath: string): Promise<DatasetSource> {
    if (!this.#options.settings.settings.recent.some((item) => item.path === recentPath)) {
      throw new HostError(`Cannot open ${recentPath}: it is not in the list of recent datasets`)
    }
    return this.#accept(await this.#options.grants.grantPath(recentPath, 'any-file'))
  }

  /** Grants the demo dataset that ships with the app. */
  async openDemo(): Promise<DatasetSource> {
    try {
      return this.#accept(await this.#options.grants.grantFile(this.#options.demoDataset))
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new HostError(`The demo dataset is missing from this build. ${reason}`)
    }
  }

  /**
   * Lets go of what the window's page was given, once it reloaded, navigated or closed: its file
   * grants, but for `waiting`, the datasets granted for the next page and not yet handed to it.
   */
  leavePage(waiting: readonly DatasetSource[]): Promise<void> {
    this.#options.grants.revokeAll(waiting)
    return this.abortExports()
  }

  /** Abandons every export under way, removing its temporary file (also when the app quits). */
  abortExports(): Promise<void> {
    return this.#exports.abortAll()
  }

  /** Reads bytes of a granted file. */
  readBytes(fileId: string, start: number, end: number): Promise<Uint8Array> {
    return this.#options.grants.read(fileId, start, end)
  }

  /** The recent list, most recent first. */
  recentDatasets(): RecentDataset[] {
    return [...this.#options.settings.settings.recent]
  }

  /**
   * Records that the renderer opened a source this window was granted.
   *
   * Only what was granted is stored (never the renderer's copy), so the recent list, and so Open Recent,
   * can only ever name paths the user chose. Sources that cannot be reopened from one path (several
   * dropped files) and the demo (it moves with each install) retitle the window but are not listed.
   */
  async noteOpened(source: DatasetSource): Promise<void> {
    const sourcePath: unknown = (source as Partial<DatasetSource> | null)?.path
    const granted =
      typeof sourcePath === 'string' ? this.#options.grants.sourceAt(sourcePath) : undefined
    if (!granted)
      throw new HostError(
        `Cannot note ${String(sourcePath)} as opened: it was not opened in this window`,
      )
    this.#options.onOpened?.(granted)
    const reopenable = granted.isFolder || granted.files.length === 1
    if (!reopenable || granted.path === this.#options.demoDataset) return
    const now = this.#options.now?.() ?? new Date()
    await this.#options.settings.update((settings) => ({
      ...settings,
      recent: addRecent(settings.recent, granted, now),
    }))
    this.#options.onRecentChanged?.(this.recentDatasets())
  }

  /** The profile saved for a dataset this window opened, or null (also for any other path). */
  loadProfile(datasetPath: string): Profile | null {
    if (!this.#opened(datasetPath)) return null
    const saved = this.#options.settings.settings.profiles.find((item) => item.path === datasetPath)
    return saved?.profile ?? null
  }

  /**
   * Saves the profile chosen for a dataset, or with null forgets it.
   *
   * Only for a path the user opened (granted in this window, or on the recent list), as with Open
   * Recent: the renderer cannot fill the settings file with entries for paths it made up. The profile
   * is checked with parseProfile and stored as parsed, so nothing else the renderer sent is kept.
   */
  async saveProfile(datasetPath: string, profile: unknown): Promise<void> {
    if (!this.#opened(datasetPath)) {
      throw new HostError(
        `Cannot save a profile for ${datasetPath}: it was not opened in this window`,
      )
    }
    if (profile === null) {
      const { profiles } = this.#options.settings.settings
      if (!profiles.some((item) => item.path === datasetPath)) return
      await this.#options.settings.update((settings) => ({
        ...settings,
        profiles: forgetProfileIn(settings.profiles, datasetPath),
      }))
      return
    }
    const parsed = parseProfile(profile)
    if (parsed === null) {
      throw new HostError(`Cannot save the profile for ${datasetPath}: it is not a valid profile`)
    }
    await this.#options.settings.update((settings) => ({
      ...settings,
      profiles: saveProfileIn(settings.profiles, datasetPath, parsed),
    }))
  }

  /** The theme the person chose. */
  loadTheme(): ThemeChoice {
    return this.#options.settings.settings.theme
  }

  /** Remembers the theme choice. */
  async saveTheme(theme: unknown): Promise<void> {
    if (!isThemeChoice(theme)) throw new HostError(`Unknown theme: ${String(theme)}`)
    await this.#options.settings.update((settings) => ({ ...settings, theme }))
  }

  /** The flags of a dataset this window opened; null when it has none. */
  async loadFlags(datasetPath: string): Promise<SavedFlags | null> {
    const source = this.#openedSource(datasetPath, 'read the flags of')
    return readSidecar(source, this.#options.dataDir)
  }

  /**
   * Saves the flags of a dataset this window opened, checked first (merged with a sidecar changed
   * on disk since); resolves to what was saved and where.
   */
  async saveFlags(datasetPath: string, flags: unknown): Promise<SavedFlags> {
    const source = this.#openedSource(datasetPath, 'save flags for')
    const parsed = parseFlags(flags)
    if (parsed === null)
      throw new HostError(`Cannot save the flags of ${datasetPath}: they are not valid`)
    return writeSidecar(source, this.#options.dataDir, parsed)
  }

  /** The test re-run results saved for a dataset this window opened; null when it has none. */
  loadRerunResults(datasetPath: string): Promise<RerunDocument | null> {
    const source = this.#openedSource(datasetPath, 'read the test results of')
    return readRerunSidecar(source, this.#options.dataDir)
  }

  /** Saves the test re-run results of a dataset this window opened, checked first. */
  async saveRerunResults(datasetPath: string, document: unknown): Promise<void> {
    const source = this.#openedSource(datasetPath, 'save test results for')
    const parsed = parseRerunDocument(document)
    if (parsed === null)
      throw new HostError(`Cannot save the test results of ${datasetPath}: they are not valid`)
    await writeRerunSidecar(source, this.#options.dataDir, parsed)
  }

  /** Starts the window's native engine, when the shell has one. */
  startEngine(): Promise<boolean> {
    return this.#options.startEngine?.() ?? Promise.resolve(false)
  }

  /**
   * Asks where an export goes; null on cancel. The save dialog asks before replacing the target, but
   * knows nothing of its provenance record (`<name>.meta.json`), which the export writes too: when
   * one is there already, the person is asked about it as well, and cancelling cancels the export.
   */
  async beginExport(suggestedName: string): Promise<ExportTarget | null> {
    const chosen = await this.#options.chooseExportPath(suggestedName)
    if (chosen === null) return null
    const target = path.resolve(chosen)
    const metaPath = metaPathFor(target)
    if (await exists(metaPath)) {
      const { confirmReplace } = this.#options
      if (!confirmReplace) {
        throw new HostError(
          `Cannot export to ${target}: ${metaPath} already exists and would be replaced. Choose another name.`,
        )
      }
      const metaName = path.basename(metaPath)
      const replace = await confirmReplace({
        message: `Replace ${metaName} too?`,
        detail:
          `Every export writes its provenance record beside it as ${metaName}, and a file of that ` +
          `name is already in ${path.dirname(target)}. Replacing it loses what it holds.`,
        button: 'Replace',
      })
      if (!replace) return null
    }
    return this.#exports.begin(target)
  }

  writeExport(exportId: string, chunk: Uint8Array): Promise<void> {
    return this.#exports.write(exportId, chunk)
  }

  finishExport(exportId: string, meta: string): Promise<ExportResult> {
    return this.#exports.finish(exportId, meta)
  }

  abortExport(exportId: string): Promise<void> {
    return this.#exports.abort(exportId)
  }

  /** The granted source at a path, for flags: only datasets opened in this window have them. */
  #openedSource(datasetPath: string, action: string): DatasetSource {
    const source = this.#options.grants.sourceAt(datasetPath)
    if (!source)
      throw new HostError(`Cannot ${action} ${datasetPath}: it was not opened in this window`)
    return source
  }

  /** Empties the recent list (File > Open Recent > Clear Recent). */
  async clearRecent(): Promise<void> {
    await this.#options.settings.update((settings) => ({ ...settings, recent: [] }))
    this.#options.onRecentChanged?.([])
  }

  /** True for a path this window was granted or that is on the recent list. */
  #opened(datasetPath: string): boolean {
    return (
      this.#options.grants.sourceAt(datasetPath) !== undefined ||
      this.#options.settings.settings.recent.some((item) => item.path === datasetPath)
    )
  }

  #accept(grant: Grant): DatasetSource {
    if (grant.notice) this.#options.notify?.(grant.notice)
    return grant.source
  }
}

/** Answers every invoke channel from the service, checking argument types the renderer could get wrong. */
export function registerHostChannels(handle: Handle, service: HostService): void {
  handleRequests(handle, {
    pickFile: () => service.pickFile(),
    pickFolder: () => service.pickFolder(),
    openDropped: (paths) => {
      if (!Array.isArray(paths) || !paths.every((item) => typeof item === 'string')) {
        throw new HostError('Dropped files must be given as a list of paths')
      }
      return service.openPaths(paths)
    },
    openRecent: (recentPath) => {
      if (typeof recentPath !== 'string')
        throw new HostError('A recent dataset must be given by its path')
      return service.openRecent(recentPath)
    },
    openDemo: () => service.openDemo(),
    readBytes: (fileId, start, end) => service.readBytes(fileId, start, end),
    recentDatasets: () => service.recentDatasets(),
    noteOpened: (source) => service.noteOpened(source),
    loadProfile: (datasetPath) => service.loadProfile(datasetPathArgument(datasetPath)),
    saveProfile: (datasetPath, profile) =>
      service.saveProfile(datasetPathArgument(datasetPath), profile),
    loadTheme: () => service.loadTheme(),
    saveTheme: (theme) => service.saveTheme(theme),
    loadFlags: (datasetPath) => service.loadFlags(datasetPathArgument(datasetPath)),
    saveFlags: (datasetPath, flags) => service.saveFlags(datasetPathArgument(datasetPath), flags),
    loadRerunResults: (datasetPath) => service.loadRerunResults(datasetPathArgument(datasetPath)),
    saveRerunResults: (datasetPath, document) =>
      service.saveRerunResults(datasetPathArgument(datasetPath), document),
    beginExport: (suggestedName) => {
      if (typeof suggestedName !== 'string' || suggestedName === '')
        throw new HostError('An export must be given a file name')
      return service.beginExport(suggestedName)
    },
    writeExport: (exportId, chunk) => {
      if (typeof exportId !== 'string' || !(chunk instanceof Uint8Array))
        throw new HostError('Export data must be bytes sent to an export id')
      return service.writeExport(exportId, chunk)
    },
    finishExport: (exportId, meta) => {
      if (typeof exportId !== 'string' || typeof meta !== 'string')
        throw new HostError('An export is finished with its id and its provenance text')
      return service.finishExport(exportId, meta)
    },
    abortExport: (exportId) => {
      if (typeof exportId !== 'string') throw new HostError('An export is abandoned by its id')
      return service.abortExport(exportId)
    },
    startEngine: () => service.startEngine(),
  })
}

/** The dataset path a channel was given, refused unless it is a non-empty string. */
function datasetPathArgument(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new HostError('The path of a dataset is missing')
  }
  return value
}

/** True when something is at `target` (a broken link counts: writing there would replace it). */
async function exists(target: string): Promise<boolean> {
  try {
    await lstat(target)
    return true
  } catch {
    return false
  }
}
