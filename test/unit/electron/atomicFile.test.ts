import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  removeAbandonedWrites,
  temporaryPathFor,
  writeFileAtomic,
} from '../../../electron/main/atomicFile'

let dir: string
let file: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-atomic-'))
  file = path.join(dir, 'train.jsonl.rewardlens.json')
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('temporaryPathFor', () => {
  it('names a fresh hidden .tmp file in the same folder', () => {
    const first = temporaryPathFor(file)
    expect(path.dirname(first)).toBe(dir)
    expect(path.basename(first)).toMatch(/^\.train\.jsonl\.rewardlens\.json\.[0-9a-f]{12}\.tmp$/)
    expect(temporaryPathFor(file)).not.toBe(first)
  })
})

describe('writeFileAtomic', () => {
  it('creates a file, then replaces it, leaving no temporary file', async () => {
    await writeFileAtomic(file, 'first')
    await writeFileAtomic(file, new TextEncoder().encode('second'))
    expect(await readFile(file, 'utf8')).toBe('second')
    expect(await readdir(dir)).toEqual(['train.jsonl.rewardlens.json'])
  })

  it('leaves the old file intact and no temporary file when the write is interrupted', async () => {
    await writeFile(file, 'old')
    const interrupted = writeFileAtomic(file, 'new content', {
      write: async (handle, data) => {
        await handle.writeFile(data.slice(0, 3))
        throw new Error('ENOSPC: no space left on device')
      },
    })
    await expect(interrupted).rejects.toThrow('ENOSPC')
    expect(await readFile(file, 'utf8')).toBe('old')
    expect(await readdir(dir)).toEqual(['train.jsonl.rewardlens.json'])
  })

  it('fails without a trace when the folder does not exist', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'a.json'), '{}')).rejects.toThrow(
      /ENOENT/,
    )
    expect(await readdir(dir)).toEqual([])
  })

  it('fails without a trace when the target is a folder', async () => {
    await mkdir(file)
    await expect(writeFileAtomic(file, '{}')).rejects.toThrow(/EISDIR/)
    expect(await readdir(dir)).toEqual(['train.jsonl.rewardlens.json'])
  })
})

describe('removeAbandonedWrites', () => {
  it('deletes the temporary files of cut-short writes to the file, and nothing else', async () => {
    const keep = [
      'train.jsonl.rewardlens.json',
      '.other.json.0123456789ab.tmp',
      '.train.jsonl.rewardlens.json.notes.tmp',
      'train.jsonl',
    ]
    for (const name of keep) await writeFile(path.join(dir, name), 'x')
    await writeFile(temporaryPathFor(file), 'half')
    await writeFile(temporaryPathFor(file), 'half')
    await removeAbandonedWrites(file)
    expect((await readdir(dir)).sort()).toEqual([...keep].sort())
  })

  it('does nothing when the folder does not exist', async () => {
    await expect(
      removeAbandonedWrites(path.join(dir, 'missing', 'a.json')),
    ).resolves.toBeUndefined()
  })
})
