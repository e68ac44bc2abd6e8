import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RecentDataset } from '../../../shared/host'
import type { Profile } from '../../../shared/profile'
import {
  DEFAULT_SETTINGS,
  MAX_RECENT,
  MAX_SAVED_PROFILES,
  SettingsStore,
  addRecent,
  forgetProfileIn,
  loadSettings,
  saveProfileIn,
  settingsFromJson,
  writeFileAtomic,
} from '../../../electron/main/settings'
import type { SavedProfile } from '../../../electron/main/settings'

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

const profile: Profile = {
  family: 'code-rlaif',
  unnest: null,
  prompt: ['prompt'],
  language: ['language'],
  codeA: { path: ['student_code'], label: 'student' },
  codeB: { path: ['teacher_code'], label: 'teacher' },
  scores: [['metadata', 'chosen_scores', 'overall']],
  reward: ['reward'],
  group: null,
  tests: null,
  model: null,
  breakdown: null,
}
const genericProfile: Profile = { ...profile, family: 'generic', codeB: null, scores: [] }

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

describe('saveProfileIn and forgetProfileIn', () => {
  it('puts the newest first and keeps one profile per path', () => {
    let profiles = saveProfileIn([], '/data/a', profile)
    profiles = saveProfileIn(profiles, '/data/b', profile)
    profiles = saveProfileIn(profiles, '/data/a', genericProfile)
    expect(profiles).toEqual([
      { path: '/data/a', profile: genericProfile },
      { path: '/data/b', profile },
    ])
  })

  it(`keeps the ${MAX_SAVED_PROFILES} most recently saved`, () => {
    let profiles: SavedProfile[] = []
    for (let i = 0; i < MAX_SAVED_PROFILES; i++)
      profiles = saveProfileIn(profiles, `/d/${i}`, profile)
    // Saving the oldest again makes it the newest, so the next one in line is dropped instead.
    profiles = saveProfileIn(profiles, '/d/0', genericProfile)
    profiles = saveProfileIn(profiles, '/d/new', profile)
    expect(profiles).toHaveLength(MAX_SAVED_PROFILES)
    expect(profiles.slice(0, 2).map((item) => item.path)).toEqual(['/d/new', '/d/0'])
    expect(profiles.some((item) => item.path === '/d/1')).toBe(false)
    expect(profiles.at(-1)?.path).toBe('/d/2')
  })

  it('forgets one path and leaves the others', () => {
    const profiles = saveProfileIn(saveProfileIn([], '/data/a', profile), '/data/b', profile)
    expect(forgetProfileIn(profiles, '/data/a')).toEqual([{ path: '/data/b', profile }])
    expect(forgetProfileIn(profiles, '/data/never')).toEqual(profiles)
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

  it('drops and reports each saved profile that is not valid, keeping everything else', () => {
    const report = vi.fn<(problem: string) => void>()
    const settings = settingsFromJson(
      {
        recent: [{ name: 'a', path: '/a', isFolder: false, openedAt: '2026-01-01T00:00:00.000Z' }],
        windowBounds: { x: 1, y: 2, width: 800, height: 600, maximized: false },
        profiles: [
          { path: '/good', profile },
          { path: '/bad-family', profile: { ...profile, family: 'made-up' } },
          { path: '/bad-path', profile: { ...profile, reward: [] } },
          { path: '/truncated', profile: { family: 'generic' } },
          { path: '', profile },
          { profile },
          'not an entry',
          { path: '/good', profile: genericProfile },
          { path: '/also-good', profile: genericProfile },
        ],
      },
      report,
    )
    expect(settings).toEqual({
      recent: [{ name: 'a', path: '/a', isFolder: false, openedAt: '2026-01-01T00:00:00.000Z' }],
      windowBounds: { x: 1, y: 2, width: 800, height: 600, maximized: false },
      profiles: [
        { path: '/good', profile },
        { path: '/also-good', profile: genericProfile },
      ],
    })
    expect(report).toHaveBeenCalledTimes(6)
    expect(report).toHaveBeenCalledWith(expect.stringContaining('/bad-family'))
    expect(report).toHaveBeenCalledWith(expect.stringContaining('entry 6'))
  })

  it('reads a file without profiles (written before they existed) as having none', () => {
    const report = vi.fn<(problem: string) => void>()
    expect(settingsFromJson({ recent: [] }, report).profiles).toEqual([])
    expect(report).not.toHaveBeenCalled()
    expect(settingsFromJson({ profiles: { '/a': profile } }, report).profiles).toEqual([])
    expect(report).toHaveBeenCalledWith(expect.stringContaining('not a list'))
  })

  it(`keeps at most ${MAX_SAVED_PROFILES} saved profiles from a file that has more`, () => {
    const entries = Array.from({ length: MAX_SAVED_PROFILES + 20 }, (_, i) => ({
      path: `/d/${i}`,
      profile,
    }))
    const { profiles } = settingsFromJson({ profiles: entries })
    expect(profiles).toHaveLength(MAX_SAVED_PROFILES)
    expect(profiles.at(-1)?.path).toBe(`/d/${MAX_SAVED_PROFILES - 1}`)
  })

  it('stores only the fields of a profile, not whatever else an entry carries', () => {
    const { profiles } = settingsFromJson({
      profiles: [{ path: '/a', profile: { ...profile, script: 'alert(1)' }, extra: true }],
    })
    expect(profiles).toEqual([{ path: '/a', profile }])
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

  it('drops a damaged saved profile without setting the file aside', async () => {
    const recent = [
      { name: 'a', path: '/a', isFolder: false, openedAt: '2026-01-01T00:00:00.000Z' },
    ]
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        recent,
        windowBounds: null,
        profiles: [
          { path: '/broken', profile: { family: 'code-rlaif', prompt: 'not a path' } },
          { path: '/a', profile },
        ],
      }),
    )
    expect(await loadSettings(file)).toEqual({
      settings: { recent, windowBounds: null, profiles: [{ path: '/a', profile }] },
      recovered: false,
    })
    expect(console.warn).toHaveBeenCalledExactlyOnceWith(
      expect.stringMatching(/saved profile for \/broken is not a valid profile/),
    )
    expect(await readdir(dir)).toEqual(['settings.json'])
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
      profiles: [],
    })
  })

  it('keeps a saved profile across a reopen, and forgets it for good', async () => {
    const store = await SettingsStore.open(file)
    await store.update((s) => ({ ...s, profiles: saveProfileIn(s.profiles, '/data/a', profile) }))
    await store.update((s) => ({ ...s, profiles: saveProfileIn(s.profiles, '/data/b', profile) }))
    const reopened = await SettingsStore.open(file)
    expect(reopened.settings.profiles).toEqual([
      { path: '/data/b', profile },
      { path: '/data/a', profile },
    ])
    await reopened.update((s) => ({ ...s, profiles: forgetProfileIn(s.profiles, '/data/b') }))
    expect((await SettingsStore.open(file)).settings.profiles).toEqual([
      { path: '/data/a', profile },
    ])
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
