/**
 * Replacing a file atomically: readers (and the next start after a crash) see the old content or
 * the new, never a torn mix.
 */
import { randomBytes } from 'node:crypto'
import { open, readdir, rename, unlink } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'

/** Options for writeFileAtomic; `write` exists so tests can interrupt a write halfway. */
export interface AtomicWriteOptions {
  readonly write?: (handle: FileHandle, data: string | Uint8Array) => Promise<void>
}

/**
 * A fresh name for a temporary file beside `target`: hidden, and ending in `.tmp`, so it is never
 * taken for the file itself or for a dataset shard.
 *
 * It sits in the same folder because rename is atomic only within one file system.
 */
export function temporaryPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  )
}

/**
 * Deletes the temporary files of writes to `target` that a crash cut short; they are never read,
 * but they can be large. Call it only while no write to `target` is under way.
 */
export async function removeAbandonedWrites(target: string): Promise<void> {
  const folder = path.dirname(target)
  const prefix = `.${path.basename(target)}.`
  const abandoned = (name: string) =>
    name.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))
  const names = await readdir(folder).catch(() => [])
  await Promise.all(
    names.filter(abandoned).map((name) => unlink(path.join(folder, name)).catch(() => undefined)),
  )
}

/**
 * Replaces `target` with `data`: written to a temporary file beside it, flushed to disk, then
 * renamed over it. On failure the temporary file is removed and `target` is untouched.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const write = options.write ?? ((handle: FileHandle, bytes) => handle.writeFile(bytes))
  const temp = temporaryPathFor(target)
  let handle: FileHandle | undefined
  try {
    handle = await open(temp, 'wx')
    await write(handle, data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await rename(temp, target)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw error
  }
  await syncFolder(path.dirname(target))
}

/**
 * Flushes a folder's entries, so the rename itself survives a power cut.
 *
 * Best effort: Windows cannot open a folder for this, and the rename has happened either way.
 */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined
  try {
    handle = await open(folder, 'r')
    await handle.sync()
  } catch {
    // The new content is in place; only its durability across a power cut is less certain.
  } finally {
    await handle?.close().catch(() => undefined)
  }
}
