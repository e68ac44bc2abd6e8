/**
 * File grants: the renderer reads only files the user chose, through opaque ids issued here.
 *
 * A path reaches this module only from a user action (a dialog, the command line, a second launch,
 * a drop, Open Recent, the demo); the renderer never names a path it can then read.
 */
import { randomUUID } from 'node:crypto'
import { open, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { HostError, formatFromName } from '../../shared/host'
import type { DatasetFile, DatasetFormat, DatasetSource } from '../../shared/host'

/** The largest single read; past this a read would risk the main process's memory, so callers chunk. */
export const MAX_READ_BYTES = 512 * 1024 * 1024

/** Formats in the order they are named in messages and preferred when a folder is evenly mixed. */
const FORMATS: readonly DatasetFormat[] = ['jsonl', 'json', 'parquet', 'csv']
const TIE_PREFERENCE: readonly DatasetFormat[] = ['parquet', 'jsonl', 'json', 'csv']

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/** Orders names as people do, so shard part-2 comes before part-10. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0)
}

/** The formats as a phrase for messages: ".jsonl, .json, .parquet or .csv". */
export function formatList(formats: readonly DatasetFormat[] = FORMATS): string {
  const names = formats.map((format) => `.${format}`)
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`
}

/** Why the file system refused, in the words of someone who did not write the code. */
export function describeFsError(error: unknown, kind: 'file' | 'folder' = 'file'): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  switch (code) {
    case 'ENOENT':
      return `the ${kind} does not exist`
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'it is a folder, not a file'
    case 'ENOTDIR':
      return kind === 'folder' ? 'it is a file, not a folder' : 'part of the path is not a folder'
    case 'ELOOP':
      return 'it is a symbolic link that points to itself'
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open'
    case 'EBUSY':
      return 'it is in use by another program'
    default:
      return error instanceof Error ? error.message : String(error)
  }
}

/** A source the user was granted, with the dataset files of a folder that were not included. */
export interface Grant {
  readonly source: DatasetSource
  /** Names of dataset files in a mixed folder that were left out because of their format. */
  readonly leftOut: readonly string[]
  /** A sentence telling the user what was left out, or null when nothing was. */
  readonly notice: string | null
}

/** Issues ids for files the user chose and reads their bytes; nothing else is readable. */
export class FileGrants {
  readonly #files = new Map<string, DatasetFile>()
  readonly #sources = new Map<string, DatasetSource>()

  /** Grants a path the user chose without saying whether it is a file or a folder. */
  async grantPath(target: string): Promise<Grant> {
    const full = path.resolve(target)
    const info = await stat(full).catch((error: unknown) => {
      throw new HostError(`Cannot open ${full}: ${describeFsError(error)}`)
    })
    return info.isDirectory() ? this.grantFolder(full) : this.grantFile(full)
  }

  /** Grants one file as a single-file source. */
  async grantFile(target: string): Promise<Grant> {
    const file = await this.#grantOne(path.resolve(target))
    return this.#remember(
      { name: file.name, path: file.path, isFolder: false, files: [file] },
      [],
      null,
    )
  }

  /** Grants a folder's dataset shards, in natural order, as one source. */
  async grantFolder(target: string): Promise<Grant> {
    const folder = path.resolve(target)
    let entries: string[]
    try {
      entries = await readdir(folder)
    } catch (error) {
      throw new HostError(`Cannot open ${folder}: ${describeFsError(error, 'folder')}`)
    }
    const candidates = entries.filter(
      (name) => !name.startsWith('.') && formatFromName(name) !== null,
    )
    // Stat each candidate: a subfolder named data.parquet (Spark writes those) is not a shard.
    const files = (
      await Promise.all(
        candidates.map(async (name) => {
          const info = await stat(path.join(folder, name)).catch(() => null)
          return info?.isFile() ? name : null
        }),
      )
    ).filter((name): name is string => name !== null)
    if (files.length === 0) throw new HostError(`No ${formatList()} files in ${folder}`)

    const format = mostCommonFormat(files)
    const chosen = files.filter((name) => formatFromName(name) === format).sort(naturalCompare)
    const leftOut = files.filter((name) => formatFromName(name) !== format).sort(naturalCompare)
    const granted: DatasetFile[] = []
    for (const name of chosen) granted.push(await this.#grantOne(path.join(folder, name)))
    const notice =
      leftOut.length === 0
        ? null
        : `Opened ${count(chosen.length, `.${format} file`)} from ${path.basename(folder)}; ` +
          `left out ${count(leftOut.length, 'file')} of another format: ${leftOut.join(', ')}.`
    const source = {
      name: path.basename(folder) || folder,
      path: folder,
      isFolder: true,
      files: granted,
    }
    return this.#remember(source, leftOut, notice)
  }

  /**
   * Grants what was dropped on the window or named on the command line.
   *
   * One folder becomes that folder's dataset; one or more files of one format become one source named
   * after the first file in natural order. Null when there was nothing to open.
   */
  async grantPaths(targets: readonly string[]): Promise<Grant | null> {
    const paths = [
      ...new Set(targets.filter((target) => target !== '').map((target) => path.resolve(target))),
    ]
    const only = paths[0]
    if (only === undefined) return null
    if (paths.length === 1) return this.grantPath(only)

    for (const target of paths) {
      const info = await stat(target).catch((error: unknown) => {
        throw new HostError(`Cannot open ${target}: ${describeFsError(error)}`)
      })
      if (info.isDirectory()) {
        throw new HostError(
          `Cannot open ${target} together with other files: open one folder at a time`,
        )
      }
    }
    const formats = new Set(paths.map((target) => formatFromName(target)))
    const [format] = formats
    if (formats.size > 1 || format === null || format === undefined) {
      const names = paths.map((target) => path.basename(target)).join(', ')
      throw new HostError(
        `Cannot open ${names} as one dataset: the files must all be ${formatList()} of one format`,
      )
    }
    const sorted = [...paths].sort((a, b) => naturalCompare(path.basename(a), path.basename(b)))
    const files: DatasetFile[] = []
    for (const target of sorted) files.push(await this.#grantOne(target))
    const first = files[0] as DatasetFile
    return this.#remember({ name: first.name, path: first.path, isFolder: false, files }, [], null)
  }

  /** The source granted earlier at this path, so the renderer can only report what it was given. */
  sourceAt(sourcePath: string): DatasetSource | undefined {
    return this.#sources.get(sourcePath)
  }

  /** Reads bytes [start, end) of a granted file; end is clamped to the size the file had when granted. */
  async read(fileId: string, start: number, end: number): Promise<Uint8Array> {
    const file = typeof fileId === 'string' ? this.#files.get(fileId) : undefined
    if (!file)
      throw new HostError(`Cannot read file ${String(fileId)}: it was not opened in this window`)
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < 0) {
      throw new HostError(
        `Cannot read bytes ${start} to ${end} of ${file.path}: offsets must be whole numbers, 0 or more`,
      )
    }
    if (end < start)
      throw new HostError(
        `Cannot read bytes ${start} to ${end} of ${file.path}: the end is before the start`,
      )
    const stop = Math.min(end, file.size)
    if (stop <= start) return new Uint8Array(0)
    if (stop - start > MAX_READ_BYTES) {
      throw new HostError(
        `Cannot read ${stop - start} bytes of ${file.path} at once: read at most ${MAX_READ_BYTES} per call`,
      )
    }

    const bytes = new Uint8Array(stop - start)
    let handle
    try {
      handle = await open(file.path, 'r')
      let filled = 0
      // A read may return fewer bytes than asked; a file that shrank since it was granted ends early.
      while (filled < bytes.length) {
        const { bytesRead } = await handle.read(
          bytes,
          filled,
          bytes.length - filled,
          start + filled,
        )
        if (bytesRead === 0) break
        filled += bytesRead
      }
      // slice, not subarray: IPC would otherwise copy the whole underlying buffer.
      return filled === bytes.length ? bytes : bytes.slice(0, filled)
    } catch (error) {
      throw new HostError(`Cannot read ${file.path}: ${describeFsError(error)}`)
    } finally {
      await handle?.close()
    }
  }

  async #grantOne(filePath: string): Promise<DatasetFile> {
    let size: number
    try {
      // Open, not just stat: an unreadable file should fail now, with its name, not at the first read.
      const handle = await open(filePath, 'r')
      try {
        const info = await handle.stat()
        if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
        size = info.size
      } finally {
        await handle.close()
      }
    } catch (error) {
      throw new HostError(`Cannot open ${filePath}: ${describeFsError(error)}`)
    }
    const file: DatasetFile = {
      id: randomUUID(),
      name: path.basename(filePath),
      path: filePath,
      size,
    }
    this.#files.set(file.id, file)
    return file
  }

  #remember(source: DatasetSource, leftOut: readonly string[], notice: string | null): Grant {
    this.#sources.set(source.path, source)
    return { source, leftOut, notice }
  }
}

function mostCommonFormat(names: readonly string[]): DatasetFormat {
  const counts = new Map<DatasetFormat, number>()
  for (const name of names) {
    const format = formatFromName(name)
    if (format) counts.set(format, (counts.get(format) ?? 0) + 1)
  }
  let best: DatasetFormat = 'jsonl'
  let bestCount = -1
  for (const format of TIE_PREFERENCE) {
    const n = counts.get(format) ?? 0
    if (n > bestCount) {
      best = format
      bestCount = n
    }
  }
  return best
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
