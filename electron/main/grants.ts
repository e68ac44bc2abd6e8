/**
 * File grants: the renderer reads only files the user chose, through opaque ids issued here.
 *
 * A path reaches this module from a user action (a dialog, the command line, a second launch, a drop,
 * Open Recent, the demo). A drop's paths come through the renderer, which a compromised page controls,
 * so every path named outside a dialog must be a dataset file or a folder: a regular file with a
 * dataset extension, judged by where its symbolic links lead. A folder's shards must be regular
 * dataset files inside it, with one exception: a Hugging Face cache snapshot, whose files link to
 * the content-addressed blobs of the same cached dataset (see `hfBlobsFolder`). Grants last as
 * long as the page they were made for (`revokeAll`).
 */
import { randomUUID } from 'node:crypto'
import { constants, lstat, open, readdir, realpath, stat } from 'node:fs/promises'
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

/** How deep `grantFolder` looks for shards when a folder holds none itself (`data/`, `data/train/`). */
const MAX_SHARD_DEPTH = 3

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

/**
 * What a file must be to be granted: `any-file` for a regular file the person chose in a dialog (or
 * reopens from the recent list, where only such choices are kept), `dataset-file` for a path named
 * anywhere else, which must also carry a dataset extension, as must the file its links lead to.
 */
export type FileRule = 'any-file' | 'dataset-file'

/**
 * Opens a granted file for reading: never through a link swapped in since it was checked, and never
 * waiting on a pipe (O_NOFOLLOW and O_NONBLOCK are 0 where the platform lacks them).
 */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/** A file that passed the checks, not yet given an id. */
interface CheckedFile {
  /** The path as named: shown to the person and used as the key of the source. */
  readonly path: string
  /** Where its links lead: what is read. */
  readonly realPath: string
  readonly size: number
}

/** A granted file and the real path its bytes are read from. */
interface GrantedFile {
  readonly file: DatasetFile
  readonly realPath: string
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
  readonly #files = new Map<string, GrantedFile>()
  readonly #sources = new Map<string, DatasetSource>()

  /**
   * Grants a path without saying whether it is a file or a folder: a dataset file unless `rule`
   * says the person chose it in a dialog before.
   */
  async grantPath(target: string, rule: FileRule = 'dataset-file'): Promise<Grant> {
    const full = path.resolve(target)
    const info = await stat(full).catch((error: unknown) => {
      throw new HostError(`Cannot open ${full}: ${describeFsError(error)}`)
    })
    return info.isDirectory() ? this.grantFolder(full) : this.#grantSingle(full, rule)
  }

  /** Grants one file the person chose in a dialog as a single-file source. */
  grantFile(target: string): Promise<Grant> {
    return this.#grantSingle(path.resolve(target), 'any-file')
  }

  /**
   * Grants a folder's dataset shards, in natural order, as one source. A folder with no dataset
   * file of its own is searched below (a Hugging Face snapshot keeps its shards in `data/`), up to
   * MAX_SHARD_DEPTH levels, hidden folders left out; shards are then named by their path inside
   * the folder (`data/train-00000-of-00004.parquet`).
   */
  async grantFolder(target: string): Promise<Grant> {
    const folder = path.resolve(target)
    let realFolder: string
    try {
      realFolder = await realpath(folder)
    } catch (error) {
      throw new HostError(`Cannot open ${folder}: ${describeFsError(error, 'folder')}`)
    }
    let files: string[] = []
    for (let depth = 1; depth <= MAX_SHARD_DEPTH && files.length === 0; depth++) {
      files = await datasetFilesAt(folder, depth)
    }
    if (files.length === 0) throw new HostError(`No ${formatList()} files in ${folder}`)
    const blobs = hfBlobsFolder(realFolder)

    const format = mostCommonFormat(files)
    const chosen = files.filter((name) => formatFromName(name) === format).sort(naturalCompare)
    const leftOut = files.filter((name) => formatFromName(name) !== format).sort(naturalCompare)
    const checked: CheckedFile[] = []
    for (const name of chosen) {
      const shard = path.join(folder, name)
      const result = await checkFile(shard, 'dataset-file', realFolder, blobs)
      if (typeof result === 'string')
        throw new HostError(`Cannot open ${folder}: ${name} ${result}`)
      checked.push(result)
    }
    const notice =
      leftOut.length === 0
        ? null
        : `Opened ${count(chosen.length, `.${format} file`)} from ${path.basename(folder)}; ` +
          `left out ${count(leftOut.length, 'file')} of another format: ${leftOut.join(', ')}.`
    const source = {
      name: path.basename(folder) || folder,
      path: folder,
      isFolder: true,
      files: this.#issue(checked),
    }
    return this.#remember(source, leftOut, notice)
  }

