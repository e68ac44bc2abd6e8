import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RecentDataset } from '../../../shared/host'
import {
  DEFAULT_SETTINGS,
  MAX_RECENT,
  SettingsStore,
  addRecent,
  loadSettings,
  settingsFromJson,
  writeFileAtomic,
} from '../../../electron/main/settings'

let dir: string
let file: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-settings-'))
  file = path.join(dir, 'settings.json')
  vi.spyOn(console, 'warn').mockImplementation(() => undefined)
})

afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

const dataset = (name: string, isFolder = false) => ({ name, path: `/data/${name}`, isFolder })

describe('addRecent', () => {
  it('puts the newest first with its ISO time', () => {
    const at = new Date('2026-11-20T10:00:00.000Z')
    const recent = addRecent(addRecent([], dataset('a.jsonl'), at), dataset('b', true), at)
    expect(recent.map((item) => item.name)).toEqual(['b', 'a.jsonl'])
    expect(recent[0]).toEqual({
      name: 'b',
      path: '/data/b',
      isFolder: true,
      openedAt: '2026-11-20T10:00:00.000Z',
    })
  })

  it('moves a dataset opened again to the top instead of listing it twice', () => {
    let recent: RecentDataset[] = []
    for (const name of ['a', 'b', 'c', 'a']) recent = addRecent(recent, dataset(name), new Date())
    expect(recent.map((item) => item.name)).toEqual(['a', 'c', 'b'])
  })

  it(`keeps at most ${MAX_RECENT}`, () => {
    let recent: RecentDataset[] = []
    for (let i = 0; i < 15; i++) recent = addRecent(recent, dataset(`d${i}`), new Date())
    expect(recent).toHaveLength(MAX_RECENT)
    expect(recent[0]?.name).toBe('d14')
    expect(recent.at(-1)?.name).toBe('d5')
  })

  it('stores only what the recent list needs, not the files of a source', () => {
    const source = {
      ...dataset('x'),
      files: [{ id: 'secret', name: 'x', path: '/data/x', size: 1 }],
    }
    expect(Object.keys(addRecent([], source, new Date())[0] ?? {})).toEqual([
      'name',
      'path',
      'isFolder',
      'openedAt',
    ])
  })
})

describe('settingsFromJson', () => {
  it('keeps the well-formed parts and drops the rest', () => {
    const settings = settingsFromJson({
      recent: [
        { name: 'a', path: '/a', isFolder: false, openedAt: '2026-01-01T00:00:00.000Z' },
        { name: 'broken', path: 42 },
        null,
        { name: 'a again', path: '/a', isFolder: false, openedAt: '2026-01-01T00:00:00.000Z' },
      ],
      windowBounds: { x: 1, y: 2, width: -5, height: 3, maximized: false },
    })
    expect(settings.recent.map((item) => item.name)).toEqual(['a'])
    expect(settings.windowBounds).toBeNull()
  })

  it('throws when the top level is not an object', () => {
    expect(() => settingsFromJson([])).toThrow()
    expect(() => settingsFromJson(null)).toThrow()
  })
})

describe('loadSettings', () => {
  it('starts from defaults on a first run, without a warning', async () => {
    expect(await loadSettings(file)).toEqual({ settings: DEFAULT_SETTINGS, recovered: false })
    expect(console.warn).not.toHaveBeenCalled()
  })

  it('replaces a corrupt file with defaults, reports it and keeps the damaged copy', async () => {
    await writeFile(file, '{"recent": [ {"name": "trunc')
    const loaded = await loadSettings(file)
    expect(loaded).toEqual({ settings: DEFAULT_SETTINGS, recovered: true })
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('is damaged'))
    expect(await readFile(`${file}.corrupt`, 'utf8')).toBe('{"recent": [ {"name": "trunc')
  })

  it('treats JSON of the wrong shape as corrupt', async () => {
    await writeFile(file, '"just a string"')
    expect((await loadSettings(file)).recovered).toBe(true)
  })

  it('survives a settings path it cannot read', async () => {
    await mkdir(file)
    expect(await loadSettings(file)).toEqual({ settings: DEFAULT_SETTINGS, recovered: true })
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('cannot read'))
  })
})

describe('writeFileAtomic', () => {
  it('writes the new content and leaves no temporary file', async () => {
    await writeFile(file, 'old')
    await writeFileAtomic(file, 'new')
    expect(await readFile(file, 'utf8')).toBe('new')
    expect(await readdir(dir)).toEqual(['settings.json'])
  })

  it('leaves the old file intact when the write is interrupted', async () => {
    await writeFile(file, '{"recent":[]}')
    const interrupted = writeFileAtomic(file, '{"recent":[{"name":"half-written"}]}', {
      write: async (handle, data) => {
        await handle.writeFile(data.slice(0, 10))
        throw new Error('ENOSPC: no space left on device')
      },
    })
    await expect(interrupted).rejects.toThrow('ENOSPC')
    expect(await readFile(file, 'utf8')).toBe('{"recent":[]}')
    expect(await readdir(dir)).toEqual(['settings.json'])
  })

  it('fails without a trace when the folder does not exist', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'settings.json'), '{}')).rejects.toThrow(
      /ENOENT/,
    )
  })
})

describe('SettingsStore', () => {
  it('saves every change so the next start sees it', async () => {
    const store = await SettingsStore.open(file)
    expect(store.recovered).toBe(false)
    const at = new Date('2026-11-21T08:00:00.000Z')
    expect(
      await store.update((s) => ({ ...s, recent: addRecent(s.recent, dataset('a.parquet'), at) })),
    ).toBe(true)
    await store.update((s) => ({
      ...s,
      windowBounds: { x: 10, y: 20, width: 1200, height: 800, maximized: true },
    }))
    const reopened = await SettingsStore.open(file)
    expect(reopened.settings).toEqual({
      recent: [
        {
          name: 'a.parquet',
          path: '/data/a.parquet',
          isFolder: false,
          openedAt: '2026-11-21T08:00:00.000Z',
        },
      ],
      windowBounds: { x: 10, y: 20, width: 1200, height: 800, maximized: true },
    })
  })

  it('writes changes one at a time, the last one winning', async () => {
    const store = await SettingsStore.open(file)
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update((s) => ({ ...s, recent: addRecent(s.recent, dataset(`d${i}`), new Date()) })),
      ),
    )
    await store.flush()
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { recent: RecentDataset[] }
    expect(onDisk.recent.map((item) => item.name)).toEqual(
      store.settings.recent.map((item) => item.name),
    )
    expect(onDisk.recent[0]?.name).toBe('d19')
    expect(await readdir(dir)).toEqual(['settings.json'])
  })

  it('reports a damaged file and starts from defaults', async () => {
    await writeFile(file, '\u0000\u0000garbage')
    const store = await SettingsStore.open(file)
    expect(store.recovered).toBe(true)
    expect(store.settings).toEqual(DEFAULT_SETTINGS)
  })

  it('keeps working in memory when it cannot save', async () => {
    const store = await SettingsStore.open(path.join(dir, 'missing', 'settings.json'))
    expect(
      await store.update((s) => ({ ...s, recent: addRecent(s.recent, dataset('a'), new Date()) })),
    ).toBe(false)
    expect(store.settings.recent).toHaveLength(1)
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('cannot save'))
  })
})
