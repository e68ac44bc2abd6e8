/**
 * The settings file (recent datasets, window bounds, theme, saved profiles): one JSON file in the
 * user-data folder.
 *
 * It is written atomically, so a crash mid-write leaves the previous file, and read forgivingly,
 * so a damaged file costs the user their recent list, never the app.
 */
import { readFile, readdir, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import { isThemeChoice } from '../../shared/host'
import type { RecentDataset, ThemeChoice } from '../../shared/host'
import { parseProfile } from '../../shared/profile'
import type { Profile } from '../../shared/profile'
import { writeFileAtomic } from './atomicFile'

// Its tests still import it from here (test/unit/electron/settings.test.ts).
export { writeFileAtomic }

/** How many datasets File > Open Recent and the start screen remember. */
export const MAX_RECENT = 10

/**
 * How many datasets keep a saved profile; the least recently saved go first.
 *
 * The whole file is rewritten on every change, so it must not grow with every file ever opened.
 */
export const MAX_SAVED_PROFILES = 500

/** The window's last position and size, restored at the next start. */
export interface WindowBounds {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly maximized: boolean
}

/** The profile a person chose for one dataset, keyed by `DatasetSource.path`. */
export interface SavedProfile {
  readonly path: string
  readonly profile: Profile
}

/** Everything the app remembers between runs. */
export interface Settings {
  readonly recent: readonly RecentDataset[]
  readonly windowBounds: WindowBounds | null
  /** Light, dark or the system's. */
  readonly theme: ThemeChoice
  /**
   * Saved profiles, most recently saved first, one per path.
   *
   * A list rather than an object keyed by path: the order decides which ones the cap drops, and a
   * path such as `__proto__` or `123` is just a string here.
   */
  readonly profiles: readonly SavedProfile[]
}

/** What a first start, or a start after a damaged file, begins with. */
export const DEFAULT_SETTINGS: Settings = {
  recent: [],
  windowBounds: null,
  theme: 'system',
  profiles: [],
}

/** Puts a dataset at the top of the recent list, dropping its older entry and the overflow. */
export function addRecent(
  recent: readonly RecentDataset[],
  dataset: Omit<RecentDataset, 'openedAt'>,
  openedAt: Date,
): RecentDataset[] {
  const entry: RecentDataset = {
    name: dataset.name,
    path: dataset.path,
    isFolder: dataset.isFolder,
    openedAt: openedAt.toISOString(),
  }
  return [entry, ...recent.filter((item) => item.path !== dataset.path)].slice(0, MAX_RECENT)
}

/** Puts a dataset's profile first, replacing its older one and dropping the overflow. */
export function saveProfileIn(
  profiles: readonly SavedProfile[],
  datasetPath: string,
  profile: Profile,
): SavedProfile[] {
  return [
    { path: datasetPath, profile },
    ...profiles.filter((item) => item.path !== datasetPath),
  ].slice(0, MAX_SAVED_PROFILES)
}

/** The saved profiles without the one for `datasetPath`. */
export function forgetProfileIn(
  profiles: readonly SavedProfile[],
  datasetPath: string,
): SavedProfile[] {
  return profiles.filter((item) => item.path !== datasetPath)
}

/**
 * Reads settings from parsed JSON, keeping every well-formed part.
 *
 * Throws only when the top level is not an object at all; a bad recent entry or saved profile is
 * dropped on its own, an unknown theme becomes `system`, and a dropped profile or theme is told to
 * `report` (the person loses that one choice, so someone reading the log should learn why).
 */
export function settingsFromJson(
  value: unknown,
  report: (problem: string) => void = () => undefined,
): Settings {
  if (!isRecord(value)) throw new Error('the settings are not a JSON object')
  const recent = Array.isArray(value.recent) ? value.recent.filter(isRecentDataset) : []
  const seen = new Set<string>()
  const unique = recent.filter((item) => !seen.has(item.path) && seen.add(item.path))
  return {
    recent: unique.slice(0, MAX_RECENT),
    windowBounds: isWindowBounds(value.windowBounds) ? value.windowBounds : null,
    theme: themeFromJson(value.theme, report),
    profiles: profilesFromJson(value.profiles, report),
  }
}

/** The saved theme; `system` when there is none (a file written before themes) or it is unknown. */
function themeFromJson(value: unknown, report: (problem: string) => void): ThemeChoice {
  if (value === undefined) return 'system'
  if (isThemeChoice(value)) return value
  // The value came from JSON.parse, so it has a JSON spelling.
  report(`the theme ${JSON.stringify(value)} is not system, light or dark; using system`)
  return 'system'
}

/** The valid saved profiles, first entry per path winning, at most MAX_SAVED_PROFILES. */
function profilesFromJson(value: unknown, report: (problem: string) => void): SavedProfile[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) {
    report('the saved profiles are not a list; they were dropped')
    return []
  }
  const profiles: SavedProfile[] = []
  const seen = new Set<string>()
  for (const [index, entry] of value.entries()) {
    const entryPath = isRecord(entry) ? entry.path : undefined
    const profile = isRecord(entry) ? parseProfile(entry.profile) : null
    if (typeof entryPath !== 'string' || entryPath === '' || profile === null) {
      const which = typeof entryPath === 'string' && entryPath !== '' ? entryPath : `entry ${index}`
      report(`the saved profile for ${which} is not a valid profile; it was dropped`)
      continue
    }
    if (seen.has(entryPath)) continue
    seen.add(entryPath)
    profiles.push({ path: entryPath, profile })
  }
  return profiles.slice(0, MAX_SAVED_PROFILES)
}

