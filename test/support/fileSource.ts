/** Dataset sources over real files on disk, for engine tests: the Host's job, done by Node. */
import { open, readdir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { DatasetFile, DatasetSource } from '../../shared/host'

/** A source for one file or for several files read as one dataset. */
export async function fileSource(...paths: string[]): Promise<DatasetSource> {
  const files: DatasetFile[] = []
  for (const path of paths) {
    const info = await stat(path)
    files.push({ id: path, name: basename(path), path, size: info.size })
  }
  return { name: files[0]?.name ?? 'none', path: paths[0] ?? '', isFolder: false, files }
}

/** A source for every file in a folder, in name order. */
export async function folderSource(folder: string): Promise<DatasetSource> {
  const names = (await readdir(folder)).sort()
  const source = await fileSource(...names.map((n) => join(folder, n)))
  return { ...source, name: basename(folder), path: folder, isFolder: true }
}

/** Reads bytes [start, end) of a file; the file id is its path. */
export async function readFileBytes(id: string, start: number, end: number): Promise<Uint8Array> {
  const handle = await open(id, 'r')
  try {
    const length = Math.max(0, end - start)
    const buffer = new Uint8Array(length)
    let done = 0
    while (done < length) {
      const { bytesRead } = await handle.read(buffer, done, length - done, start + done)
      if (bytesRead === 0) break
      done += bytesRead
    }
    return buffer.subarray(0, done)
  } finally {
    await handle.close()
  }
}
