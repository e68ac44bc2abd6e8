import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { IpcMain } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HostError } from '../../../shared/host'
import type { DatasetSource, RecentDataset } from '../../../shared/host'
import { INVOKE_CHANNELS } from '../../../shared/ipc'
import type { Profile } from '../../../shared/profile'
import { FileGrants } from '../../../electron/main/grants'
import { HostService, registerHostChannels } from '../../../electron/main/hostService'
import type { HostServiceOptions } from '../../../electron/main/hostService'
import { createHandle } from '../../../electron/main/ipc'
import type { SenderEvent } from '../../../electron/main/ipc'
import { MAX_SAVED_PROFILES, SettingsStore } from '../../../electron/main/settings'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-host-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function touch(name: string, content = '{"reward":1}\n'): Promise<string> {
  const file = path.join(dir, name)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, content)
  return file
}

async function setup(overrides: Partial<HostServiceOptions> = {}) {
  const settings = await SettingsStore.open(path.join(dir, 'settings.json'))
  const notify = vi.fn<(message: string) => void>()
  const onOpened = vi.fn<(source: DatasetSource) => void>()
  const onRecentChanged = vi.fn<(recent: readonly RecentDataset[]) => void>()
  const service = new HostService({
    grants: new FileGrants(),
    settings,
    demoDataset: path.join(dir, 'web', 'demo', 'code-rlaif-demo.jsonl'),
    chooseFile: () => Promise.resolve(null),
    chooseFolder: () => Promise.resolve(null),
    chooseExportPath: () => Promise.resolve(null),
    dataDir: path.join(dir, 'user-data', 'flags'),
    notify,
    onOpened,
    onRecentChanged,
    now: () => new Date('2026-11-21T12:00:00.000Z'),
    ...overrides,
  })
  return { service, settings, notify, onOpened, onRecentChanged }
}

describe('HostService pickers', () => {
  it('resolves to null when the user cancels', async () => {
    const { service } = await setup()
    expect(await service.pickFile()).toBeNull()
    expect(await service.pickFolder()).toBeNull()
  })

  it('grants the chosen file', async () => {
    const file = await touch('train.jsonl')
    const { service } = await setup({ chooseFile: () => Promise.resolve(file) })
    const source = await service.pickFile()
    expect(source).toMatchObject({ name: 'train.jsonl', path: file, isFolder: false })
    expect(
      new TextDecoder().decode(await service.readBytes(source?.files[0]?.id ?? '', 0, 100)),
    ).toBe('{"reward":1}\n')
  })

  it('tells the user which files of a mixed folder were left out', async () => {
    await touch('mixed/a.parquet')
    await touch('mixed/b.parquet')
    await touch('mixed/notes.csv')
    const { service, notify } = await setup({
      chooseFolder: () => Promise.resolve(path.join(dir, 'mixed')),
    })
    const source = await service.pickFolder()
    expect(source?.files.map((file) => file.name)).toEqual(['a.parquet', 'b.parquet'])
    expect(notify).toHaveBeenCalledWith(expect.stringContaining('notes.csv'))
  })
})

