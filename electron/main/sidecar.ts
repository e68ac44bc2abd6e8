/**
 * Flags sidecars: the file that keeps a dataset's flags and notes on disk.
 *
 * Where it goes:
 * - a single file keeps its flags beside it: `train.jsonl` gets `train.jsonl.rewardlens.json`;
 * - a folder keeps them inside it, as `.rewardlens.json`: it moves and is copied with the folder, and
 *   being hidden it is never taken for a shard;
 * - when the data's folder cannot take the file (read-only, full, gone), the app's data folder does:
 *   `<dataDir>/<first 32 hex digits of the SHA-256 of the dataset path>.rewardlens.json`.
 *
 * Reading takes whichever of the two was written last, so flags saved to the data folder while the
 * dataset's folder was read-only are not hidden by an older sidecar beside the data.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, stat } from 'node:fs/promises'
import path from 'node:path'
import {
  FLAGS_SET_ASIDE,
  SIDECAR_SUFFIX,
  mergeFlags,
  parseFlags,
  sameFlags,
} from '../../shared/flags'
import type { FlagsDocument, SavedFlags } from '../../shared/flags'
import { HostError } from '../../shared/host'
import type { DatasetSource } from '../../shared/host'
import { removeAbandonedWrites, writeFileAtomic } from './atomicFile'
import { describeFsError } from './grants'

/** The two places a dataset's sidecar can be. */
export interface SidecarPaths {
  /** Beside the data file, or inside the folder. */
  readonly beside: string
  /** In the app's data folder, for datasets whose folder cannot be written. */
  readonly fallback: string
}

/** Where the sidecar of a dataset goes, and where it goes when its folder cannot be written. */
export function sidecarPaths(source: DatasetSource, dataDir: string): SidecarPaths {
  const key = createHash('sha256').update(source.path).digest('hex').slice(0, 32)
  return {
    beside: source.isFolder
      ? path.join(source.path, SIDECAR_SUFFIX)
      : `${source.path}${SIDECAR_SUFFIX}`,
    fallback: path.join(dataDir, `${key}${SIDECAR_SUFFIX}`),
  }
}

/**
 * The flags saved for a dataset, or null when it has none.
 *
 * A sidecar that cannot be parsed is never overwritten: it is renamed to
 * `<name>.damaged-<time>` and a HostError says so and where it went. Temporary files left by a
 * write that a crash cut short are deleted first.
 */
export function readSidecar(source: DatasetSource, dataDir: string): Promise<SavedFlags | null> {
  const paths = sidecarPaths(source, dataDir)
  return inTurn(paths.beside, async () => {
    const saved = await readNewest(source, paths)
    lastSeen.set(paths.beside, saved?.document ?? null)
    return saved
  })
}

/**
 * Saves a dataset's flags atomically, beside the data or, when that folder cannot be written, in
 * the app's data folder; resolves to the document written and its path.
 *
 * A sidecar changed on disk since this process last read or wrote it (a second machine on a
 * shared folder, another copy of the app) is merged with `doc` (`mergeFlags`), not overwritten.
 * Writes to one dataset happen in the order they were asked for, so the last document asked for
 * is the one on disk even when the person flags faster than the disk writes.
 */
export function writeSidecar(
  source: DatasetSource,
  dataDir: string,
  doc: FlagsDocument,
): Promise<SavedFlags> {
  const paths = sidecarPaths(source, dataDir)
  return inTurn(paths.beside, async () => {
    const document = await withChangesOnDisk(source, paths, doc)
    const location = await writeEither(source, paths, document)
    lastSeen.set(paths.beside, document)
    return { document, location }
  })
}

/**
 * The document each dataset's sidecar held when this process last read or wrote it (null: none),
 * by sidecar path: the base that a change made on disk since is merged against.
 */
const lastSeen = new Map<string, FlagsDocument | null>()

/** `doc`, merged with what another writer saved since this process last saw the sidecar. */
async function withChangesOnDisk(
  source: DatasetSource,
  paths: SidecarPaths,
  doc: FlagsDocument,
): Promise<FlagsDocument> {
  if (!lastSeen.has(paths.beside)) return doc
  const base = lastSeen.get(paths.beside) ?? { ...doc, flags: [] }
  const [newest] = await sidecarsNewestFirst(paths)
  if (newest === undefined) return doc
  const text = await readText(source, newest)
  const onDisk = parseSidecar(text)
  if (typeof onDisk === 'string') {
    // Written since by a newer build: never replaced (it holds work this build cannot read).
    const newer = newerFormat(text)
    if (newer !== null) {
      throw new HostError(
        `The flags of ${source.name} at ${newest} were saved meanwhile by a newer version of ` +
          `RewardLens (format ${newer}), so they were not replaced; update RewardLens to change them.`,
      )
    }
    // Damaged since: kept aside, like a damaged file found on open, before this one is written.
    console.warn(`RewardLens: ${(await setAside(source, newest, onDisk)).message}`)
    return doc
  }
  return sameFlags(onDisk, base) ? doc : mergeFlags(base, doc, onDisk)
}

