import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process'
import { once } from 'node:events'
import { statSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { FileGrants } from '../../../electron/main/grants'
import { readSidecar, sidecarPaths, writeSidecar } from '../../../electron/main/sidecar'
import { type FlagsDocument, parseFlags } from '../../../shared/flags'
import { type DatasetSource, HostError } from '../../../shared/host'

/** Holds the bundled child writer; readable by every user, for the read-only folder test. */
let tools: string
let writer: string
let dir: string
let dataDir: string
const children = new Set<ChildProcess>()

beforeAll(async () => {
  tools = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-sidecar-tools-'))
  await chmod(tools, 0o755)
  writer = path.join(tools, 'sidecarWriter.mjs')
  await build({
    entryPoints: [fileURLToPath(new URL('../../support/sidecarWriter.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: writer,
    logLevel: 'silent',
  })
})

afterAll(async () => {
  await rm(tools, { recursive: true, force: true })
})

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-sidecar-'))
  dataDir = path.join(dir, 'app-data')
})

afterEach(async () => {
  vi.restoreAllMocks()
  // A failed test may leave its writer running; it must not write into the next test's folders.
  for (const child of children) child.kill('SIGKILL')
  children.clear()
  await chmod(dir, 0o755)
  await rm(dir, { recursive: true, force: true })
})

/** A single-file source at `relative` inside the test folder (the file itself is not needed). */
function fileAt(relative: string): DatasetSource {
  const file = path.join(dir, relative)
  return {
    name: path.basename(file),
    path: file,
    isFolder: false,
    files: [{ id: 'a', name: path.basename(file), path: file, size: 10 }],
  }
}

const flagsDoc = (note = 'wrong language', rows: readonly number[] = [3]): FlagsDocument => ({
  version: 1,
  dataset: { name: 'train.jsonl', size: 10 },
  flags: rows.map((row) => ({ row, hash: `h${row}`, note, at: '2026-11-21T12:00:00.000Z' })),
})

/** The HostError a promise rejects with. */
async function hostError(promise: Promise<unknown>): Promise<HostError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(HostError)
  return error as HostError
}

describe('sidecarPaths', () => {
  it('puts a file’s flags beside it and a folder’s inside it, hidden', () => {
    expect(sidecarPaths(fileAt('train.jsonl'), dataDir).beside).toBe(
      path.join(dir, 'train.jsonl.rewardlens.json'),
    )
    const folder = { ...fileAt('shards'), isFolder: true }
    expect(sidecarPaths(folder, dataDir).beside).toBe(path.join(dir, 'shards', '.rewardlens.json'))
  })

  it('names the fallback in the data folder by a hash of the dataset path', () => {
    const { fallback } = sidecarPaths(fileAt('train.jsonl'), dataDir)
    expect(path.dirname(fallback)).toBe(dataDir)
    expect(path.basename(fallback)).toMatch(/^[0-9a-f]{32}\.rewardlens\.json$/)
    expect(sidecarPaths(fileAt('other.jsonl'), dataDir).fallback).not.toBe(fallback)
  })
})

describe('writeSidecar and readSidecar', () => {
  it('find no flags for a dataset that has none, even before the data folder exists', async () => {
    expect(await readSidecar(fileAt('train.jsonl'), dataDir)).toBeNull()
  })

  it('save flags beside the file and read them back', async () => {
    const source = fileAt('train.jsonl')
    const beside = path.join(dir, 'train.jsonl.rewardlens.json')
    expect((await writeSidecar(source, dataDir, flagsDoc())).location).toBe(beside)
    expect(await readSidecar(source, dataDir)).toEqual({ document: flagsDoc(), location: beside })
    const text = await readFile(beside, 'utf8')
    expect(text.endsWith('}\n')).toBe(true)
    expect(JSON.parse(text)).toEqual(flagsDoc())
    expect(await readdir(dir)).toEqual(['train.jsonl.rewardlens.json'])
  })

  it('replace the saved flags on every change', async () => {
    const source = fileAt('train.jsonl')
    await writeSidecar(source, dataDir, flagsDoc('first'))
    await writeSidecar(source, dataDir, flagsDoc('second', [1, 3]))
    expect((await readSidecar(source, dataDir))?.document).toEqual(flagsDoc('second', [1, 3]))
  })

  it('keep a folder’s flags inside it, where opening the folder does not take them for a shard', async () => {
    const folder = path.join(dir, 'shards')
    await mkdir(folder)
    await writeFile(path.join(folder, 'part-1.json'), '{"a":1}\n')
    await writeFile(path.join(folder, 'part-2.json'), '{"a":2}\n')
    const source = (await new FileGrants().grantFolder(folder)).source
    expect((await writeSidecar(source, dataDir, flagsDoc())).location).toBe(
      path.join(folder, '.rewardlens.json'),
    )
    expect((await readSidecar(source, dataDir))?.document).toEqual(flagsDoc())
    const again = await new FileGrants().grantFolder(folder)
    expect(again.source.files.map((file) => file.name)).toEqual(['part-1.json', 'part-2.json'])
    expect(again.notice).toBeNull()
  })

  it('write in the order asked, so the last change is the one on disk', async () => {
    const source = fileAt('train.jsonl')
    const writes = Array.from({ length: 20 }, (_, n) =>
      writeSidecar(source, dataDir, flagsDoc(`change ${n}`)),
    )
    await Promise.all(writes)
    expect((await readSidecar(source, dataDir))?.document).toEqual(flagsDoc('change 19'))
  })
})

describe('the fallback in the app’s data folder', () => {
  it('takes the flags when the dataset’s folder cannot be written to', async () => {
    // The data "folder" is a file, so creating anything in it fails with ENOTDIR, even as root.
    await writeFile(path.join(dir, 'not-a-folder'), 'x')
    const source = fileAt('not-a-folder/train.jsonl')
    const { fallback } = sidecarPaths(source, dataDir)
    expect((await writeSidecar(source, dataDir, flagsDoc())).location).toBe(fallback)
    expect(await readSidecar(source, dataDir)).toEqual({
      document: flagsDoc(),
      location: fallback,
    })
  })

  it.skipIf(!canTestReadOnly())(
    'takes the flags when the dataset’s folder is read-only to the user',
    async () => {
      // Root may write anywhere, so the writer runs as `nobody` when the tests run as root.
      const uid = process.getuid?.()
      const data = path.join(dir, 'read-only')
      await mkdir(data)
      await mkdir(dataDir, { mode: 0o777 })
      await chmod(dataDir, 0o777)
      await chmod(dir, 0o755)
      await chmod(data, 0o555)
      const source = fileAt('read-only/train.jsonl')
      const child = runWriter(['once', JSON.stringify(source), dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(uid === 0 ? { uid: 65534, gid: 65534 } : {}),
      })
      const [out, err] = await Promise.all([text(child.stdout), text(child.stderr)])
      expect(err).toBe('')
      const { fallback } = sidecarPaths(source, dataDir)
      expect(out).toBe(fallback)
      expect(await readdir(data)).toEqual([])
      expect((await readSidecar(source, dataDir))?.location).toBe(fallback)
    },
  )

  it('loses to a sidecar beside the data that was written later, and wins over an older one', async () => {
    const source = fileAt('train.jsonl')
    const { beside, fallback } = sidecarPaths(source, dataDir)
    await mkdir(dataDir)
    await writeFile(beside, JSON.stringify(flagsDoc('beside')))
    await writeFile(fallback, JSON.stringify(flagsDoc('fallback')))
    const earlier = new Date('2026-11-20T00:00:00Z')
    const later = new Date('2026-11-21T00:00:00Z')
    await utimes(beside, earlier, earlier)
    await utimes(fallback, later, later)
    expect(await readSidecar(source, dataDir)).toEqual({
      document: flagsDoc('fallback'),
      location: fallback,
    })
    await utimes(beside, later, later)
    expect((await readSidecar(source, dataDir))?.location).toBe(beside)
  })

  it('sets aside an older damaged sidecar, so a later write cannot replace it', async () => {
    const source = fileAt('train.jsonl')
    const { beside, fallback } = sidecarPaths(source, dataDir)
    await mkdir(dataDir)
    await writeFile(beside, '{"version": 1, "fla')
    await writeFile(fallback, JSON.stringify(flagsDoc('fallback')))
    const earlier = new Date('2026-11-20T00:00:00Z')
    await utimes(beside, earlier, earlier)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect((await readSidecar(source, dataDir))?.document).toEqual(flagsDoc('fallback'))
    const [aside] = (await readdir(dir)).filter((name) => name.includes('.damaged-'))
    expect(await readFile(path.join(dir, aside ?? ''), 'utf8')).toBe('{"version": 1, "fla')
    expect(warn).toHaveBeenCalledExactlyOnceWith(expect.stringContaining(aside ?? ''))
    await writeSidecar(source, dataDir, flagsDoc('next'))
    expect(await readFile(path.join(dir, aside ?? ''), 'utf8')).toBe('{"version": 1, "fla')
  })

  it('fails with both places and both reasons when neither can be written', async () => {
    await writeFile(path.join(dir, 'not-a-folder'), 'x')
    const source = fileAt('not-a-folder/train.jsonl')
    const error = await hostError(
      writeSidecar(source, path.join(dir, 'not-a-folder', 'app-data'), flagsDoc()),
    )
    expect(error.message).toMatch(/^Cannot save the flags of train\.jsonl: not at .*not-a-folder/)
    expect(error.message).toContain('part of the path is not a folder')
    expect(await readdir(dir)).toEqual(['not-a-folder'])
  })
})

describe('a damaged sidecar', () => {
  const cases: [string, string, RegExp][] = [
    ['text that is not JSON', '{"version": 1, "flags": [', /it is not valid JSON/],
    ['JSON that is not a flags document', '{"version": 1, "flags": "none"}', /not a RewardLens/],
  ]
  it.each(cases)(
    'holding %s is moved aside, never overwritten, and reported',
    async (_, bad, why) => {
      const source = fileAt('train.jsonl')
      const { beside } = sidecarPaths(source, dataDir)
      await writeFile(beside, bad)
      const error = await hostError(readSidecar(source, dataDir))
      expect(error.message).toMatch(why)
      const [aside] = (await readdir(dir)).filter((name) => name.includes('.damaged-'))
      expect(aside).toMatch(/^train\.jsonl\.rewardlens\.json\.damaged-\d{4}-\d\d-\d\dT[\d-]+Z$/)
      expect(error.message).toContain(path.join(dir, aside ?? ''))
      expect(await readFile(path.join(dir, aside ?? ''), 'utf8')).toBe(bad)
      // The next open starts without flags, and the next save leaves the damaged copy alone.
      expect(await readSidecar(source, dataDir)).toBeNull()
      await writeSidecar(source, dataDir, flagsDoc())
      expect((await readdir(dir)).sort()).toEqual([aside, 'train.jsonl.rewardlens.json'].sort())
    },
  )
})

describe('a sidecar another writer changed since it was read', () => {
  it('is merged with this window’s flags, not overwritten', async () => {
    const source = fileAt('train.jsonl')
    const { beside } = sidecarPaths(source, dataDir)
    await writeSidecar(source, dataDir, flagsDoc('mine', [3]))
    expect((await readSidecar(source, dataDir))?.document.flags.map((f) => f.row)).toEqual([3])
    // A second machine on a shared folder adds row 5 and rewrites row 3's note; this window
    // adds row 7 and leaves row 3 alone.
    await writeFile(beside, JSON.stringify(flagsDoc('theirs', [3, 5])))
    const saved = await writeSidecar(source, dataDir, flagsDoc('mine', [3, 7]))
    expect(saved.document.flags.map((f) => [f.row, f.note])).toEqual([
      [3, 'theirs'],
      [5, 'theirs'],
      [7, 'mine'],
    ])
    const onDisk = parseFlags(JSON.parse(await readFile(beside, 'utf8')))
    expect(onDisk?.flags.map((f) => f.row)).toEqual([3, 5, 7])
  })
})

describe('a sidecar replaced since it was read by one this build cannot read', () => {
  it('of a newer format is never overwritten; a damaged one is set aside first', async () => {
    const source = fileAt('train.jsonl')
    const { beside } = sidecarPaths(source, dataDir)
    await writeSidecar(source, dataDir, flagsDoc('mine', [3]))
    const newer = '{"version": 2, "flags": [], "labels": ["theirs"]}'
    await writeFile(beside, newer)
    const error = await hostError(writeSidecar(source, dataDir, flagsDoc('mine', [3, 4])))
    expect(error.message).toMatch(/newer version of RewardLens \(format 2\)/)
    expect(await readFile(beside, 'utf8')).toBe(newer)
    await writeFile(beside, '{"version": 1, "flags": [')
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    await writeSidecar(source, dataDir, flagsDoc('mine', [3, 4]))
    const aside = (await readdir(dir)).filter((name) => name.includes('.damaged-'))
    expect(aside).toHaveLength(1)
    expect(await readFile(path.join(dir, aside[0]!), 'utf8')).toBe('{"version": 1, "flags": [')
  })
})

describe('a sidecar of a newer format', () => {
  it('is left where it is, untouched, and reported without being set aside', async () => {
    const source = fileAt('train.jsonl')
    const { beside } = sidecarPaths(source, dataDir)
    const newer = '{"version": 2, "flags": [], "labels": ["kept"]}'
    await writeFile(beside, newer)
    const error = await hostError(readSidecar(source, dataDir))
    expect(error.message).toMatch(/newer version of RewardLens \(format 2\)/)
    expect(error.message).not.toMatch(/so nothing in them is lost/)
    expect(await readdir(dir)).toEqual(['train.jsonl.rewardlens.json'])
    expect(await readFile(beside, 'utf8')).toBe(newer)
  })
})

describe('a writer killed mid-write', () => {
  it('leaves a whole document, old or new; its temporary file is never read, and cleared at the next open', async () => {
    const source = fileAt('train.jsonl')
    const { beside } = sidecarPaths(source, dataDir)
    const leftovers = async () =>
      (await readdir(dir)).filter((name) => name !== 'train.jsonl.rewardlens.json')
    let killedMidWrite = false
    // Kill until one kill has certainly landed mid-write: its temporary file is left behind.
    for (let round = 0; round < 3 || (!killedMidWrite && round < 40); round++) {
      const child = runWriter(['loop', JSON.stringify(source), dataDir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      await linesFrom(child, 2)
      // Meanwhile, a reader only ever finds whole documents.
      for (let read = 0; read < 5; read++) expectWhole(await readFile(beside, 'utf8'))
      await delay(round % 5)
      child.kill('SIGKILL')
      await once(child, 'exit')
      const onDisk = expectWhole(await readFile(beside, 'utf8'))
      expect(onDisk.dataset.name).not.toBe('write 0')
      const left = await leftovers()
      for (const name of left) {
        expect(name).toMatch(/^\.train\.jsonl\.rewardlens\.json\.[0-9a-f]{12}\.tmp$/)
      }
      killedMidWrite ||= left.length > 0
      expect(await readSidecar(source, dataDir)).toEqual({ document: onDisk, location: beside })
      expect(await leftovers()).toEqual([])
    }
    expect(killedMidWrite).toBe(true)
    // Up to 40 writer processes started and killed: 2 s here, near the 5 s default on a loaded machine.
  }, 120_000)
})

/**
 * True where a folder can be made read-only to the writer: POSIX, and when running as root, a Node
 * binary that `nobody` can run too (not one under /root).
 */
function canTestReadOnly(): boolean {
  if (process.platform === 'win32') return false
  if (process.getuid?.() !== 0) return true
  const searchable = (at: string): boolean => (statSync(at).mode & 0o001) !== 0
  for (let at = process.execPath; ; at = path.dirname(at)) {
    if (!searchable(at)) return false
    if (path.dirname(at) === at) return true
  }
}

/** Starts the bundled writer in a child process, killed after the test if still running. */
function runWriter(args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(process.execPath, [writer, ...args], options)
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

/** Checks a sidecar's text is one whole document the writer wrote, and returns it. */
function expectWhole(text: string): FlagsDocument {
  const doc = parseFlags(JSON.parse(text))
  expect(doc).not.toBeNull()
  const { name, size } = doc!.dataset
  expect(name).toMatch(/^write \d+$/)
  expect(doc!.flags).toHaveLength(size)
  expect(doc!.flags.every((flag) => flag.note.startsWith(`${name}|`))).toBe(true)
  return doc!
}

/** Everything a child writes to a stream, once it ends. */
async function text(stream: NodeJS.ReadableStream | null): Promise<string> {
  let out = ''
  for await (const chunk of stream ?? []) out += String(chunk)
  return out
}

/** Resolves once a child has printed `count` lines (documents written). */
function linesFrom(child: ChildProcess, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let printed = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString()
      if (printed.split('\n').length > count) resolve()
    })
    child.once('exit', (code) => reject(new Error(`the writer exited early (${code})`)))
  })
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