describe('HostService recent list', () => {
  it('records an opened source, retitles and lists it most recent first', async () => {
    const first = await touch('first.jsonl')
    const second = await touch('second.jsonl')
    const { service, onOpened, onRecentChanged } = await setup()
    const a = await service.openPaths([first])
    const b = await service.openPaths([second])
    if (!a || !b) throw new Error('open failed')
    await service.noteOpened(a)
    await service.noteOpened(b)
    expect(onOpened).toHaveBeenLastCalledWith(b)
    expect(service.recentDatasets()).toEqual([
      { name: 'second.jsonl', path: second, isFolder: false, openedAt: '2026-11-21T12:00:00.000Z' },
      { name: 'first.jsonl', path: first, isFolder: false, openedAt: '2026-11-21T12:00:00.000Z' },
    ])
    expect(onRecentChanged).toHaveBeenCalledTimes(2)
  })

  it('keeps the recent list across restarts', async () => {
    const file = await touch('kept.jsonl')
    const first = await setup()
    const source = await first.service.openPaths([file])
    if (!source) throw new Error('open failed')
    await first.service.noteOpened(source)
    const second = await setup()
    expect(second.service.recentDatasets().map((item) => item.path)).toEqual([file])
    expect((await second.service.openRecent(file)).files[0]?.size).toBe(13)
  })

  it('refuses to note a source this window never granted', async () => {
    const { service, onOpened } = await setup()
    const forged: DatasetSource = {
      name: 'passwd',
      path: '/etc/passwd',
      isFolder: false,
      files: [],
    }
    await expect(service.noteOpened(forged)).rejects.toBeInstanceOf(HostError)
    expect(onOpened).not.toHaveBeenCalled()
    expect(service.recentDatasets()).toEqual([])
  })

  it('stores what was granted, not what the renderer claims', async () => {
    const file = await touch('real.jsonl')
    const { service } = await setup()
    const source = await service.openPaths([file])
    if (!source) throw new Error('open failed')
    await service.noteOpened({ ...source, name: 'renamed', isFolder: true })
    expect(service.recentDatasets()[0]).toMatchObject({ name: 'real.jsonl', isFolder: false })
  })

  it('reopens from the recent list a file chosen in the dialog without a dataset extension', async () => {
    const file = await touch('exported-data', 'PAR1')
    const { service } = await setup({ chooseFile: () => Promise.resolve(file) })
    const source = await service.pickFile()
    if (!source) throw new Error('open failed')
    await service.noteOpened(source)
    expect((await service.openRecent(file)).files[0]?.size).toBe(4)
    await expect(service.openPaths([file])).rejects.toThrow(/RewardLens opens only/)
  })

  it('opens from the recent list only paths the user opened before', async () => {
    const file = await touch('never-opened.jsonl')
    const { service } = await setup()
    await expect(service.openRecent(file)).rejects.toThrow(/not in the list of recent datasets/)
  })

  it('says plainly when a recent dataset is gone', async () => {
    const file = await touch('doomed.jsonl')
    const { service } = await setup()
    const source = await service.openPaths([file])
    if (!source) throw new Error('open failed')
    await service.noteOpened(source)
    await rm(file)
    await expect(service.openRecent(file)).rejects.toThrow(
      `Cannot open ${file}: the file does not exist`,
    )
  })

  it('does not list sources that one path cannot reopen', async () => {
    const a = await touch('drop/a.jsonl')
    const b = await touch('drop/b.jsonl')
    const { service, onOpened } = await setup()
    const dropped = await service.openPaths([a, b])
    if (!dropped) throw new Error('open failed')
    await service.noteOpened(dropped)
    expect(onOpened).toHaveBeenCalledOnce()
    expect(service.recentDatasets()).toEqual([])
  })

  it('clears the list', async () => {
    const file = await touch('x.jsonl')
    const { service, onRecentChanged } = await setup()
    const source = await service.openPaths([file])
    if (!source) throw new Error('open failed')
    await service.noteOpened(source)
    await service.clearRecent()
    expect(service.recentDatasets()).toEqual([])
    expect(onRecentChanged).toHaveBeenLastCalledWith([])
  })
})

const profile: Profile = {
  family: 'acecode',
  unnest: ['inferences'],
  prompt: ['question'],
  language: null,
  fixedLanguage: null,
  codeA: { path: ['inferences', 'completion'], label: 'completion' },
  codeB: {
    path: ['inferences', 'completion'],
    label: 'best',
    fromGroup: { pick: 'best', by: ['inferences', 'pass_rate'] },
  },
  scores: [['inferences', 'pass_rate']],
  reward: ['inferences', 'pass_rate'],
  group: ['id'],
  tests: ['test_cases'],
  model: ['inferences', 'model_name'],
  breakdown: null,
}

