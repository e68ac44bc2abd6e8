/**
 * Writes exports safely: every export goes to a temporary file in the target's own folder and is
 * renamed over the target only when it is complete and on disk, with its provenance record
 * (`<name>.meta.json`) beside it. A crash, a kill or a cancel mid-way leaves the target as it was:
 * absent, or the previous file, whole.
 *
 * The save dialog has already asked before replacing a file, and HostService before replacing its
 * provenance record; this module only carries it out. Exports a page began go with the page: the
 * shell abandons them all (`abortAll`) when it reloads or closes and when the app quits.
 */
import { randomBytes } from 'node:crypto'
import { type FileHandle, open, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import { type ExportResult, type ExportTarget, HostError } from '../../shared/host'
import { removeAbandonedWrites, temporaryPathFor, writeFileAtomic } from './atomicFile'

/** One export under way. */
interface OpenExport {
  readonly target: string
  readonly temp: string
  readonly handle: FileHandle
  bytes: number
  /** Writes run one after another, in the order they were asked for. */
  queue: Promise<void>
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code
}

/** Where an export's provenance record goes: beside it, as `<name>.meta.json`. */
export function metaPathFor(target: string): string {
  return `${target}.meta.json`
}

/** A HostError with a sentence the person can act on, for a failed write to `target`. */
export function exportError(error: unknown, target: string): HostError {
  if (error instanceof HostError) return error
  const folder = path.dirname(target)
  const name = path.basename(target)
  switch (codeOf(error)) {
    case 'ENOSPC':
      return new HostError(
        `The disk is full: ${name} could not be written to ${folder}. Nothing was left there; free some space and export again.`,
      )
    case 'EDQUOT':
      return new HostError(
        `Your disk quota is used up: ${name} could not be written to ${folder}. Nothing was left there.`,
      )
    case 'EACCES':
    case 'EPERM':
      return new HostError(
        `RewardLens cannot write to the folder ${folder}: permission denied. Choose another folder.`,
      )
    case 'EROFS':
      return new HostError(
        `RewardLens cannot write to the folder ${folder}: it is on a read-only disk. Choose another folder.`,
      )
    case 'ENOENT':
    case 'ENOTDIR':
      return new HostError(`The folder ${folder} does not exist. Choose another folder.`)
    case 'EISDIR':
      return new HostError(`${target} is a folder. Choose a file name.`)
    default: {
      const message = error instanceof Error ? error.message : String(error)
      return new HostError(`${name} could not be written to ${folder}: ${message}`)
    }
  }
}

/** Writes all of a chunk (a file write may take only part of it). */
async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let done = 0; done < chunk.length;) {
    const { bytesWritten } = await handle.write(chunk, done, chunk.length - done)
    done += bytesWritten
  }
}

/** The exports under way in this process, by id. */
export class ExportWriter {
  readonly #exports = new Map<string, OpenExport>()
  /** Aborts still closing and removing their files, so `abortAll` can wait for them. */
  readonly #aborting = new Set<Promise<void>>()

  /** Starts an export to `target` (chosen in the save dialog): creates its temporary file. */
  async begin(target: string): Promise<ExportTarget> {
    const resolved = path.resolve(target)
    // An export to this file that a crash cut short left its temporary file: it goes now.
    if (![...this.#exports.values()].some((job) => job.target === resolved)) {
      await removeAbandonedWrites(resolved)
    }
    const temp = temporaryPathFor(resolved)
    let handle: FileHandle
    try {
      handle = await open(temp, 'wx')
    } catch (error) {
      throw exportError(error, resolved)
    }
    const id = randomBytes(12).toString('hex')
    this.#exports.set(id, { target: resolved, temp, handle, bytes: 0, queue: Promise.resolve() })
    return { id, name: path.basename(resolved), path: resolved }
  }

  /**
   * Appends a chunk to the temporary file. On failure (a full disk) the export is abandoned at
   * once, its temporary file removed, and the error says why.
   */
  async write(id: string, chunk: Uint8Array): Promise<void> {
    // Everything up to the first await runs at once, so writes queue in the order they came.
    const job = this.#get(id)
    const run = job.queue.then(async () => {
      await writeAll(job.handle, chunk)
      job.bytes += chunk.length
    })
    job.queue = run.catch(() => undefined)
    try {
      await run
    } catch (error) {
      await this.abort(id)
      throw exportError(error, job.target)
    }
  }

  /**
   * Completes an export: the data is flushed to disk and renamed into place, then the provenance
   * record is written beside it (atomically too).
   */
  async finish(id: string, meta: string): Promise<ExportResult> {
    const job = this.#get(id)
    this.#exports.delete(id)
    try {
      await job.queue
      await job.handle.sync()
    } catch (error) {
      await job.handle.close().catch(() => undefined)
      await unlink(job.temp).catch(() => undefined)
      throw exportError(error, job.target)
    }
    try {
      await job.handle.close()
      await rename(job.temp, job.target)
    } catch (error) {
      await unlink(job.temp).catch(() => undefined)
      throw exportError(error, job.target)
    }
    const metaTarget = metaPathFor(job.target)
    try {
      await writeFileAtomic(metaTarget, meta)
    } catch (error) {
      const reason = exportError(error, metaTarget).message
      throw new HostError(
        `${path.basename(job.target)} was exported, but its provenance record could not be written: ${reason}`,
      )
    }
    return { path: job.target, metaPath: metaTarget, bytes: job.bytes }
  }

  /** Abandons an export: its temporary file is removed; the target is never touched. */
  async abort(id: string): Promise<void> {
    const job = this.#exports.get(id)
    // Already finished, abandoned, or dropped after a failed write: nothing is left to remove.
    if (!job) return
    this.#exports.delete(id)
    const removal = (async () => {
      await job.queue
      await job.handle.close().catch(() => undefined)
      await unlink(job.temp).catch(() => undefined)
    })()
    this.#aborting.add(removal)
    try {
      await removal
    } finally {
      this.#aborting.delete(removal)
    }
  }

  /**
   * Abandons every export under way: the page that began them is gone, or the app is quitting.
   * Resolves once every temporary file, these and those of aborts already under way, is removed.
   */
  async abortAll(): Promise<void> {
    const ids = [...this.#exports.keys()]
    await Promise.all([...ids.map((id) => this.abort(id)), ...this.#aborting])
  }

  #get(id: string): OpenExport {
    const job = this.#exports.get(id)
    if (!job) {
      throw new HostError(
        'This export is no longer in progress: it was finished, cancelled or stopped by an error.',
      )
    }
    return job
  }
}
