import { EventEmitter } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { BrowserWindowConstructorOptions } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import type { DatasetSource } from '../../../shared/host'
import { AppWindow } from '../../../electron/main/appWindow'
import { SettingsStore } from '../../../electron/main/settings'
import type { Rectangle } from '../../../electron/main/windowState'

/** Stands in for a window's webContents at Electron's boundary: it records what was sent. */
class FakeContents extends EventEmitter {
  readonly sent: unknown[][] = []

  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args])
  }
}

/** Stands in for Electron's BrowserWindow: events are emitted by the test, calls are recorded. */
class FakeWindow extends EventEmitter {
  static made: FakeWindow[] = []
  readonly webContents = new FakeContents()
  readonly options: BrowserWindowConstructorOptions
  title = ''
  url = ''
  visible = false
  focused = false
  minimized = false
  maximized = false

  constructor(options: BrowserWindowConstructorOptions) {
    super()
    this.options = options
    FakeWindow.made.push(this)
  }

  show(): void {
    this.visible = true
  }
  focus(): void {
    this.focused = true
  }
  restore(): void {
    this.minimized = false
  }
  isMinimized(): boolean {
    return this.minimized
  }
  maximize(): void {
    this.maximized = true
  }
  isMaximized(): boolean {
    return this.maximized
  }
  getNormalBounds(): Rectangle {
    return { x: 40, y: 30, width: 1000, height: 700 }
  }
  setTitle(title: string): void {
    this.title = title
  }
  loadURL(url: string): Promise<void> {
    this.url = url
    return Promise.resolve()
  }

  /** What Electron does when the page starts to reload or navigate (`isMainFrame` etc. as given). */
  startNavigation(details: { isMainFrame: boolean; isSameDocument: boolean; url?: string }): void {
    this.webContents.emit('did-start-navigation', {
      url: 'rewardlens://app/index.html',
      ...details,
    })
  }

  /** What Electron does once the page has loaded. */
  finishLoad(): void {
    this.webContents.emit('did-start-loading')
    this.webContents.emit('did-finish-load')
  }

  /** What Electron does when the person closes the window. */
  close(): void {
    this.emit('close')
    this.emit('closed')
  }
}

const SCREEN: Rectangle = { x: 0, y: 0, width: 1920, height: 1080 }
const source = (name: string): DatasetSource => ({
  name,
  path: `/d/${name}`,
  isFolder: false,
  files: [],
})

let dir: string
let settings: SettingsStore
let closed: Mock<() => void>
let pageLeft: Mock<(waiting: readonly DatasetSource[]) => void>

function appWindow(): AppWindow<FakeWindow> {
  return new AppWindow({
    BrowserWindow: FakeWindow,
    preload: '/app/preload.cjs',
    url: 'rewardlens://app/index.html',
    workAreas: () => [SCREEN],
    onClosed: closed,
    onPageLeft: pageLeft,
  })
}

const openRequests = (window: FakeWindow) =>
  window.webContents.sent.filter(([channel]) => channel === 'event:open-request').map(([, s]) => s)

beforeEach(async () => {
  FakeWindow.made = []
  closed = vi.fn<() => void>()
  pageLeft = vi.fn<(waiting: readonly DatasetSource[]) => void>()
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-window-'))
  settings = await SettingsStore.open(path.join(dir, 'settings.json'))
})

afterEach(async () => {
  await settings.flush()
  await rm(dir, { recursive: true, force: true })
})