describe('HostService profiles', () => {
  async function opened(name: string) {
    const file = await touch(name)
    const context = await setup()
    const source = await context.service.openPaths([file])
    if (!source) throw new Error('open failed')
    return { ...context, file, source }
  }

  it('keeps a saved profile across restarts', async () => {
    const { service, file } = await opened('kept.jsonl')
    expect(service.loadProfile(file)).toBeNull()
    await service.saveProfile(file, profile)
    expect(service.loadProfile(file)).toEqual(profile)

    const restarted = await setup()
    // A new window has granted nothing yet: the profile comes back once the file is opened again.
    expect(restarted.service.loadProfile(file)).toBeNull()
    await restarted.service.openPaths([file])
    expect(restarted.service.loadProfile(file)).toEqual(profile)
  })

  it('forgets a profile when given null, also after a restart', async () => {
    const { service, file, source } = await opened('forget.jsonl')
    await service.noteOpened(source)
    await service.saveProfile(file, profile)
    await service.saveProfile(file, null)
    expect(service.loadProfile(file)).toBeNull()
    expect((await setup()).service.loadProfile(file)).toBeNull()
    // Forgetting what was never saved is not an error.
    await expect(service.saveProfile(file, null)).resolves.toBeUndefined()
  })

  it('saves for a dataset on the recent list before it is opened again', async () => {
    const { service, file, source } = await opened('recent.jsonl')
    await service.noteOpened(source)
    const restarted = await setup()
    await restarted.service.saveProfile(file, profile)
    expect(restarted.service.loadProfile(file)).toEqual(profile)
  })

  it('refuses to save for a path this window never opened, and loads nothing for it', async () => {
    const file = await touch('never-opened.jsonl')
    const { service, settings } = await setup()
    await expect(service.saveProfile(file, profile)).rejects.toThrow(
      new HostError(`Cannot save a profile for ${file}: it was not opened in this window`),
    )
    await expect(service.saveProfile(file, null)).rejects.toBeInstanceOf(HostError)
    expect(service.loadProfile(file)).toBeNull()
    expect(settings.settings.profiles).toEqual([])
  })

  it('does not hand out a profile saved for a path that is no longer open or recent', async () => {
    const { service, file, source } = await opened('cleared.jsonl')
    await service.noteOpened(source)
    await service.saveProfile(file, profile)
    await service.clearRecent()
    expect((await setup()).service.loadProfile(file)).toBeNull()
  })

  it('refuses a profile that is not valid and keeps the one saved before', async () => {
    const { service, file, settings } = await opened('invalid.jsonl')
    await service.saveProfile(file, profile)
    for (const invalid of [
      { ...profile, family: 'made-up' },
      { ...profile, prompt: 'question' },
      { ...profile, scores: [['ok'], [1]] },
      { ...profile, codeB: { path: ['x'], label: 'b', fromGroup: { pick: 'middle', by: ['y'] } } },
      { family: 'generic' },
      'generic',
      42,
      undefined,
    ]) {
      await expect(service.saveProfile(file, invalid)).rejects.toThrow(
        new HostError(`Cannot save the profile for ${file}: it is not a valid profile`),
      )
    }
    expect(settings.settings.profiles).toEqual([{ path: file, profile }])
  })

  it(`remembers at most ${MAX_SAVED_PROFILES} profiles, dropping the least recently saved`, async () => {
    const { service, file, settings } = await opened('first.jsonl')
    await service.saveProfile(file, profile)
    const others = await Promise.all(
      Array.from({ length: MAX_SAVED_PROFILES }, (_, i) => touch(`many/${i}.jsonl`)),
    )
    for (const other of others) await service.openPaths([other])
    await Promise.all(others.map((other) => service.saveProfile(other, profile)))
    expect(settings.settings.profiles).toHaveLength(MAX_SAVED_PROFILES)
    expect(service.loadProfile(file)).toBeNull()
    expect(service.loadProfile(others[0] ?? '')).toEqual(profile)
    // 500 opens and 500 settings writes of up to 200 KB: 11.6 s measured on a build machine shared
    // by several test runs (load 11 on 2 cores), where the 5 s default failed it.
  }, 60_000)
})

