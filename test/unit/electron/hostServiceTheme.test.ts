import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { IpcMain } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HostError } from '../../../shared/host'
import { FileGrants } from '../../../electron/main/grants'
import { HostService, registerHostChannels } from '../../../electron/main/hostService'
import { createHandle } from '../../../electron/main/ipc'
import type { SenderEvent } from '../../../electron/main/ipc'
import { SettingsStore } from '../../../electron/main/settings'

let dir: string
let settingsFile: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-theme-'))
  settingsFile = path.join(dir, 'settings.json')
})

afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

/** A HostService over a real settings file in the temporary folder, as the app builds it. */
async function start(): Promise<{ service: HostService; settings: SettingsStore }> {
  const settings = await SettingsStore.open(settingsFile)
  const service = new HostService({
    grants: new FileGrants(),
    settings,
    demoDataset: path.join(dir, 'web', 'demo', 'code-rlaif-demo.jsonl'),
    chooseFile: () => Promise.resolve(null),
    chooseFolder: () => Promise.resolve(null),
    chooseExportPath: () => Promise.resolve(null),
    dataDir: path.join(dir, 'flags'),
  })
  return { service, settings }
}

describe('HostService theme', () => {
  it('follows the system until the person chooses', async () => {
    const { service } = await start()
    expect(service.loadTheme()).toBe('system')
  })

  it('remembers the choice across restarts, in the settings file', async () => {
    const first = await start()
    await first.service.saveTheme('dark')
    expect(first.service.loadTheme()).toBe('dark')
    const second = await start()
    expect(second.service.loadTheme()).toBe('dark')
    await second.service.saveTheme('system')
    expect((await start()).service.loadTheme()).toBe('system')
    expect(JSON.parse(await readFile(settingsFile, 'utf8'))).toMatchObject({ theme: 'system' })
  })

  it('refuses anything but system, light or dark, keeping the choice made before', async () => {
    const { service } = await start()
    await service.saveTheme('light')
    for (const theme of ['Dark', 'sepia', '', null, undefined, 1, { theme: 'dark' }])
      await expect(service.saveTheme(theme)).rejects.toThrow(HostError)
    expect(service.loadTheme()).toBe('light')
    expect((await start()).service.loadTheme()).toBe('light')
  })

  it('starts from the system theme when the settings file was damaged', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    await writeFile(settingsFile, '{"theme": "dark", "recent": [')
    const { service, settings } = await start()
    expect(settings.notice).toContain('damaged')
    expect(service.loadTheme()).toBe('system')
  })
})

describe('theme channels', () => {
  type Listener = (event: SenderEvent, ...args: unknown[]) => unknown
  const APP = 'rewardlens://app/index.html'

  async function wired() {
    const listeners = new Map<string, Listener>()
    const ipcMain = {
      handle: (channel: string, listener: Listener) => listeners.set(channel, listener),
    }
    registerHostChannels(
      createHandle(ipcMain as unknown as Pick<IpcMain, 'handle'>),
      (await start()).service,
    )
    return async (channel: string, url: string, ...args: unknown[]): Promise<unknown> => {
      const listener = listeners.get(channel)
      if (!listener) throw new Error(`no handler for ${channel}`)
      return await listener({ senderFrame: { url } } as unknown as SenderEvent, ...args)
    }
  }

  it('saves and loads the theme for the app page', async () => {
    const invoke = await wired()
    expect(await invoke('theme:load', APP)).toBe('system')
    await invoke('theme:save', APP, 'light')
    expect(await invoke('theme:load', APP)).toBe('light')
    await expect(invoke('theme:save', APP, 'neon')).rejects.toThrow(/Unknown theme: neon/)
    expect(await invoke('theme:load', APP)).toBe('light')
  })

  it('answers no other page', async () => {
    const invoke = await wired()
    await expect(invoke('theme:save', 'https://evil.example/', 'dark')).rejects.toThrow(/Refused/)
    await expect(invoke('theme:load', 'file:///tmp/page.html')).rejects.toThrow(/Refused/)
    expect(await invoke('theme:load', APP)).toBe('system')
  })
})
