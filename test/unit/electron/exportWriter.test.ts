import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExportWriter, exportError } from '../../../electron/main/exportWriter'
import { HostError } from '../../../shared/host'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-export-'))
})

afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined)
  await rm(dir, { recursive: true, force: true })
})

const isRoot = process.getuid?.() === 0
const bytes = (text: string) => new TextEncoder().encode(text)
const META = '{"format_version":"rewardlens-export-meta/1"}\n'

describe('ExportWriter', () => {
  it('shows nothing at the target until finish, then the whole file and its meta', async () => {
    const writer = new ExportWriter()
    const target = path.join(dir, 'train.rust.jsonl')
    const started = await writer.begin(target)
    expect(started).toMatchObject({ name: 'train.rust.jsonl', path: target })
    await writer.write(started.id, bytes('{"a":1}\n'))
    await writer.write(started.id, bytes('{"a":2}\n'))
    expect(await readdir(dir)).not.toContain('train.rust.jsonl')
    expect((await readdir(dir)).some((n) => n.endsWith('.tmp'))).toBe(true)

    const result = await writer.finish(started.id, META)
    expect(result).toEqual({
      path: target,
      metaPath: `${target}.meta.json`,
      bytes: 16,
    })
    expect(await readFile(target, 'utf8')).toBe('{"a":1}\n{"a":2}\n')
    expect(await readFile(`${target}.meta.json`, 'utf8')).toBe(META)
    expect((await readdir(dir)).sort()).toEqual(['train.rust.jsonl', 'train.rust.jsonl.meta.json'])
  })

  it('replaces an existing file only when the export is complete', async () => {
    const target = path.join(dir, 'out.jsonl')
    await writeFile(target, 'old content\n')
    const writer = new ExportWriter()
    const started = await writer.begin(target)
    await writer.write(started.id, bytes('new content\n'))
    expect(await readFile(target, 'utf8')).toBe('old content\n')
    await writer.finish(started.id, META)
    expect(await readFile(target, 'utf8')).toBe('new content\n')
  })

  it('removes the temporary file on abort and leaves an existing file intact', async () => {
    const target = path.join(dir, 'out.parquet')
    await writeFile(target, 'the previous export')
    const writer = new ExportWriter()
    const started = await writer.begin(target)
    await writer.write(started.id, bytes('half of a new export'))
    await writer.abort(started.id)
    expect(await readdir(dir)).toEqual(['out.parquet'])
    expect(await readFile(target, 'utf8')).toBe('the previous export')
    // Abandoning twice (the renderer does after a failed write) is harmless.
    await writer.abort(started.id)
  })

  it('abandons every export under way at once, removing their temporary files', async () => {
    const kept = path.join(dir, 'kept.jsonl')
    await writeFile(kept, 'the previous export')
    const writer = new ExportWriter()
    const first = await writer.begin(kept)
    const second = await writer.begin(path.join(dir, 'new.parquet'))
    await writer.write(first.id, bytes('half of a new export'))
    const late = writer.write(second.id, bytes('a chunk still being written'))
    await writer.abortAll()
    await late
    expect(await readdir(dir)).toEqual(['kept.jsonl'])
    expect(await readFile(kept, 'utf8')).toBe('the previous export')
    await expect(writer.write(first.id, bytes('x'))).rejects.toThrow(/no longer in progress/)
    await expect(writer.finish(second.id, META)).rejects.toThrow(/no longer in progress/)
    await writer.abortAll()
  })

  it('waits, when abandoning every export, for an abort already under way', async () => {
    const writer = new ExportWriter()
    const started = await writer.begin(path.join(dir, 'out.csv'))
    await writer.write(started.id, bytes('a,b\n'))
    const first = writer.abort(started.id)
    await writer.abortAll()
    expect(await readdir(dir)).toEqual([])
    await first
  })

  it('refuses an unknown or finished export id with a clear message', async () => {
    const writer = new ExportWriter()
    await expect(writer.write('nope', bytes('x'))).rejects.toThrow(/no longer in progress/)
    const started = await writer.begin(path.join(dir, 'a.csv'))
    await writer.finish(started.id, META)
    await expect(writer.write(started.id, bytes('x'))).rejects.toBeInstanceOf(HostError)
    await expect(writer.finish(started.id, META)).rejects.toThrow(/no longer in progress/)
  })

  it('keeps concurrent writes in the order they were asked for', async () => {
    const writer = new ExportWriter()
    const target = path.join(dir, 'ordered.txt')
    const started = await writer.begin(target)
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => writer.write(started.id, bytes(`${i}\n`))),
    )
    await writer.finish(started.id, META)
    expect(await readFile(target, 'utf8')).toBe(
      Array.from({ length: 50 }, (_, i) => `${i}\n`).join(''),
    )
  })

  it('says the folder does not exist', async () => {
    const writer = new ExportWriter()
    await expect(writer.begin(path.join(dir, 'missing', 'x.jsonl'))).rejects.toThrow(
      `The folder ${path.join(dir, 'missing')} does not exist. Choose another folder.`,
    )
  })

  it.skipIf(isRoot)('says it cannot write to a read-only folder', async () => {
    const folder = path.join(dir, 'locked')
    await mkdir(folder)
    await chmod(folder, 0o555)
    await expect(new ExportWriter().begin(path.join(folder, 'x.jsonl'))).rejects.toThrow(
      `RewardLens cannot write to the folder ${folder}: permission denied. Choose another folder.`,
    )
  })

  it.skipIf(process.platform !== 'linux')(
    'says it cannot write to a folder nobody may write, even as root (/sys)',
    async () => {
      await expect(new ExportWriter().begin('/sys/x.jsonl')).rejects.toThrow(
        'RewardLens cannot write to the folder /sys: permission denied. Choose another folder.',
      )
    },
  )

  it('words a full disk, a quota and a read-only disk so a person can act', () => {
    const target = '/data/out/train.rust.jsonl'
    const error = (code: string) => Object.assign(new Error(code), { code })
    expect(exportError(error('ENOSPC'), target).message).toBe(
      'The disk is full: train.rust.jsonl could not be written to /data/out. Nothing was left there; free some space and export again.',
    )
    expect(exportError(error('EDQUOT'), target).message).toMatch(/quota/)
    expect(exportError(error('EROFS'), target).message).toBe(
      'RewardLens cannot write to the folder /data/out: it is on a read-only disk. Choose another folder.',
    )
    expect(exportError(error('EPERM'), target).message).toMatch(/permission denied/)
    expect(exportError(error('EISDIR'), target).message).toBe(
      '/data/out/train.rust.jsonl is a folder. Choose a file name.',
    )
    expect(exportError(new Error('disk on fire'), target)).toBeInstanceOf(HostError)
  })
})

