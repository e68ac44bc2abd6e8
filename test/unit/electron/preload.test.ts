import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ENGINE_PORT_MESSAGE } from '../../../shared/engineProtocol'
import type { DatasetSource, DroppedFile, Host } from '../../../shared/host'
import { ENGINE_PORT_CHANNEL } from '../../../shared/ipc'

/** Electron's renderer-side modules, faked at the boundary: the preload imports nothing else. */
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

async function loadHost(): Promise<Host> {
  vi.resetModules()
  electron.ipcRenderer.removeAllListeners()
  electron.ipcRenderer.invoke.mockReset()
  electron.contextBridge.exposeInMainWorld.mockReset()
  await import('../../../electron/preload/index')
  const [key, host] = electron.contextBridge.exposeInMainWorld.mock.calls[0] ?? []
  expect(key).toBe('host')
  return host as Host
}

const source: DatasetSource = { name: 'a.jsonl', path: '/d/a.jsonl', isFolder: false, files: [] }
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

let host: Host

beforeEach(async () => {
  host = await loadHost()
})

describe('preload bridge', () => {
  it('exposes the Host contract alone, with no way to reach IPC', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce()
    expect(Object.keys(host).sort()).toEqual(
      [
        'abortExport',
        'beginExport',
        'finishExport',
        'kind',
        'loadFlags',
        'loadProfile',
        'loadRerunResults',
        'loadTheme',
        'noteOpened',
        'onEngineStopped',
        'onFlagsChanged',
        'onMenuCommand',
        'onOpenRequest',
        'openDemo',
        'openDropped',
        'openRecent',
        'pickFile',
        'pickFolder',
        'readBytes',
        'recentDatasets',
        'saveFlags',
        'saveProfile',
        'saveRerunResults',
        'saveTheme',
        'startEngine',
        'writeExport',
      ].sort(),
    )
    expect(host.kind).toBe('desktop')
    expect(Object.values(host)).not.toContain(electron.ipcRenderer)
  })

  it('maps each method to its channel', async () => {
    electron.ipcRenderer.invoke.mockResolvedValue('answer')
    await host.pickFile()
    await host.pickFolder()
    await host.openRecent('/d/a.jsonl')
    await host.openDemo()
    await host.readBytes('id-1', 10, 20)
    await host.recentDatasets()
    await host.noteOpened(source)
    await host.loadProfile('/d/a.jsonl')
    await host.saveProfile('/d/a.jsonl', null)
    const flags = { version: 1, dataset: { name: 'a.jsonl', size: 3 }, flags: [] } as const
    const chunk = new Uint8Array([1, 2])
    await host.loadTheme()
    await host.saveTheme('dark')
    await host.loadFlags('/d/a.jsonl')
    await host.saveFlags('/d/a.jsonl', flags)
    await host.beginExport('a.rust.jsonl')
    await host.writeExport('export-1', chunk)
    await host.finishExport('export-1', '{}')
    await host.abortExport('export-1')
    await host.startEngine()
    expect(electron.ipcRenderer.invoke.mock.calls).toEqual([
      ['dataset:pick-file'],
      ['dataset:pick-folder'],
      ['dataset:open-recent', '/d/a.jsonl'],
      ['dataset:open-demo'],
      ['dataset:read', 'id-1', 10, 20],
      ['recent:list'],
      ['recent:note', source],
      ['profile:load', '/d/a.jsonl'],
      ['profile:save', '/d/a.jsonl', null],
      ['theme:load'],
      ['theme:save', 'dark'],
      ['flags:load', '/d/a.jsonl'],
      ['flags:save', '/d/a.jsonl', flags],
      ['export:begin', 'a.rust.jsonl'],
      ['export:write', 'export-1', chunk],
      ['export:finish', 'export-1', '{}'],
      ['export:abort', 'export-1'],
      ['engine:start'],
    ])
  })

  it("rejects with the main process's message, not Electron's wrapper", async () => {
    electron.ipcRenderer.invoke.mockRejectedValue(
      new Error(
        "Error invoking remote method 'dataset:open-recent': HostError: Cannot open /x.jsonl: the file does not exist",
      ),
    )
    await expect(host.openRecent('/x.jsonl')).rejects.toThrow(
      expect.objectContaining({
        name: 'HostError',
        message: 'Cannot open /x.jsonl: the file does not exist',
      }) as Error,
    )
  })

  it('sends the paths of dropped files and skips those without one', async () => {
    const files = [
      { name: 'a.jsonl', size: 1 },
      { name: 'from-browser.txt', size: 2 },
      { name: 'b.jsonl', size: 3 },
    ]
    const paths = new Map<DroppedFile, string>([
      [files[0] as DroppedFile, '/d/a.jsonl'],
      [files[2] as DroppedFile, '/d/b.jsonl'],
    ])
    electron.webUtils.getPathForFile.mockImplementation(
      (file) => paths.get(file as DroppedFile) ?? '',
    )
    electron.ipcRenderer.invoke.mockResolvedValue(source)
    expect(await host.openDropped(files)).toBe(source)
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('dataset:open-dropped', [
      '/d/a.jsonl',
      '/d/b.jsonl',
    ])
  })

  it('resolves to null without asking main when no dropped file has a path', async () => {
    electron.webUtils.getPathForFile.mockReturnValue('')
    expect(await host.openDropped([{ name: 'x', size: 0 }])).toBeNull()
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled()
  })
})

