/**
 * Flags and notes in the browser build: one local-storage entry per dataset, keyed by its path
 * (the file or folder name), like saved profiles.
 *
 * An entry that cannot be read is never overwritten: it is copied to a key of its own first, and
 * the person is told, as the desktop does with a damaged sidecar.
 */
import {
  FLAGS_SET_ASIDE,
  type FlagsDocument,
  type SavedFlags,
  mergeFlags,
  parseFlags,
  sameFlags,
} from '../../shared/flags'
import { HostError } from '../../shared/host'

/** What the person is shown as the place their flags are kept. */
export const BROWSER_FLAGS_LOCATION = "this browser's local storage"

const FLAGS_KEY_PREFIX = 'rewardlens.flags:'
const DAMAGED_KEY_PREFIX = 'rewardlens.flags-damaged:'

/** The local-storage key of a dataset's flags. */
export function flagsKey(datasetPath: string): string {
  return FLAGS_KEY_PREFIX + datasetPath
}

/**
 * The flags saved in this browser for a dataset, or null when it has none.
 *
 * Throws HostError when the entry cannot be read; it is then kept under
 * `rewardlens.flags-damaged:<time>:<path>` and removed from the dataset's key.
 */
export function loadStoredFlags(datasetPath: string): SavedFlags | null {
  const key = flagsKey(datasetPath)
  const saved = storage(() => localStorage.getItem(key))
  if (saved === null) return null
  const document = parseStored(saved)
  if (document !== null) {
    lastSeen.set(datasetPath, document)
    return { document, location: BROWSER_FLAGS_LOCATION }
  }
  const aside = `${DAMAGED_KEY_PREFIX}${new Date().toISOString()}:${datasetPath}`
  try {
    localStorage.setItem(aside, saved)
  } catch {
    throw new HostError(
      `The flags saved in this browser for ${datasetPath} cannot be read, and there is no room ` +
        `to keep a copy of them, so they were left as they are.`,
    )
  }
  localStorage.removeItem(key)
  throw new HostError(
    `The flags saved in this browser for ${datasetPath} could not be read; ` +
      `they were kept in local storage under "${aside}", ${FLAGS_SET_ASIDE}`,
  )
}

/**
 * The document each dataset's entry held when this tab last read or wrote it: the base another
 * tab's changes since are merged against.
 */
const lastSeen = new Map<string, FlagsDocument>()

/**
 * Saves a dataset's flags in local storage, merged with what another tab saved since this one last
 * read or wrote them (`mergeFlags`: each tab's flags and notes kept, none overwritten); returns the
 * document saved and where, for the person.
 */
export function storeFlags(datasetPath: string, doc: FlagsDocument): SavedFlags {
  const key = flagsKey(datasetPath)
  const stored = storage(() => localStorage.getItem(key))
  const current = stored === null ? null : parseStored(stored)
  const base = lastSeen.get(datasetPath) ?? { ...doc, flags: [] }
  const document =
    current !== null && !sameFlags(current, base) ? mergeFlags(base, doc, current) : doc
  storage(() => localStorage.setItem(key, JSON.stringify(document)))
  lastSeen.set(datasetPath, document)
  return { document, location: BROWSER_FLAGS_LOCATION }
}

/**
 * Calls `listener` with the dataset path whenever another tab of this browser saves a dataset's
 * flags (the storage event fires in every tab but the one that wrote). Returns an unsubscribe.
 */
export function onStoredFlagsChanged(listener: (datasetPath: string) => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key?.startsWith(FLAGS_KEY_PREFIX)) listener(event.key.slice(FLAGS_KEY_PREFIX.length))
  }
  window.addEventListener('storage', onStorage)
  return () => window.removeEventListener('storage', onStorage)
}

function parseStored(text: string): FlagsDocument | null {
  try {
    return parseFlags(JSON.parse(text))
  } catch {
    return null
  }
}

/** Runs a local-storage call, turning its refusals (full, switched off) into a HostError. */
function storage<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new HostError(`This browser's local storage refused the flags: ${reason}`)
  }
}