describe('HostService when its page goes', () => {
  it('refuses the next page everything the page before it was given, but what waits for it', async () => {
    const before = await touch('before.jsonl', 'abc')
    const next = await touch('next.jsonl', 'def')
    const { service } = await setup()
    const old = await service.openPaths([before])
    const waiting = await service.openPaths([next])
    if (!old || !waiting) throw new Error('open failed')
    await service.leavePage([waiting])
    await expect(service.readBytes(old.files[0]?.id ?? '', 0, 3)).rejects.toThrow(
      /not opened in this window/,
    )
    await expect(service.noteOpened(old)).rejects.toThrow(/not opened in this window/)
    await expect(service.saveProfile(before, profile)).rejects.toThrow(/not opened in this window/)
    expect(await service.readBytes(waiting.files[0]?.id ?? '', 0, 3)).toEqual(
      new TextEncoder().encode('def'),
    )
    await service.noteOpened(waiting)
    // A reloaded page reopens its dataset from the recent list, with a grant of its own.
    await service.leavePage([])
    const reopened = await service.openRecent(next)
    expect(await service.readBytes(reopened.files[0]?.id ?? '', 0, 3)).toEqual(
      new TextEncoder().encode('def'),
    )
  })
})

describe('HostService exports', () => {
  const META = '{"format_version":"rewardlens-export-meta/1"}\n'
  const bytes = (text: string) => new TextEncoder().encode(text)

  it('abandons the exports of a page that went, leaving no temporary file', async () => {
    const target = path.join(dir, 'out', 'train.rust.jsonl')
    await mkdir(path.dirname(target))
    const { service } = await setup({ chooseExportPath: () => Promise.resolve(target) })
    const started = await service.beginExport('train.rust.jsonl')
    if (!started) throw new Error('export not begun')
    await service.writeExport(started.id, bytes('{"a":1}\n'))
    expect(await readdir(path.dirname(target))).toHaveLength(1)
    await service.leavePage([])
    expect(await readdir(path.dirname(target))).toEqual([])
    await expect(service.finishExport(started.id, META)).rejects.toThrow(/no longer in progress/)
  })

  it('abandons every export when the app quits', async () => {
    const target = path.join(dir, 'out', 'quit.csv')
    await mkdir(path.dirname(target))
    const { service } = await setup({ chooseExportPath: () => Promise.resolve(target) })
    const started = await service.beginExport('quit.csv')
    await service.writeExport(started?.id ?? '', bytes('a,b\n'))
    await service.abortExports()
    expect(await readdir(path.dirname(target))).toEqual([])
  })

  it('asks before replacing a provenance record already beside the target', async () => {
    const target = await touch('out/train.jsonl', 'the previous export')
    const meta = await touch('out/train.jsonl.meta.json', "someone else's notes")
    const answers = [false, true]
    const confirmReplace = vi.fn(() => Promise.resolve(answers.shift() ?? false))
    const { service } = await setup({
      chooseExportPath: () => Promise.resolve(target),
      confirmReplace,
    })
    // Cancelled: nothing begun, nothing written, both files as they were.
    expect(await service.beginExport('train.jsonl')).toBeNull()
    expect(confirmReplace).toHaveBeenCalledExactlyOnceWith({
      message: 'Replace train.jsonl.meta.json too?',
      detail:
        `Every export writes its provenance record beside it as train.jsonl.meta.json, and a file ` +
        `of that name is already in ${path.dirname(target)}. Replacing it loses what it holds.`,
      button: 'Replace',
    })
    expect((await readdir(path.dirname(target))).sort()).toEqual([
      'train.jsonl',
      'train.jsonl.meta.json',
    ])
    expect(await readFile(meta, 'utf8')).toBe("someone else's notes")
    // Replace: the export and its record both replace the files there.
    const started = await service.beginExport('train.jsonl')
    if (!started) throw new Error('export not begun')
    await service.writeExport(started.id, bytes('{"a":1}\n'))
    await service.finishExport(started.id, META)
    expect(await readFile(target, 'utf8')).toBe('{"a":1}\n')
    expect(await readFile(meta, 'utf8')).toBe(META)
  })

  it('does not ask when there is no provenance record to replace', async () => {
    const target = await touch('out/train.jsonl', 'the previous export')
    const confirmReplace = vi.fn(() => Promise.resolve(false))
    const { service } = await setup({
      chooseExportPath: () => Promise.resolve(target),
      confirmReplace,
    })
    expect(await service.beginExport('train.jsonl')).not.toBeNull()
    expect(confirmReplace).not.toHaveBeenCalled()
  })

  it('never replaces a provenance record when it has no way to ask', async () => {
    const target = path.join(dir, 'out', 'train.jsonl')
    const meta = await touch('out/train.jsonl.meta.json', 'notes')
    const { service } = await setup({ chooseExportPath: () => Promise.resolve(target) })
    await expect(service.beginExport('train.jsonl')).rejects.toThrow(
      new HostError(
        `Cannot export to ${target}: ${meta} already exists and would be replaced. Choose another name.`,
      ),
    )
    expect(await readdir(path.dirname(target))).toEqual(['train.jsonl.meta.json'])
  })
})

