/** Test re-run results on disk: beside the dataset, in the data folder when that is read-only, never an error when damaged. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  readRerunSidecar,
  rerunSidecarPaths,
  writeRerunSidecar,
} from '../../../electron/main/rerunSidecar'
import { formatFromName } from '../../../shared/host'
import type { DatasetSource } from '../../../shared/host'
import type { RerunDocument } from '../../../shared/rerun'

let folder: string
let source: DatasetSource

const DOC: RerunDocument = {
  version: 1,
  entries: [{ row: 3, item: 7, hash: 'a'.repeat(64), result: { status: 'pass' } }],
}

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rl-rerun-sidecar-'))
  const file = join(folder, 'data', 'train.jsonl')
  source = {
    name: 'train.jsonl',
    path: file,
    isFolder: false,
    files: [{ id: 'f', name: 'train.jsonl', path: file, size: 1 }],
  }
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('re-run sidecar', () => {
  it('is written beside the dataset and read back', async () => {
    await mkdir(join(folder, 'data'))
    const where = await writeRerunSidecar(source, join(folder, 'app'), DOC)
    expect(where).toBe(`${source.path}.rewardlens-rerun.json`)
    expect(await readRerunSidecar(source, join(folder, 'app'))).toEqual(DOC)
  })

  it('goes to the data folder when the dataset folder cannot take it', async () => {
    // The dataset's folder does not exist, so nothing can be written beside it.
    const where = await writeRerunSidecar(source, join(folder, 'app'), DOC)
    expect(where).toBe(rerunSidecarPaths(source, join(folder, 'app')).fallback)
    expect(await readRerunSidecar(source, join(folder, 'app'))).toEqual(DOC)
  })

  it('ignores a damaged file instead of failing the open', async () => {
    await mkdir(join(folder, 'data'))
    await writeFile(
      `${source.path}.rewardlens-rerun.json`,
      '{"version": 1, "entries": [{"row": -1}]}',
    )
    expect(await readRerunSidecar(source, join(folder, 'app'))).toBeNull()
    // Still there for a person to look at; the next run replaces it.
    expect(await readFile(`${source.path}.rewardlens-rerun.json`, 'utf8')).toContain('"row": -1')
  })

  it('is never taken for a dataset shard', () => {
    expect(formatFromName('train.jsonl.rewardlens-rerun.json')).toBeNull()
    expect(formatFromName('.rewardlens-rerun.json')).toBeNull()
  })
})
