import { execFileSync } from 'node:child_process'
import { chmod, mkdir, mkdtemp, open, rm, symlink, unlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostError } from '../../../shared/host'
import {
  FileGrants,
  MAX_READ_BYTES,
  describeFsError,
  formatList,
  naturalCompare,
} from '../../../electron/main/grants'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-grants-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function touch(name: string, content = 'x'): Promise<string> {
  const file = path.join(dir, name)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, content)
  return file
}

const isRoot = process.getuid?.() === 0

describe('naturalCompare and formatList', () => {
  it('orders shards by their numbers', () => {
    const names = ['part-10.parquet', 'part-2.parquet', 'part-1.parquet', 'Part-3.parquet']
    expect(names.sort(naturalCompare)).toEqual([
      'part-1.parquet',
      'part-2.parquet',
      'Part-3.parquet',
      'part-10.parquet',
    ])
  })

  it('names the formats as the messages do', () => {
    expect(formatList()).toBe('.jsonl, .json, .parquet or .csv')
  })
})

describe('describeFsError', () => {
  it('says why in plain words', () => {
    expect(describeFsError({ code: 'ENOENT' })).toBe('the file does not exist')
    expect(describeFsError({ code: 'ENOENT' }, 'folder')).toBe('the folder does not exist')
    expect(describeFsError({ code: 'EACCES' })).toBe('permission denied')
    expect(describeFsError({ code: 'EPERM' })).toBe('permission denied')
    expect(describeFsError({ code: 'EISDIR' })).toBe('it is a folder, not a file')
    expect(describeFsError(new Error('disk on fire'))).toBe('disk on fire')
  })
})