  /**
   * Grants what was dropped on the window or named on the command line: dataset files or one folder.
   *
   * One folder becomes that folder's dataset; one or more files of one format become one source named
   * after the first file in natural order. Null when there was nothing to open. Anything else (a file
   * of another kind, a device, a link to either) is refused, and nothing of the request is granted.
   */
  async grantPaths(targets: readonly string[]): Promise<Grant | null> {
    const paths = [
      ...new Set(targets.filter((target) => target !== '').map((target) => path.resolve(target))),
    ]
    const only = paths[0]
    if (only === undefined) return null
    if (paths.length === 1) return this.grantPath(only, 'dataset-file')

    for (const target of paths) {
      const info = await stat(target).catch((error: unknown) => {
        throw new HostError(`Cannot open ${target}: ${describeFsError(error)}`)
      })
      if (info.isDirectory()) {
        throw new HostError(
          `Cannot open ${target} together with other files: open one folder at a time`,
        )
      }
      if (formatFromName(target) === null) throw notADataset(target)
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
    const checked: CheckedFile[] = []
    for (const target of sorted) checked.push(await checkedOrThrow(target, 'dataset-file'))
    const files = this.#issue(checked)
    const first = files[0] as DatasetFile
    return this.#remember({ name: first.name, path: first.path, isFolder: false, files }, [], null)
  }

  /** The source granted earlier at this path, so the renderer can only report what it was given. */
  sourceAt(sourcePath: string): DatasetSource | undefined {
    return this.#sources.get(sourcePath)
  }

  /**
   * Forgets every grant but those of `keep`: the page they were made for is gone (it reloaded,
   * navigated or closed), and the next page must not read what it was never given. `keep` holds the
   * sources granted for the next page that are still waiting to be handed to it.
   */
  revokeAll(keep: readonly DatasetSource[] = []): void {
    const keptIds = new Set(keep.flatMap((source) => source.files.map((file) => file.id)))
    const keptPaths = new Set(keep.map((source) => source.path))
    for (const id of [...this.#files.keys()]) if (!keptIds.has(id)) this.#files.delete(id)
    for (const sourcePath of [...this.#sources.keys()])
      if (!keptPaths.has(sourcePath)) this.#sources.delete(sourcePath)
  }

  /** Reads bytes [start, end) of a granted file; end is clamped to the size the file had when granted. */
  async read(fileId: string, start: number, end: number): Promise<Uint8Array> {
    const granted = typeof fileId === 'string' ? this.#files.get(fileId) : undefined
    if (!granted)
      throw new HostError(`Cannot read file ${String(fileId)}: it was not opened in this window`)
    const { file, realPath } = granted
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
      handle = await open(realPath, READ_FLAGS)
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

  async #grantSingle(filePath: string, rule: FileRule): Promise<Grant> {
    const file = this.#issue([await checkedOrThrow(filePath, rule)])[0] as DatasetFile
    return this.#remember(
      { name: file.name, path: file.path, isFolder: false, files: [file] },
      [],
      null,
    )
  }

  /** Gives each checked file an id the renderer can read it by; only whole, checked requests get here. */
  #issue(checked: readonly CheckedFile[]): DatasetFile[] {
    return checked.map(({ path: filePath, realPath, size }) => {
      const file: DatasetFile = {
        id: randomUUID(),
        name: path.basename(filePath),
        path: filePath,
        size,
      }
      this.#files.set(file.id, { file, realPath })
      return file
    })
  }

  #remember(source: DatasetSource, leftOut: readonly string[], notice: string | null): Grant {
    this.#sources.set(source.path, source)
    return { source, leftOut, notice }
  }
}

/** The refusal of a path that is neither a dataset file nor a folder. */
function notADataset(filePath: string): HostError {
  return new HostError(
    `Cannot open ${filePath}: RewardLens opens only ${formatList()} files and folders`,
  )
}

/** The file at `filePath` checked against `rule`, or a HostError naming it and why it was refused. */
async function checkedOrThrow(filePath: string, rule: FileRule): Promise<CheckedFile> {
  if (rule === 'dataset-file' && formatFromName(path.basename(filePath)) === null)
    throw notADataset(filePath)
  const checked = await checkFile(filePath, rule)
  if (typeof checked === 'string') throw new HostError(`Cannot open ${filePath}: it ${checked}`)
  return checked
}

/**
 * Checks that `filePath` leads to a regular file that `rule` allows, inside `realFolder` when one is
 * given (a folder's shards). Resolves to the file, or to why it was refused, worded to follow its name
 * ("is a link to ..."). Opening it here, not only stating it, makes an unreadable file fail now, with
 * its name, rather than at the first read.
 */
async function checkFile(
  filePath: string,
  rule: FileRule,
  realFolder?: string,
  hfBlobs: string | null = null,
): Promise<CheckedFile | string> {
  let realPath: string
  let isLink: boolean
  try {
    isLink = (await lstat(filePath)).isSymbolicLink()
    realPath = await realpath(filePath)
  } catch (error) {
    throw new HostError(`Cannot open ${filePath}: ${describeFsError(error)}`)
  }
  const info = await stat(realPath).catch((error: unknown) => {
    throw new HostError(`Cannot open ${filePath}: ${describeFsError(error)}`)
  })
  if (info.isDirectory()) return 'is a folder, not a file'
  const leadsTo = isLink ? `is a link to ${realPath}, which` : null
  if (!info.isFile()) return `${leadsTo ?? ''} is not a regular file`.trim()
  // A snapshot's file named like a dataset that links to a blob of its own cached dataset: the
  // blob has no extension of its own, so the link's name says what it is.
  const hfBlob = isLink && hfBlobs !== null && isHfBlob(hfBlobs, realPath)
  if (realFolder !== undefined && !isInside(realFolder, realPath) && !hfBlob) {
    return (
      `is a link to ${realPath}, outside the folder; ` +
      'RewardLens reads only shards inside the folder you chose'
    )
  }
  if (
    rule === 'dataset-file' &&
    leadsTo &&
    !hfBlob &&
    formatFromName(path.basename(realPath)) === null
  )
    return `${leadsTo} is not a ${formatList()} file`
  let size: number
  try {
    const handle = await open(realPath, READ_FLAGS)
    try {
      const opened = await handle.stat()
      // Checked again on what was opened: the path may have changed since it was stated.
      if (!opened.isFile()) return 'is not a regular file'
      size = opened.size
    } finally {
      await handle.close()
    }
  } catch (error) {
    throw new HostError(`Cannot open ${filePath}: ${describeFsError(error)}`)
  }
  return { path: filePath, realPath, size }
}

/**
 * Dataset files (by name) exactly `depth` levels below `folder`, as paths relative to it, hidden
 * files and folders left out. A subfolder named like a dataset file (Spark's `data.parquet/`), a
 * device, a pipe or a link that leads nowhere is not one.
 */
async function datasetFilesAt(folder: string, depth: number): Promise<string[]> {
  let entries: string[]
  try {
    entries = (await readdir(folder)).filter((name) => !name.startsWith('.'))
  } catch (error) {
    if (depth > 1) return []
    throw new HostError(`Cannot open ${folder}: ${describeFsError(error, 'folder')}`)
  }
  const found: string[] = []
  for (const name of entries) {
    // Only dataset names are stated at the last level: a folder of many other files costs nothing.
    if (depth === 1 && formatFromName(name) === null) continue
    const info = await stat(path.join(folder, name)).catch(() => null)
    if (depth === 1) {
      if (info?.isFile()) found.push(name)
    } else if (info?.isDirectory()) {
      const below = await datasetFilesAt(path.join(folder, name), depth - 1)
      found.push(...below.map((inner) => path.join(name, inner)))
    }
  }
  return found
}

/**
 * The blobs folder of the Hugging Face cache entry a real folder is a snapshot of, or null.
 *
 * `huggingface_hub` keeps a dataset as `<cache>/datasets--owner--name/blobs/<sha>` and shows each
 * revision as `snapshots/<revision>/...`, whose files are links to `../../blobs/<sha>` (deeper
 * for files in subfolders). Opening a snapshot is opening those blobs, so they may be read: only
 * regular files whose name is a hash, directly in the `blobs` folder of the same cache entry,
 * reached through a link whose own name is a dataset file's. Any other link that leads out of
 * the folder is still refused.
 */
export function hfBlobsFolder(realFolder: string): string | null {
  const parts = realFolder.split(path.sep)
  const at = parts.lastIndexOf('snapshots')
  const entry = parts[at - 1] ?? ''
  if (at < 1 || at + 1 >= parts.length || !/^(datasets|models|spaces)--./.test(entry)) return null
  return [...parts.slice(0, at), 'blobs'].join(path.sep)
}

/** True for a content-addressed blob (a git or SHA-256 hash as its name) directly in `blobs`. */
function isHfBlob(blobs: string, realPath: string): boolean {
  return (
    path.dirname(realPath) === blobs &&
    /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(path.basename(realPath))
  )
}

/** True when `realPath` lies inside `realFolder` (both already free of links). */
function isInside(realFolder: string, realPath: string): boolean {
  const relative = path.relative(realFolder, realPath)
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  )
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