describe('HostService demo', () => {
  it('grants the bundled demo file and keeps it off the recent list', async () => {
    const demo = await touch('web/demo/code-rlaif-demo.jsonl')
    const { service } = await setup()
    const source = await service.openDemo()
    expect(source).toMatchObject({ name: 'code-rlaif-demo.jsonl', path: demo })
    await service.noteOpened(source)
    expect(service.recentDatasets()).toEqual([])
  })

  it('explains a build without the demo', async () => {
    const { service } = await setup()
    await expect(service.openDemo()).rejects.toThrow(/demo dataset is missing from this build/)
  })
})

describe('registerHostChannels', () => {
  type Listener = (event: SenderEvent, ...args: unknown[]) => unknown

  async function wired() {
    const listeners = new Map<string, Listener>()
    const ipcMain = {
      handle: (channel: string, listener: Listener) => listeners.set(channel, listener),
    }
    const context = await setup()
    registerHostChannels(
      createHandle(ipcMain as unknown as Pick<IpcMain, 'handle'>),
      context.service,
    )
    const invoke = async (channel: string, url: string, ...args: unknown[]): Promise<unknown> => {
      const listener = listeners.get(channel)
      if (!listener) throw new Error(`no handler for ${channel}`)
      return await listener({ senderFrame: { url } } as unknown as SenderEvent, ...args)
    }
    return { listeners, invoke }
  }

  it('answers every channel of the contract', async () => {
    const { listeners } = await wired()
    expect([...listeners.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort())
  })

  it('serves a dropped file end to end to the app, and nothing to a foreign page', async () => {
    const file = await touch('dropped.jsonl', 'abcdef')
    const { invoke } = await wired()
    const app = 'rewardlens://app/index.html'
    const source = (await invoke('dataset:open-dropped', app, [file])) as DatasetSource
    const id = source.files[0]?.id
    expect(await invoke('dataset:read', app, id, 1, 4)).toEqual(new TextEncoder().encode('bcd'))
    await expect(invoke('dataset:read', 'https://evil.example/', id, 0, 6)).rejects.toThrow(
      /Refused/,
    )
  })

  it('refuses arguments of the wrong type', async () => {
    const { invoke } = await wired()
    const app = 'rewardlens://app/index.html'
    await expect(invoke('dataset:open-dropped', app, '/etc/passwd')).rejects.toThrow(
      /list of paths/,
    )
    await expect(invoke('dataset:open-dropped', app, [42])).rejects.toThrow(/list of paths/)
    await expect(invoke('dataset:open-recent', app, { path: '/x' })).rejects.toThrow(/by its path/)
    await expect(invoke('dataset:read', app, 'id', '0', 5)).rejects.toThrow(HostError)
    await expect(invoke('recent:note', app, null)).rejects.toThrow(/not opened in this window/)
    for (const datasetPath of ['', 42, null, undefined, ['/x']]) {
      await expect(invoke('profile:load', app, datasetPath)).rejects.toThrow(
        new HostError('The path of a dataset is missing'),
      )
      await expect(invoke('profile:save', app, datasetPath, null)).rejects.toThrow(
        /path of a dataset is missing/,
      )
      await expect(invoke('flags:load', app, datasetPath)).rejects.toThrow(
        /path of a dataset is missing/,
      )
    }
    await expect(invoke('theme:save', app, 'purple')).rejects.toThrow(/Unknown theme/)
    await expect(invoke('export:begin', app, '')).rejects.toThrow(/file name/)
    await expect(invoke('export:write', app, 'id', 'text')).rejects.toThrow(/bytes/)
    await expect(invoke('export:finish', app, 'id', 42)).rejects.toThrow(/provenance/)
    await expect(invoke('export:abort', app, 7)).rejects.toThrow(/by its id/)
  })

  it('refuses paths a page names over raw IPC that are not datasets: no grant, no recent entry', async () => {
    const shadow = await touch('etc/shadow', 'root:$6$hash:19000:0:99999:7:::\n')
    const disguised = path.join(dir, 'drop', 'train.jsonl')
    await mkdir(path.dirname(disguised))
    await symlink(shadow, disguised)
    const { invoke } = await wired()
    const app = 'rewardlens://app/index.html'
    await expect(invoke('dataset:open-dropped', app, [shadow])).rejects.toThrow(
      `Cannot open ${shadow}: RewardLens opens only .jsonl, .json, .parquet or .csv files and folders`,
    )
    await expect(invoke('dataset:open-dropped', app, ['/dev/zero'])).rejects.toThrow(
      /Cannot open \/dev\/zero: RewardLens opens only/,
    )
    await expect(invoke('dataset:open-dropped', app, [disguised])).rejects.toThrow(
      `Cannot open ${disguised}: it is a link to ${shadow}, which is not a .jsonl, .json, .parquet or .csv file`,
    )
    for (const forged of [shadow, disguised, '/dev/zero']) {
      const source = { name: path.basename(forged), path: forged, isFolder: false, files: [] }
      await expect(invoke('recent:note', app, source)).rejects.toThrow(/not opened in this window/)
    }
    expect(await invoke('recent:list', app)).toEqual([])
  })

  it('still opens dropped dataset files and folders', async () => {
    const file = await touch('drop/a.jsonl', 'abc')
    await touch('shards/part-1.csv', 'x\n1\n')
    const { invoke } = await wired()
    const app = 'rewardlens://app/index.html'
    const one = (await invoke('dataset:open-dropped', app, [file])) as DatasetSource
    expect(await invoke('dataset:read', app, one.files[0]?.id, 0, 3)).toEqual(
      new TextEncoder().encode('abc'),
    )
    const folder = (await invoke('dataset:open-dropped', app, [
      path.join(dir, 'shards'),
    ])) as DatasetSource
    expect(folder).toMatchObject({ name: 'shards', isFolder: true })
    await invoke('recent:note', app, folder)
    expect(await invoke('recent:list', app)).toMatchObject([{ path: path.join(dir, 'shards') }])
  })

  it('saves and loads a profile through the channels, keeping only its fields', async () => {
    const file = await touch('channels.jsonl')
    const { invoke } = await wired()
    const app = 'rewardlens://app/index.html'
    expect(await invoke('profile:load', app, file)).toBeNull()
    await expect(invoke('profile:save', app, file, profile)).rejects.toThrow(/not opened/)
    await invoke('dataset:open-dropped', app, [file])
    await invoke('profile:save', app, file, { ...profile, injected: '<script>' })
    expect(await invoke('profile:load', app, file)).toEqual(profile)
    await expect(invoke('profile:save', app, file, { family: 'kodcode' })).rejects.toThrow(
      /not a valid profile/,
    )
    await invoke('profile:save', app, file, null)
    expect(await invoke('profile:load', app, file)).toBeNull()
    await expect(invoke('profile:load', 'https://evil.example/', file)).rejects.toThrow(/Refused/)
  })
})
