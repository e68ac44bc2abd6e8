import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
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
  fixedLanguage: null,
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
      theme: 'system',
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

  it('keeps a theme choice and reads anything else as the system theme', () => {
    const report = vi.fn<(problem: string) => void>()
    for (const theme of ['system', 'light', 'dark'] as const)
      expect(settingsFromJson({ theme }, report).theme).toBe(theme)
    expect(settingsFromJson({}, report).theme).toBe('system')
    expect(report).not.toHaveBeenCalled()
    for (const theme of ['Dark', 'sepia', 1, null, { mode: 'dark' }])
      expect(settingsFromJson({ theme }, report).theme).toBe('system')
    expect(report).toHaveBeenCalledTimes(5)
    expect(report).toHaveBeenCalledWith(
      expect.stringContaining('"sepia" is not system, light or dark'),
    )
  })

  it('throws when the top level is not an object', () => {
    expect(() => settingsFromJson([])).toThrow()
    expect(() => settingsFromJson(null)).toThrow()
  })
})

describe('loadSettings', () => {
  it('starts from defaults on a first run, without a warning', async () => {
    expect(await loadSettings(file)).toEqual({ settings: DEFAULT_SETTINGS, notice: null })
    expect(console.warn).not.toHaveBeenCalled()
  })

  it('replaces a corrupt file with defaults, keeps the damaged copy and says where', async () => {
    await writeFile(file, '{"recent": [ {"name": "trunc')
    const loaded = await loadSettings(file, new Date('2026-11-22T10:20:30.456Z'))
    const damaged = `${file}.damaged-2026-11-22T10-20-30-456Z`
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS)
    expect(loaded.notice).toMatch(
      /^The settings file was damaged \(.*JSON.*\), so RewardLens started/,
    )
    expect(loaded.notice).toContain(
      'the theme and the roles chosen per file are back to their defaults',
    )
    expect(loaded.notice).toContain(`The damaged file was kept as ${damaged}.`)
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('is damaged'))
    expect(await readdir(dir)).toEqual([path.basename(damaged)])
    expect(await readFile(damaged, 'utf8')).toBe('{"recent": [ {"name": "trunc')
  })

  it('reports a damaged file once: the next start is a normal one', async () => {
    await writeFile(file, 'not json')
    const first = await SettingsStore.open(file)
    expect(first.notice).not.toBeNull()
    await first.update((s) => ({ ...s, theme: 'dark' }))
    const second = await SettingsStore.open(file)
    expect(second.notice).toBeNull()
    expect(second.settings.theme).toBe('dark')
    // Even when nothing was saved in between.
    await writeFile(file, 'not json again')
    expect((await SettingsStore.open(file)).notice).not.toBeNull()
    expect((await SettingsStore.open(file)).notice).toBeNull()
  })

  it('keeps every damaged copy, never overwriting an earlier one', async () => {
    await writeFile(file, 'first damage')
    await loadSettings(file, new Date('2026-11-22T10:00:00.000Z'))
    await writeFile(file, 'second damage')
    await loadSettings(file, new Date('2026-11-23T10:00:00.000Z'))
    expect((await readdir(dir)).sort()).toEqual([
      'settings.json.damaged-2026-11-22T10-00-00-000Z',
      'settings.json.damaged-2026-11-23T10-00-00-000Z',
    ])
  })

  it('treats JSON of the wrong shape as corrupt', async () => {
    await writeFile(file, '"just a string"')
    expect((await loadSettings(file)).notice).toContain('damaged')
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
      settings: {
        recent,
        windowBounds: null,
        theme: 'system',
        profiles: [{ path: '/a', profile }],
      },
      notice: null,
    })
    expect(console.warn).toHaveBeenCalledExactlyOnceWith(
      expect.stringMatching(/saved profile for \/broken is not a valid profile/),
    )
    expect(await readdir(dir)).toEqual(['settings.json'])
  })

  it('survives a settings path it cannot read, and says so', async () => {
    await mkdir(file)
    const loaded = await loadSettings(file)
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS)
    expect(loaded.notice).toMatch(
      /^RewardLens cannot read its settings file .*settings\.json \(.*EISDIR/,
    )
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
    expect(store.notice).toBeNull()
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
      theme: 'system',
      profiles: [],
    })
  })

  it('keeps the theme choice across a reopen', async () => {
    const store = await SettingsStore.open(file)
    await store.update((s) => ({ ...s, theme: 'light' }))
    expect((await SettingsStore.open(file)).settings.theme).toBe('light')
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1, theme: 'light' })
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
    expect(store.notice).toContain('damaged')
    expect(store.settings).toEqual(DEFAULT_SETTINGS)
  })

  it('clears away the temporary files of writes a crash cut short, and only those', async () => {
    await writeFile(file, JSON.stringify({ theme: 'dark' }))
    const abandoned = ['.settings.json.0123456789ab.tmp', '.settings.json.ba9876543210.tmp']
    const unrelated = ['.settings.json.notmine.tmp', 'settings.json.damaged-2026', 'notes.tmp']
    for (const name of [...abandoned, ...unrelated]) await writeFile(path.join(dir, name), '{"rec')
    const store = await SettingsStore.open(file)
    expect(store.settings.theme).toBe('dark')
    expect((await readdir(dir)).sort()).toEqual([...unrelated, 'settings.json'].sort())
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

describe('a crash in the middle of saving', () => {
  /**
   * Saves settings as fast as it can in a child process: the real SettingsStore, bundled from
   * source, with 500 saved profiles so each write is about 200 KB. It prints `saving` once the first
   * save has landed, then goes on until it is killed.
   */
  const WRITER = `
    const { SettingsStore, addRecent, saveProfileIn } = require(process.env.SETTINGS_MODULE)
    const profile = JSON.parse(process.env.PROFILE)
    ;(async () => {
      const store = await SettingsStore.open(process.env.SETTINGS_FILE)
      for (let i = 0; ; i++) {
        const dataset = { name: 'd' + i + '.jsonl', path: '/data/d' + i + '.jsonl', isFolder: false }
        await store.update((s) => ({
          ...s,
          recent: addRecent(s.recent, dataset, new Date()),
          theme: i % 2 === 0 ? 'dark' : 'light',
          profiles: saveProfileIn(s.profiles, dataset.path, profile),
        }))
        if (i === 0) process.stdout.write('saving\\n')
      }
    })()
  `

  it('leaves a whole settings file when the process is killed mid-write', async () => {
    const bundle = path.join(dir, 'settings.cjs')
    await build({
      entryPoints: [fileURLToPath(new URL('../../../electron/main/settings.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      logLevel: 'silent',
    })
    const writer = path.join(dir, 'writer.cjs')
    await writeFile(writer, WRITER)
    const settingsDir = path.join(dir, 'userData')
    await mkdir(settingsDir)
    const settingsFile = path.join(settingsDir, 'settings.json')

    let killedMidWrite = 0
    let lastRecentCount = 0
    for (let round = 0; round < 20 && killedMidWrite < 2; round++) {
      const child = spawn(process.execPath, [writer], {
        env: {
          ...process.env,
          SETTINGS_MODULE: bundle,
          SETTINGS_FILE: settingsFile,
          PROFILE: JSON.stringify(profile),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const exited = once(child, 'exit')
      await once(child.stdout, 'data')
      await new Promise((resolve) => setTimeout(resolve, 20 + ((round * 37) % 100)))
      child.kill('SIGKILL')
      const [, signal] = (await exited) as [number | null, NodeJS.Signals | null]
      expect(signal).toBe('SIGKILL')

      const names = await readdir(settingsDir)
      if (names.some((name) => name.endsWith('.tmp'))) killedMidWrite++
      // The file is always one whole save: it parses, and nothing in it was dropped as damaged.
      const onDisk = JSON.parse(await readFile(settingsFile, 'utf8')) as { profiles: unknown[] }
      expect(onDisk.profiles.length).toBeGreaterThan(0)
      const loaded = await loadSettings(settingsFile)
      expect(loaded.notice).toBeNull()
      expect(loaded.settings.profiles).toHaveLength(onDisk.profiles.length)
      expect(['dark', 'light']).toContain(loaded.settings.theme)
      expect(loaded.settings.recent.length).toBeGreaterThanOrEqual(lastRecentCount)
      lastRecentCount = loaded.settings.recent.length
      // The next start clears away the half-written temporary file.
      await SettingsStore.open(settingsFile)
      expect(await readdir(settingsDir)).toEqual(['settings.json'])
    }
    // The kills did land in the middle of writes (a temporary file was left behind).
    expect(killedMidWrite).toBeGreaterThanOrEqual(2)
    expect(console.warn).not.toHaveBeenCalled()
  }, 120_000)
})