describe('AppWindow', () => {
  it('makes one hidden, sandboxed, isolated window without Node and loads the app', () => {
    const app = appWindow()
    const window = app.open(settings)
    expect(app.open(settings)).toBe(window)
    expect(FakeWindow.made).toEqual([window])
    expect(window.options).toMatchObject({
      show: false,
      width: 1400,
      height: 900,
      webPreferences: {
        preload: '/app/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        devTools: false,
      },
    })
    expect(window.url).toBe('rewardlens://app/index.html')
    expect(window.visible).toBe(false)
    window.emit('ready-to-show')
    expect(window.visible).toBe(true)
  })

  it('delivers open requests made before the page loaded, in order, once it has', () => {
    const app = appWindow()
    app.sendOpenRequest(source('before-window.jsonl'))
    const window = app.open(settings)
    app.sendOpenRequest(source('a.jsonl'))
    app.sendOpenRequest(source('b.jsonl'))
    expect(window.webContents.sent).toEqual([])
    window.finishLoad()
    expect(openRequests(window)).toEqual([
      source('before-window.jsonl'),
      source('a.jsonl'),
      source('b.jsonl'),
    ])
  })

  it('sends at once after the page loaded, and holds again while it reloads', () => {
    const app = appWindow()
    const window = app.open(settings)
    window.finishLoad()
    app.sendOpenRequest(source('now.jsonl'))
    expect(openRequests(window)).toEqual([source('now.jsonl')])
    window.webContents.emit('did-start-loading')
    app.sendOpenRequest(source('after-reload.jsonl'))
    expect(openRequests(window)).toEqual([source('now.jsonl')])
    window.webContents.emit('did-finish-load')
    expect(openRequests(window)).toEqual([source('now.jsonl'), source('after-reload.jsonl')])
  })

  it('lets the page go when it reloads or navigates, keeping the open requests still waiting', () => {
    const app = appWindow()
    const window = app.open(settings)
    window.finishLoad()
    // In-page navigations (a fragment, pushState) and frames inside the page keep the page.
    window.startNavigation({ isMainFrame: true, isSameDocument: true })
    window.startNavigation({ isMainFrame: false, isSameDocument: false })
    // A navigation away from the app is refused (by will-navigate), so the page stays.
    window.startNavigation({
      isMainFrame: true,
      isSameDocument: false,
      url: 'https://example.com/',
    })
    expect(pageLeft).not.toHaveBeenCalled()
    window.startNavigation({ isMainFrame: true, isSameDocument: false })
    expect(pageLeft).toHaveBeenLastCalledWith([])
    // A dataset granted during the reload is for the next page: it stays granted.
    app.sendOpenRequest(source('during-reload.jsonl'))
    window.startNavigation({ isMainFrame: true, isSameDocument: false })
    expect(pageLeft).toHaveBeenLastCalledWith([source('during-reload.jsonl')])
    expect(pageLeft).toHaveBeenCalledTimes(2)
  })

  it('lets the page go when the window closes, after stopping what ran for it', () => {
    const app = appWindow()
    const window = app.open(settings)
    window.finishLoad()
    closed.mockImplementation(() => expect(pageLeft).not.toHaveBeenCalled())
    window.close()
    expect(closed).toHaveBeenCalledOnce()
    expect(pageLeft).toHaveBeenCalledExactlyOnceWith([])
  })

  it('has developer tools only when asked (development), never by default', () => {
    const development = new AppWindow({
      BrowserWindow: FakeWindow,
      preload: '/app/preload.cjs',
      url: 'rewardlens://app/index.html',
      workAreas: () => [SCREEN],
      devTools: true,
    }).open(settings)
    expect(development.options.webPreferences?.devTools).toBe(true)
    const packaged = appWindow().open(settings)
    expect(packaged.options.webPreferences?.devTools).toBe(false)
  })

  it('passes menu commands to a loaded page only', () => {
    const app = appWindow()
    app.sendMenuCommand('open-file')
    const window = app.open(settings)
    app.sendMenuCommand('open-folder')
    window.finishLoad()
    app.sendMenuCommand('close-dataset')
    expect(window.webContents.sent).toEqual([['event:menu-command', 'close-dataset']])
  })

  it('drops menu commands once closed without throwing, and keeps open requests for the next window', () => {
    const app = appWindow()
    const first = app.open(settings)
    first.finishLoad()
    first.close()
    expect(closed).toHaveBeenCalledOnce()
    expect(app.window).toBeNull()
    expect(() => app.sendMenuCommand('close-dataset')).not.toThrow()
    expect(() => app.sendOpenRequest(source('from-finder.jsonl'))).not.toThrow()
    expect(first.webContents.sent).toEqual([])
    const second = app.open(settings)
    expect(second).not.toBe(first)
    expect(openRequests(second)).toEqual([])
    second.finishLoad()
    expect(openRequests(second)).toEqual([source('from-finder.jsonl')])
  })

  it('saves its bounds when it closes and reopens there', async () => {
    const app = appWindow()
    const first = app.open(settings)
    first.maximized = true
    first.close()
    await settings.flush()
    expect(settings.settings.windowBounds).toEqual({
      x: 40,
      y: 30,
      width: 1000,
      height: 700,
      maximized: true,
    })
    const reopened = await SettingsStore.open(settings.file)
    const second = app.open(reopened)
    expect(second.options).toMatchObject({ x: 40, y: 30, width: 1000, height: 700 })
    expect(second.maximized).toBe(true)
  })

  it('reopens at the default size when the saved bounds are off every screen', async () => {
    await settings.update((current) => ({
      ...current,
      windowBounds: { x: 5000, y: 5000, width: 900, height: 600, maximized: false },
    }))
    const window = appWindow().open(settings)
    expect(window.options).toMatchObject({ width: 1400, height: 900 })
    expect(window.options.x).toBeUndefined()
  })

  it('comes forward for an open request only once it has shown itself', () => {
    const app = appWindow()
    const window = app.open(settings)
    window.minimized = true
    app.sendOpenRequest(source('a.jsonl'))
    expect(window.focused).toBe(false)
    expect(window.minimized).toBe(true)
    window.emit('ready-to-show')
    app.sendOpenRequest(source('b.jsonl'))
    expect(window.focused).toBe(true)
    expect(window.minimized).toBe(false)
  })

  it("keeps its own title, not the page's, and resets it when the page loads", () => {
    const app = appWindow()
    const window = app.open(settings)
    const titleEvent = { preventDefault: vi.fn() }
    window.emit('page-title-updated', titleEvent)
    expect(titleEvent.preventDefault).toHaveBeenCalledOnce()
    app.setDatasetTitle('a.jsonl')
    expect(window.title).toBe('a.jsonl — RewardLens')
    window.finishLoad()
    expect(window.title).toBe('RewardLens')
    window.close()
    expect(() => app.setDatasetTitle('b.jsonl')).not.toThrow()
  })
})