/** A script that exports through the bundled writer: forever (to be killed) or with a size limit. */
const WRITER = `
const { ExportWriter } = require(process.env.WRITER_MODULE)
process.on('SIGXFSZ', () => {})
const chunk = new Uint8Array(64 * 1024).fill(0x61)
;(async () => {
  const writer = new ExportWriter()
  const target = await writer.begin(process.env.TARGET)
  try {
    for (let i = 0; ; i++) {
      await writer.write(target.id, chunk)
      if (i === 4) process.stdout.write('writing\\n')
      if (process.env.CHUNKS && i + 1 >= Number(process.env.CHUNKS)) break
    }
    await writer.finish(target.id, '{}')
    process.stdout.write('finished\\n')
  } catch (error) {
    process.stdout.write(JSON.stringify({ name: error.name, message: error.message }) + '\\n')
  }
})()
`

describe('ExportWriter in a process that dies', () => {
  async function bundle(): Promise<string> {
    const out = path.join(dir, 'exportWriter.cjs')
    await build({
      entryPoints: [
        fileURLToPath(new URL('../../../electron/main/exportWriter.ts', import.meta.url)),
      ],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: out,
      logLevel: 'silent',
    })
    const script = path.join(dir, 'writer.cjs')
    await writeFile(script, WRITER)
    return script
  }

  it('leaves the existing file whole when killed mid-write', async () => {
    const script = await bundle()
    const folder = path.join(dir, 'exports')
    await mkdir(folder)
    const target = path.join(folder, 'train.all.jsonl')
    await writeFile(target, 'the export from yesterday\n')
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, [script], {
        env: { ...process.env, WRITER_MODULE: path.join(dir, 'exportWriter.cjs'), TARGET: target },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const exited = once(child, 'exit')
      await once(child.stdout, 'data')
      child.kill('SIGKILL')
      const [, signal] = (await exited) as [number | null, NodeJS.Signals | null]
      expect(signal).toBe('SIGKILL')
      expect(await readFile(target, 'utf8')).toBe('the export from yesterday\n')
      const names = await readdir(folder)
      expect(names).not.toContain('train.all.jsonl.meta.json')
      // What the killed process leaves is its hidden temporary file, never a half export; the
      // next export to the same file clears the one before.
      expect(names.filter((n) => n.endsWith('.tmp')).length).toBe(1)
    }
    // The next export still replaces the file as a whole.
    const child = spawn(process.execPath, [script], {
      env: {
        ...process.env,
        WRITER_MODULE: path.join(dir, 'exportWriter.cjs'),
        TARGET: target,
        CHUNKS: '8',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    child.stdout.on('data', (data: Buffer) => (output += data.toString()))
    await once(child, 'exit')
    expect(output).toContain('finished')
    expect((await readFile(target)).length).toBe(8 * 64 * 1024)
    expect((await readdir(folder)).sort()).toEqual(['train.all.jsonl', 'train.all.jsonl.meta.json'])
  })

  it.skipIf(process.platform === 'win32')(
    'abandons an export whose write fails, leaving no temporary file and the old export intact',
    async () => {
      const script = await bundle()
      const target = path.join(dir, 'limited.jsonl')
      await writeFile(target, 'old\n')
      // A file-size limit stands in for a full disk: the write fails part-way, as it would.
      const child = spawn(
        '/bin/sh',
        ['-c', `ulimit -f 256; exec "${process.execPath}" "${script}"`],
        {
          env: {
            ...process.env,
            WRITER_MODULE: path.join(dir, 'exportWriter.cjs'),
            TARGET: target,
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      )
      let output = ''
      child.stdout.on('data', (data: Buffer) => (output += data.toString()))
      await once(child, 'exit')
      const error = JSON.parse(output.trim().split('\n').at(-1)!) as {
        name: string
        message: string
      }
      expect(error.name).toBe('HostError')
      expect(error.message).toMatch(/limited\.jsonl could not be written/)
      expect(await readFile(target, 'utf8')).toBe('old\n')
      expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([])
    },
  )
})