/** The last task queued for each dataset's sidecar. */
const queues = new Map<string, Promise<unknown>>()

/**
 * Runs `task` once every task queued before it for the same sidecar has finished, so reads and
 * writes of one dataset's flags never overlap.
 */
function inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve()
  const run = previous.catch(() => undefined).then(task)
  queues.set(key, run)
  const forget = () => {
    if (queues.get(key) === run) queues.delete(key)
  }
  run.then(forget, forget)
  return run
}

/**
 * Reads the newer of the two sidecars. The older one, when both exist, is out of date but is still
 * checked: a damaged one is set aside too (and logged), so no later write can replace it.
 */
async function readNewest(source: DatasetSource, paths: SidecarPaths): Promise<SavedFlags | null> {
  await Promise.all([removeAbandonedWrites(paths.beside), removeAbandonedWrites(paths.fallback)])
  const [newest, older] = await sidecarsNewestFirst(paths)
  if (newest === undefined) return null
  if (older !== undefined) {
    const text = await readText(source, older)
    const reason = parseSidecar(text)
    if (typeof reason === 'string' && newerFormat(text) === null) {
      console.warn(`RewardLens: ${(await setAside(source, older, reason)).message}`)
    }
  }
  const text = await readText(source, newest)
  const parsed = parseSidecar(text)
  if (typeof parsed !== 'string') return { document: parsed, location: newest }
  const newer = newerFormat(text)
  // A newer build's file is valid, only not for this build: it stays where it is, untouched, and
  // flagging stays off (the error does not say it was set aside) so nothing overwrites it.
  if (newer !== null) {
    throw new HostError(
      `The flags of ${source.name} at ${newest} were saved by a newer version of RewardLens ` +
        `(format ${newer}); update RewardLens to read and change them. The file was left as it is.`,
    )
  }
  throw await setAside(source, newest, parsed)
}

async function readText(source: DatasetSource, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new HostError(
      `Cannot read the flags of ${source.name} at ${file}: ${describeFsError(error)}`,
    )
  }
}

/** Writes beside the data, or in the app's data folder when that fails; resolves to the path written. */
async function writeEither(
  source: DatasetSource,
  paths: SidecarPaths,
  doc: FlagsDocument,
): Promise<string> {
  const text = `${JSON.stringify(doc, null, 2)}\n`
  try {
    await writeFileAtomic(paths.beside, text)
    return paths.beside
  } catch (besideError) {
    try {
      await mkdir(path.dirname(paths.fallback), { recursive: true })
      await writeFileAtomic(paths.fallback, text)
      return paths.fallback
    } catch (fallbackError) {
      throw new HostError(
        `Cannot save the flags of ${source.name}: not at ${paths.beside} (${describeFsError(besideError)}) ` +
          `and not at ${paths.fallback} (${describeFsError(fallbackError)})`,
      )
    }
  }
}

/** The sidecars that exist, the one written last first (beside the data on a tie). */
async function sidecarsNewestFirst(paths: SidecarPaths): Promise<string[]> {
  const [beside, fallback] = await Promise.all([
    modifiedAt(paths.beside),
    modifiedAt(paths.fallback),
  ])
  const found: [string, number][] = []
  if (beside !== null) found.push([paths.beside, beside])
  if (fallback !== null) found.push([paths.fallback, fallback])
  return found.sort((a, b) => b[1] - a[1]).map(([file]) => file)
}

/** When a sidecar file was last written; null when there is no such file. */
async function modifiedAt(file: string): Promise<number | null> {
  try {
    const info = await stat(file)
    return info.isFile() ? info.mtimeMs : null
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw new HostError(`Cannot read the flags at ${file}: ${describeFsError(error)}`)
  }
}

/** The format number of a sidecar written by a newer build, or null. */
function newerFormat(text: string): number | null {
  try {
    const version = (JSON.parse(text) as { version?: unknown } | null)?.version
    return typeof version === 'number' && version > 1 ? version : null
  } catch {
    return null
  }
}

/** The document in a sidecar's text, or why it is not one. */
function parseSidecar(text: string): FlagsDocument | string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return 'it is not valid JSON'
  }
  const version = (value as { version?: unknown } | null)?.version
  if (typeof version === 'number' && version > 1) {
    return `it was written by a newer version of RewardLens (format ${version})`
  }
  return parseFlags(value) ?? 'it is not a RewardLens flags file, or part of it is damaged'
}

/** Renames a sidecar that cannot be read out of the way, and the error that tells the person. */
async function setAside(source: DatasetSource, file: string, reason: string): Promise<HostError> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const aside = `${file}.damaged-${stamp}`
  try {
    await rename(file, aside)
  } catch (error) {
    return new HostError(
      `The flags of ${source.name} at ${file} cannot be read: ${reason}. ` +
        `It could not be moved aside (${describeFsError(error)}), so it was left as it is.`,
    )
  }
  return new HostError(
    `The flags of ${source.name} could not be read: ${reason}. ` +
      `The file was moved to ${aside}, ${FLAGS_SET_ASIDE}`,
  )
}