describe('preload events', () => {
  it('holds open requests that arrive before anyone listens, then delivers them once', async () => {
    electron.ipcRenderer.emit('event:open-request', {}, source)
    const first = vi.fn()
    const unsubscribeFirst = host.onOpenRequest(first)
    unsubscribeFirst() // React StrictMode unmounts the first effect at once
    const second = vi.fn()
    host.onOpenRequest(second)
    await tick()
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledExactlyOnceWith(source)
  })

  it('passes the payload alone and stops after unsubscribe', async () => {
    const listener = vi.fn()
    const unsubscribe = host.onOpenRequest(listener)
    await tick()
    electron.ipcRenderer.emit('event:open-request', { sender: 'secret' }, source)
    unsubscribe()
    electron.ipcRenderer.emit('event:open-request', {}, source)
    expect(listener).toHaveBeenCalledExactlyOnceWith(source)
  })

  it('forwards menu commands until unsubscribed', () => {
    const listener = vi.fn()
    const unsubscribe = host.onMenuCommand(listener)
    electron.ipcRenderer.emit('event:menu-command', {}, 'close-dataset')
    unsubscribe()
    electron.ipcRenderer.emit('event:menu-command', {}, 'open-file')
    expect(listener).toHaveBeenCalledExactlyOnceWith('close-dataset')
    expect(electron.ipcRenderer.listenerCount('event:menu-command')).toBe(0)
  })

  it("hands the engine's port to the page's window, and the engine's stop to its listener", () => {
    const postMessage = vi.fn()
    vi.stubGlobal('postMessage', postMessage)
    try {
      const port = { name: 'the window end' }
      electron.ipcRenderer.emit(ENGINE_PORT_CHANNEL, { ports: [port] })
      // To the app's origin only: were the window showing another page, it would not get the port.
      expect(postMessage).toHaveBeenCalledExactlyOnceWith(ENGINE_PORT_MESSAGE, 'rewardlens://app', [
        port,
      ])
    } finally {
      vi.unstubAllGlobals()
    }
    const stops: string[] = []
    host.onEngineStopped((message) => stops.push(message))
    electron.ipcRenderer.emit(
      'event:engine-stopped',
      {},
      'The data engine stopped (exit code 134).',
    )
    expect(stops).toEqual(['The data engine stopped (exit code 134).'])
  })
})