/** The settings read from disk, and what the person must be told about them. */
export interface LoadedSettings {
  readonly settings: Settings
  /**
   * Null after a normal start (a missing file is a first start). Otherwise the file could not be
   * read or parsed, the app started from defaults, and this says so and where the damaged copy
   * went; the main process shows it once.
   */
  readonly notice: string | null
}

/**
 * Loads the settings file; a missing file is a first start, a damaged one is set aside and reported.
 *
 * The damaged copy is renamed to `<file>.damaged-<time>` (kept for anyone who wants to look, and
 * never overwritten by a later one), so the next save writes a fresh file and the next start is a
 * normal one: the notice is shown once.
 */
export async function loadSettings(file: string, now: Date = new Date()): Promise<LoadedSettings> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { settings: DEFAULT_SETTINGS, notice: null }
    console.warn(
      `RewardLens: cannot read ${file} (${String(error)}); starting with default settings`,
    )
    return {
      settings: DEFAULT_SETTINGS,
      notice: `RewardLens cannot read its settings file ${file} (${messageOf(error)}), so it started with default settings: ${WHAT_IS_LOST}`,
    }
  }
  try {
    const report = (problem: string): void => console.warn(`RewardLens: ${file}: ${problem}`)
    return { settings: settingsFromJson(JSON.parse(text), report), notice: null }
  } catch (error) {
    console.warn(
      `RewardLens: ${file} is damaged (${String(error)}); starting with default settings`,
    )
    const damaged = `${file}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`
    const keptAside = await rename(file, damaged).then(
      () => true,
      (renameError: unknown) => {
        console.warn(`RewardLens: cannot set ${file} aside: ${String(renameError)}`)
        return false
      },
    )
    const where = keptAside
      ? `The damaged file was kept as ${damaged}.`
      : `It could not be set aside and will be replaced (${file}).`
    return {
      settings: DEFAULT_SETTINGS,
      notice: `The settings file was damaged (${messageOf(error)}), so RewardLens started with default settings: ${WHAT_IS_LOST} ${where}`,
    }
  }
}

const WHAT_IS_LOST =
  'the recent datasets, the window size and position, the theme and the roles chosen per file are back to their defaults.'

/**
 * Deletes the temporary files of settings writes a crash cut short (`.<name>.<random>.tmp`, as
 * writeFileAtomic names them). The settings file itself is whole: it is only replaced by a rename.
 */
async function removeAbandonedWrites(file: string): Promise<void> {
  const folder = path.dirname(file)
  const prefix = `.${path.basename(file)}.`
  const isAbandoned = (name: string): boolean =>
    name.startsWith(prefix) &&
    name.endsWith('.tmp') &&
    /^[0-9a-f]{12}$/.test(name.slice(prefix.length, -'.tmp'.length))
  const names = await readdir(folder).catch(() => [])
  await Promise.all(
    names.filter(isAbandoned).map((name) => unlink(path.join(folder, name)).catch(() => undefined)),
  )
}

/** Holds the settings in memory and saves every change, one write at a time. */
export class SettingsStore {
  #settings: Settings
  #saving: Promise<unknown> = Promise.resolve()
  /** Where the settings live. */
  readonly file: string
  /** What to tell the person about the settings file, once; null after a normal start. */
  readonly notice: string | null

  private constructor(file: string, loaded: LoadedSettings) {
    this.file = file
    this.#settings = loaded.settings
    this.notice = loaded.notice
  }

  /**
   * Opens the store backed by `file` (usually userData/settings.json).
   *
   * Also clears away the temporary files of writes that a crash cut short.
   */
  static async open(file: string): Promise<SettingsStore> {
    await removeAbandonedWrites(file)
    return new SettingsStore(file, await loadSettings(file))
  }

  /** The current settings. */
  get settings(): Settings {
    return this.#settings
  }

  /**
   * Changes the settings and saves them; resolves to false when saving failed.
   *
   * A failed save is reported and otherwise ignored: losing a recent entry must not fail an open.
   */
  update(change: (settings: Settings) => Settings): Promise<boolean> {
    this.#settings = change(this.#settings)
    const snapshot = `${JSON.stringify({ version: 1, ...this.#settings }, null, 2)}\n`
    const saved = this.#saving.then(() =>
      writeFileAtomic(this.file, snapshot).then(
        () => true,
        (error: unknown) => {
          console.warn(`RewardLens: cannot save ${this.file}: ${String(error)}`)
          return false
        },
      ),
    )
    this.#saving = saved
    return saved
  }

  /** Resolves once every pending save has finished, so quitting does not cut one short. */
  async flush(): Promise<void> {
    await this.#saving
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isRecentDataset(value: unknown): value is RecentDataset {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    typeof value.path === 'string' &&
    value.path !== '' &&
    typeof value.isFolder === 'boolean' &&
    typeof value.openedAt === 'string'
  )
}

function isWindowBounds(value: unknown): value is WindowBounds {
  return (
    isRecord(value) &&
    [value.x, value.y, value.width, value.height].every(
      (n) => typeof n === 'number' && Number.isFinite(n),
    ) &&
    (value.width as number) > 0 &&
    (value.height as number) > 0 &&
    typeof value.maximized === 'boolean'
  )
}
