import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { IpcMain } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HostError } from '../../../shared/host'
import type { Host } from '../../../shared/host'
import { INVOKE_CHANNELS, REQUEST_CHANNELS } from '../../../shared/ipc'
import { FileGrants } from '../../../electron/main/grants'
import { HostService, registerHostChannels } from '../../../electron/main/hostService'
import { createHandle } from '../../../electron/main/ipc'
import type { SenderEvent } from '../../../electron/main/ipc'
import { SettingsStore } from '../../../electron/main/settings'

/** Electron's renderer-side modules, faked at the boundary for the preload. */
const electron = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events')
  const ipc = new (class extends EventEmitter {
    invoke = vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>()
  })()
  return {
    ipcRenderer: ipc,
    contextBridge: { exposeInMainWorld: vi.fn<(key: string, api: unknown) => void>() },
    webUtils: { getPathForFile: vi.fn<(file: unknown) => string>() },
  }
})

vi.mock('electron', () => electron)

const channels = Object.entries(REQUEST_CHANNELS)

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-channels-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

type Listener = (event: SenderEvent, ...args: unknown[]) => unknown

/** The listeners main registers, by channel, through the same handle it uses in the app. */
async function registeredListeners(): Promise<Map<string, Listener>> {
  const registered = new Map<string, Listener>()
  const ipcMain = {
    handle: (channel: string, listener: Listener) => {
      expect(registered.has(channel), `${channel} registered twice`).toBe(false)
      registered.set(channel, listener)
    },
  }
  const service = new HostService({
    grants: new FileGrants(),
    settings: await SettingsStore.open(path.join(dir, 'settings.json')),
    demoDataset: path.join(dir, 'demo.jsonl'),
    chooseFile: () => Promise.resolve(null),
    chooseFolder: () => Promise.resolve(null),
    chooseExportPath: () => Promise.resolve(null),
    dataDir: path.join(dir, 'flags'),
  })
  registerHostChannels(createHandle(ipcMain as unknown as Pick<IpcMain, 'handle'>), service)
  return registered
}

/** The Host the preload exposes. */
async function preloadHost(): Promise<Host> {
  vi.resetModules()
  electron.ipcRenderer.removeAllListeners()
  electron.ipcRenderer.invoke.mockReset()
  electron.ipcRenderer.invoke.mockResolvedValue(null)
  electron.contextBridge.exposeInMainWorld.mockReset()
  await import('../../../electron/preload/index')
  return electron.contextBridge.exposeInMainWorld.mock.calls[0]?.[1] as Host
}

describe('the request channel map', () => {
  it('lists each channel once, each for a different Host method', () => {
    expect(INVOKE_CHANNELS).toEqual(Object.keys(REQUEST_CHANNELS))
    const methods = channels.map(([, spec]) => spec.method)
    expect(new Set(methods).size).toBe(methods.length)
  })

  it('has a main-process handler for every channel, registered once', async () => {
    const registered = await registeredListeners()
    expect([...registered.keys()].sort()).toEqual(channels.map(([channel]) => channel).sort())
    const app = { senderFrame: { url: 'rewardlens://app/index.html' } } as unknown as SenderEvent
    for (const [channel, listener] of registered) {
      // Called without arguments, a handler answers or refuses them; it never is missing.
      const answer = Promise.resolve().then(() => listener(app))
      await answer.catch((error: unknown) => {
        expect(error, channel).toBeInstanceOf(HostError)
      })
    }
  })

  it.each(channels)(
    'has a preload method that sends %s with exactly its arguments',
    async (channel, { method, arity }) => {
      const host = await preloadHost()
      // Host methods are plain functions: the object crosses the context bridge without a `this`.
      const call: unknown = Reflect.get(host, method)
      expect(typeof call).toBe('function')
      const args =
        method === 'openDropped'
          ? [[{ name: 'a.jsonl', size: 1 }]]
          : Array.from({ length: arity }, (_, index) => `argument ${index}`)
      electron.webUtils.getPathForFile.mockReturnValue('/d/a.jsonl')
      await (call as (...args: unknown[]) => Promise<unknown>)(...args, 'one too many')
      const sent = method === 'openDropped' ? [['/d/a.jsonl']] : args
      expect(electron.ipcRenderer.invoke.mock.calls).toEqual([[channel, ...sent]])
    },
  )
})