describe('FileGrants.grantFile', () => {
  it('issues an opaque id, the name, full path and size', async () => {
    const file = await touch('train.jsonl', '{"a":1}\n{"a":2}\n')
    const { source, notice } = await new FileGrants().grantFile(file)
    expect(notice).toBeNull()
    expect(source).toMatchObject({ name: 'train.jsonl', path: file, isFolder: false })
    expect(source.files).toHaveLength(1)
    const [granted] = source.files
    expect(granted).toMatchObject({ name: 'train.jsonl', path: file, size: 16 })
    expect(granted?.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(granted?.id).not.toContain('train')
  })

  it('gives each grant its own id', async () => {
    const file = await touch('train.jsonl')
    const grants = new FileGrants()
    const first = (await grants.grantFile(file)).source.files[0]?.id
    const second = (await grants.grantFile(file)).source.files[0]?.id
    expect(first).not.toBe(second)
  })

  it('names the path when the file does not exist', async () => {
    const missing = path.join(dir, 'gone.jsonl')
    const attempt = new FileGrants().grantFile(missing)
    await expect(attempt).rejects.toBeInstanceOf(HostError)
    await expect(attempt).rejects.toThrow(`Cannot open ${missing}: the file does not exist`)
  })

  it('refuses a folder where a file was expected', async () => {
    await mkdir(path.join(dir, 'shards'))
    await expect(new FileGrants().grantFile(path.join(dir, 'shards'))).rejects.toThrow(
      `Cannot open ${path.join(dir, 'shards')}: it is a folder, not a file`,
    )
  })

  it.skipIf(isRoot)('says permission denied for an unreadable file', async () => {
    const file = await touch('locked.jsonl')
    await chmod(file, 0o000)
    await expect(new FileGrants().grantFile(file)).rejects.toThrow(
      `Cannot open ${file}: permission denied`,
    )
  })

  it('resolves a relative path to an absolute one', async () => {
    const file = await touch('rel.csv')
    const relative = path.relative(process.cwd(), file)
    expect((await new FileGrants().grantFile(relative)).source.path).toBe(file)
  })
})

describe('FileGrants.read', () => {
  async function grantedId(grants: FileGrants, content: string): Promise<string> {
    const { source } = await grants.grantFile(await touch('data.jsonl', content))
    return source.files[0]?.id ?? ''
  }

  it('reads exactly the bytes asked for', async () => {
    const grants = new FileGrants()
    const id = await grantedId(grants, 'hello, rewards')
    expect(new TextDecoder().decode(await grants.read(id, 0, 5))).toBe('hello')
    expect(new TextDecoder().decode(await grants.read(id, 7, 14))).toBe('rewards')
  })

  it('clamps the end to the size and reads nothing past it', async () => {
    const grants = new FileGrants()
    const id = await grantedId(grants, '0123456789')
    expect(new TextDecoder().decode(await grants.read(id, 6, 1_000))).toBe('6789')
    expect(await grants.read(id, 10, 20)).toHaveLength(0)
    expect(await grants.read(id, 50, 60)).toHaveLength(0)
    expect(await grants.read(id, 3, 3)).toHaveLength(0)
  })

  it('refuses an id it never issued', async () => {
    const grants = new FileGrants()
    await expect(grants.read('/etc/passwd', 0, 10)).rejects.toThrow(/not opened in this window/)
    await expect(grants.read('/etc/passwd', 0, 10)).rejects.toBeInstanceOf(HostError)
  })

  it('refuses negative, fractional and reversed ranges', async () => {
    const grants = new FileGrants()
    const id = await grantedId(grants, '0123456789')
    await expect(grants.read(id, -1, 5)).rejects.toThrow(/whole numbers, 0 or more/)
    await expect(grants.read(id, 0, -5)).rejects.toThrow(/whole numbers, 0 or more/)
    await expect(grants.read(id, 0.5, 5)).rejects.toThrow(/whole numbers/)
    await expect(grants.read(id, Number.NaN, 5)).rejects.toThrow(/whole numbers/)
    await expect(grants.read(id, 6, 2)).rejects.toThrow(/end is before the start/)
  })

  it('refuses a single read larger than the bound', async () => {
    const file = path.join(dir, 'huge.parquet')
    const handle = await open(file, 'w')
    await handle.truncate(MAX_READ_BYTES + 1024) // sparse: costs no disk
    await handle.close()
    const grants = new FileGrants()
    const id = (await grants.grantFile(file)).source.files[0]?.id ?? ''
    await expect(grants.read(id, 0, MAX_READ_BYTES + 1024)).rejects.toThrow(/at most/)
    expect(await grants.read(id, MAX_READ_BYTES, MAX_READ_BYTES + 4)).toEqual(new Uint8Array(4))
  })

  it('says so when a granted file was deleted since', async () => {
    const grants = new FileGrants()
    const file = await touch('vanishing.jsonl', 'abc')
    const id = (await grants.grantFile(file)).source.files[0]?.id ?? ''
    await unlink(file)
    await expect(grants.read(id, 0, 3)).rejects.toThrow(
      `Cannot read ${file}: the file does not exist`,
    )
  })

  it('returns what is left when a granted file shrank', async () => {
    const grants = new FileGrants()
    const file = await touch('shrinking.jsonl', 'abcdef')
    const id = (await grants.grantFile(file)).source.files[0]?.id ?? ''
    await writeFile(file, 'ab')
    expect(new TextDecoder().decode(await grants.read(id, 0, 6))).toBe('ab')
  })
})

describe('FileGrants.grantFolder', () => {
  it('takes the dataset shards in natural order and ignores the rest', async () => {
    await touch('shards/part-10.parquet')
    await touch('shards/part-2.parquet')
    await touch('shards/part-1.parquet')
    await touch('shards/README.md')
    await touch('shards/_SUCCESS')
    await touch('shards/.part-1.parquet.crc')
    await touch('shards/.hidden.parquet')
    await mkdir(path.join(dir, 'shards', 'nested.parquet'))
    const folder = path.join(dir, 'shards')
    const { source, leftOut, notice } = await new FileGrants().grantFolder(folder)
    expect(source).toMatchObject({ name: 'shards', path: folder, isFolder: true })
    expect(source.files.map((file) => file.name)).toEqual([
      'part-1.parquet',
      'part-2.parquet',
      'part-10.parquet',
    ])
    expect(source.files.map((file) => file.path)).toEqual(
      source.files.map((file) => path.join(folder, file.name)),
    )
    expect(leftOut).toEqual([])
    expect(notice).toBeNull()
  })

  it('takes the most common format of a mixed folder and says what it left out', async () => {
    await touch('mixed/a.jsonl')
    await touch('mixed/b.jsonl')
    await touch('mixed/c.ndjson')
    await touch('mixed/summary.csv')
    const { source, leftOut, notice } = await new FileGrants().grantFolder(path.join(dir, 'mixed'))
    expect(source.files.map((file) => file.name)).toEqual(['a.jsonl', 'b.jsonl', 'c.ndjson'])
    expect(leftOut).toEqual(['summary.csv'])
    expect(notice).toBe(
      'Opened 3 .jsonl files from mixed; left out 1 file of another format: summary.csv.',
    )
  })

  it('prefers Parquet when formats are tied', async () => {
    await touch('tied/data.csv')
    await touch('tied/data.parquet')
    const { source, leftOut } = await new FileGrants().grantFolder(path.join(dir, 'tied'))
    expect(source.files.map((file) => file.name)).toEqual(['data.parquet'])
    expect(leftOut).toEqual(['data.csv'])
  })

  it('refuses a folder without dataset files, naming it', async () => {
    await touch('docs/README.md')
    await touch('docs/.secret.jsonl')
    const folder = path.join(dir, 'docs')
    await expect(new FileGrants().grantFolder(folder)).rejects.toThrow(
      new HostError(`No .jsonl, .json, .parquet or .csv files in ${folder}`),
    )
  })

  it('refuses a missing folder and a file given as a folder', async () => {
    const missing = path.join(dir, 'nowhere')
    await expect(new FileGrants().grantFolder(missing)).rejects.toThrow(
      `Cannot open ${missing}: the folder does not exist`,
    )
    const file = await touch('plain.jsonl')
    await expect(new FileGrants().grantFolder(file)).rejects.toThrow(
      `Cannot open ${file}: it is a file, not a folder`,
    )
  })
})

describe('FileGrants.grantPath and grantPaths', () => {
  it('opens a file as a file and a folder as a folder', async () => {
    const file = await touch('one/x.json', '[]')
    const grants = new FileGrants()
    expect((await grants.grantPath(file)).source.isFolder).toBe(false)
    expect((await grants.grantPath(path.dirname(file))).source.isFolder).toBe(true)
  })

  it('returns null when nothing usable was dropped', async () => {
    expect(await new FileGrants().grantPaths([])).toBeNull()
    expect(await new FileGrants().grantPaths([''])).toBeNull()
  })

  it('makes several files of one format one source named after the first', async () => {
    const b = await touch('drop/train-10.jsonl')
    const a = await touch('drop/train-9.jsonl')
    const { source } = (await new FileGrants().grantPaths([b, a, b])) ?? {}
    expect(source).toMatchObject({ name: 'train-9.jsonl', path: a, isFolder: false })
    expect(source?.files.map((file) => file.name)).toEqual(['train-9.jsonl', 'train-10.jsonl'])
  })

  it('opens one dropped folder as that folder', async () => {
    await touch('dropped/part-0.parquet')
    const { source } = (await new FileGrants().grantPaths([path.join(dir, 'dropped')])) ?? {}
    expect(source).toMatchObject({ name: 'dropped', isFolder: true })
  })

  it('refuses files of different formats dropped together', async () => {
    const a = await touch('a.jsonl')
    const b = await touch('b.csv')
    await expect(new FileGrants().grantPaths([a, b])).rejects.toThrow(
      /a\.jsonl, b\.csv as one dataset/,
    )
  })

  it('refuses a folder dropped together with files', async () => {
    const a = await touch('a.jsonl')
    await mkdir(path.join(dir, 'more'))
    await expect(new FileGrants().grantPaths([a, path.join(dir, 'more')])).rejects.toThrow(
      /one folder at a time/,
    )
  })

  it('names the missing file among several', async () => {
    const a = await touch('a.jsonl')
    const missing = path.join(dir, 'b.jsonl')
    await expect(new FileGrants().grantPaths([a, missing])).rejects.toThrow(
      `Cannot open ${missing}: the file does not exist`,
    )
  })

  it('remembers every granted source by its path, and only those', async () => {
    const file = await touch('kept.jsonl')
    const grants = new FileGrants()
    const { source } = await grants.grantPath(file)
    expect(grants.sourceAt(file)).toBe(source)
    expect(grants.sourceAt(path.join(dir, 'other.jsonl'))).toBeUndefined()
  })
})

/**
 * Paths named outside a dialog (a drop, the command line) come from the renderer in the case that
 * matters: a compromised page can send any list of paths over IPC. Only dataset files and folders
 * may come out of it; symbolic links are judged by where they lead.
 */
describe('FileGrants refuses what is not a dataset', () => {
  /** A secret outside any dataset: /etc/shadow in miniature. */
  async function secret(): Promise<string> {
    return touch('outside/shadow', 'root:$6$hash:19000:0:99999:7:::\n')
  }

  async function link(target: string, name: string): Promise<string> {
    const at = path.join(dir, name)
    await mkdir(path.dirname(at), { recursive: true })
    await symlink(target, at)
    return at
  }

  /** Expects the grant to be refused with `message`, and nothing at `refused` to be remembered. */
  async function expectRefused(
    grants: FileGrants,
    attempt: Promise<unknown>,
    message: string,
    refused: string,
  ): Promise<void> {
    await expect(attempt).rejects.toThrow(new HostError(message))
    expect(grants.sourceAt(refused)).toBeUndefined()
  }

  it('refuses a file without a dataset extension, alone or among dataset files', async () => {
    const shadow = await secret()
    const train = await touch('train.jsonl')
    const grants = new FileGrants()
    const refusal = `Cannot open ${shadow}: RewardLens opens only .jsonl, .json, .parquet or .csv files and folders`
    await expectRefused(grants, grants.grantPaths([shadow]), refusal, shadow)
    await expectRefused(grants, grants.grantPaths([train, shadow]), refusal, train)
  })

  it('refuses a device, even one given a dataset name', async () => {
    const grants = new FileGrants()
    await expectRefused(
      grants,
      grants.grantPaths(['/dev/null']),
      'Cannot open /dev/null: RewardLens opens only .jsonl, .json, .parquet or .csv files and folders',
      '/dev/null',
    )
    const named = await link('/dev/null', 'null.jsonl')
    await expectRefused(
      grants,
      grants.grantPaths([named]),
      `Cannot open ${named}: it is a link to /dev/null, which is not a regular file`,
      named,
    )
  })

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const fifo = path.join(dir, 'pipe.jsonl')
    execFileSync('mkfifo', [fifo])
    const grants = new FileGrants()
    const refusal = `Cannot open ${fifo}: it is not a regular file`
    await expectRefused(grants, grants.grantPaths([fifo]), refusal, fifo)
    // Not even a dialog's choice may hang the main process on a pipe.
    await expectRefused(grants, grants.grantFile(fifo), refusal, fifo)
  })

  it('refuses a dataset-named link to a file that is not a dataset', async () => {
    const shadow = await secret()
    const named = await link(shadow, 'drop/train.jsonl')
    const grants = new FileGrants()
    await expectRefused(
      grants,
      grants.grantPaths([named]),
      `Cannot open ${named}: it is a link to ${shadow}, which is not a .jsonl, .json, .parquet or .csv file`,
      named,
    )
  })

  it('opens a link to a dataset file, reading the file it leads to', async () => {
    const real = await touch('elsewhere/real.jsonl', '{"reward":1}\n')
    const named = await link(real, 'drop/train.jsonl')
    const grants = new FileGrants()
    const { source } = (await grants.grantPaths([named])) ?? {}
    expect(source).toMatchObject({ name: 'train.jsonl', path: named })
    const id = source?.files[0]?.id ?? ''
    expect(new TextDecoder().decode(await grants.read(id, 0, 100))).toBe('{"reward":1}\n')
  })

  it('refuses a folder with a shard that links outside it, even to a dataset file', async () => {
    const shadow = await secret()
    const outsideData = await touch('outside/other.jsonl')
    await touch('shards/part-1.jsonl')
    const folder = path.join(dir, 'shards')
    const grants = new FileGrants()
    const toSecret = await link(shadow, 'shards/part-2.jsonl')
    const message = (shard: string, target: string) =>
      `Cannot open ${folder}: ${path.basename(shard)} is a link to ${target}, outside the folder; ` +
      'RewardLens reads only shards inside the folder you chose'
    await expectRefused(grants, grants.grantFolder(folder), message(toSecret, shadow), folder)
    await expectRefused(grants, grants.grantPaths([folder]), message(toSecret, shadow), folder)
    await unlink(toSecret)
    const toData = await link(outsideData, 'shards/part-3.jsonl')
    await expectRefused(grants, grants.grantFolder(folder), message(toData, outsideData), folder)
  })

  it('refuses a folder with a dataset-named link to a file inside it that is not a dataset', async () => {
    await touch('shards/part-1.jsonl')
    const notes = await touch('shards/notes/private.txt')
    const folder = path.join(dir, 'shards')
    await link(notes, 'shards/part-2.jsonl')
    const grants = new FileGrants()
    await expectRefused(
      grants,
      grants.grantFolder(folder),
      `Cannot open ${folder}: part-2.jsonl is a link to ${notes}, which is not a .jsonl, .json, .parquet or .csv file`,
      folder,
    )
  })

  it('opens a folder whose links stay inside it, and a linked folder', async () => {
    const first = await touch('shards/data/part-1.jsonl')
    await link(first, 'shards/part-1.jsonl')
    await touch('shards/part-2.jsonl')
    const folder = path.join(dir, 'shards')
    const grants = new FileGrants()
    const { source } = await grants.grantFolder(folder)
    expect(source.files.map((file) => file.name)).toEqual(['part-1.jsonl', 'part-2.jsonl'])
    const linked = await link(folder, 'linked')
    const again = (await grants.grantPaths([linked]))?.source
    expect(again).toMatchObject({ path: linked, isFolder: true })
    expect(again?.files).toHaveLength(2)
  })

  it('finds the shards of a folder that keeps them below it (data/), by their path inside', async () => {
    await touch('snap/README.md', '# card')
    await touch('snap/data/train-00000-of-00002.parquet')
    await touch('snap/data/train-00001-of-00002.parquet')
    await touch('snap/data/test-00000-of-00001.parquet')
    await touch('snap/.cache/hidden.parquet')
    const { source } = await new FileGrants().grantFolder(path.join(dir, 'snap'))
    expect(source.files.map((file) => path.relative(path.join(dir, 'snap'), file.path))).toEqual([
      path.join('data', 'test-00000-of-00001.parquet'),
      path.join('data', 'train-00000-of-00002.parquet'),
      path.join('data', 'train-00001-of-00002.parquet'),
    ])
  })

  describe('a Hugging Face cache snapshot, whose files link to ../blobs', () => {
    const sha = 'a'.repeat(64)
    const entry = 'hub/datasets--acme--code-rl'
    const snapshot = path.join(entry, 'snapshots', '0123abcd')

    it('opens: each shard reads the blob of its own cache entry it links to', async () => {
      const blob = await touch(path.join(entry, 'blobs', sha), '{"reward":1}\n')
      const other = await touch(path.join(entry, 'blobs', 'b'.repeat(40)), '{"reward":2}\n')
      await link(
        path.join('..', '..', '..', 'blobs', sha),
        path.join(snapshot, 'data', 'train.jsonl'),
      )
      await link(
        path.join('..', '..', '..', 'blobs', 'b'.repeat(40)),
        path.join(snapshot, 'data', 'test.jsonl'),
      )
      await touch(path.join(snapshot, 'README.md'))
      const grants = new FileGrants()
      const { source } = await grants.grantFolder(path.join(dir, snapshot))
      expect(source.files.map((file) => file.name)).toEqual(['test.jsonl', 'train.jsonl'])
      const read = async (i: number) =>
        new TextDecoder().decode(await grants.read(source.files[i]?.id ?? '', 0, 100))
      expect([await read(0), await read(1)]).toEqual(['{"reward":2}\n', '{"reward":1}\n'])
      expect([blob, other]).toHaveLength(2)
    })

    it('still refuses a link out of the snapshot to anything but a blob of its entry', async () => {
      const shadow = await secret()
      await touch(path.join('hub/datasets--other--set/blobs', sha))
      const folder = path.join(dir, snapshot)
      const shard = path.join(snapshot, 'data', 'train.jsonl')
      const grants = new FileGrants()
      const refusedFor = (target: string) =>
        `Cannot open ${folder}: ${path.join('data', 'train.jsonl')} is a link to ${target}, outside the folder; ` +
        'RewardLens reads only shards inside the folder you chose'
      // A file elsewhere, a blob of another cached dataset, a blob not named by a hash.
      const elsewhere = path.join(dir, 'hub/datasets--other--set/blobs', sha)
      const unnamed = await touch(path.join(entry, 'blobs', 'notes.txt'))
      for (const target of [shadow, elsewhere, unnamed]) {
        const at = await link(target, shard)
        await expectRefused(grants, grants.grantFolder(folder), refusedFor(target), folder)
        await unlink(at)
      }
    })
  })
})

describe('FileGrants.revokeAll', () => {
  it('forgets every grant and source but those kept for the next page', async () => {
    const gone = await touch('gone.jsonl', 'old page')
    const kept = await touch('kept/part-1.jsonl', 'next page')
    const grants = new FileGrants()
    const old = (await grants.grantFile(gone)).source
    const waiting = (await grants.grantPath(path.dirname(kept))).source
    grants.revokeAll([waiting])
    await expect(grants.read(old.files[0]?.id ?? '', 0, 8)).rejects.toThrow(
      /not opened in this window/,
    )
    expect(grants.sourceAt(gone)).toBeUndefined()
    expect(grants.sourceAt(waiting.path)).toBe(waiting)
    const id = waiting.files[0]?.id ?? ''
    expect(new TextDecoder().decode(await grants.read(id, 0, 9))).toBe('next page')
    grants.revokeAll()
    await expect(grants.read(id, 0, 9)).rejects.toThrow(/not opened in this window/)
    expect(grants.sourceAt(waiting.path)).toBeUndefined()
  })
})
