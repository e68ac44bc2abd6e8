/**
 * The app's main window: made with the secure settings, reopened where it was, and holding the
 * datasets to open until its page has loaded.
 *
 * Electron is imported for types only. The BrowserWindow class comes in as an option (Electron's in
 * the app, a small fake in tests), so the load state and the queue are unit-tested in plain Node.
 */
import type { BrowserWindowConstructorOptions } from 'electron'
import type { DatasetSource, MenuCommand } from '../../shared/host'
import { sendEvent } from './ipc'
import { isAppUrl } from './protocol'
import type { SettingsStore } from './settings'
import {
  DEFAULT_WINDOW_SIZE,
  MIN_WINDOW_SIZE,
  restorableBounds,
  windowTitle,
  type Rectangle,
} from './windowState'

/** What the app window reads of Electron's `did-start-navigation` details. */
export interface NavigationStart {
  readonly url: string
  readonly isMainFrame: boolean
  readonly isSameDocument: boolean
}

/** The part of a page's web contents the app window uses. */
export interface PageContents {
  on(event: 'did-start-loading' | 'did-finish-load', listener: () => void): unknown
  on(event: 'did-start-navigation', listener: (details: NavigationStart) => void): unknown
  send(channel: string, ...args: unknown[]): void
}

/** The part of Electron's BrowserWindow the app window uses. */
export interface WindowSurface {
  readonly webContents: PageContents
  once(event: 'ready-to-show', listener: () => void): unknown
  on(event: 'page-title-updated', listener: (event: { preventDefault(): void }) => void): unknown
  on(event: 'close', listener: () => void): unknown
  on(event: 'closed', listener: () => void): unknown
  show(): void
  focus(): void
  restore(): void
  isMinimized(): boolean
  maximize(): void
  isMaximized(): boolean
  getNormalBounds(): Rectangle
  setTitle(title: string): void
  loadURL(url: string): Promise<void>
}

/** The settings a window reopens from and saves its bounds to. */
export type WindowSettings = Pick<SettingsStore, 'settings' | 'update'>

/** What the app window needs from the app around it. */
export interface AppWindowOptions<W extends WindowSurface> {
  /** Electron's BrowserWindow class (named so, so Electronegativity checks the settings below). */
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => W
  /** The bundled preload script, the only code the page's process runs beside the page. */
  readonly preload: string
  /** The page the window loads. */
  readonly url: string
  /** The displays' work areas now, so a window is never reopened off every screen. */
  readonly workAreas: () => readonly Rectangle[]
  /** Called after a window closed, to stop what ran for it (its engine). */
  readonly onClosed?: () => void
  /**
   * Called when the page goes: it starts to reload or navigate, or its window closed. What it was
   * given (file grants, exports under way) must go with it; `waiting` are the datasets granted for
   * the next page that it has not been handed yet, which must stay.
   */
  readonly onPageLeft?: (waiting: readonly DatasetSource[]) => void
  /** Lets the developer tools open: in development only, never in the packaged app. */
  readonly devTools?: boolean
}

/**
 * Owns the app's one window: its page's load state and the open requests waiting for the page.
 *
 * Open requests made while no page can take them (not loaded yet, reloading, or no window open on
 * macOS) wait in order and go to the next page that finishes loading. Menu commands are only for a
 * page showing now and are dropped otherwise.
 */
export class AppWindow<W extends WindowSurface> {
  readonly #options: AppWindowOptions<W>
  #window: W | null = null
  /** Set once 'ready-to-show' fired: before that, showing the window would flash white. */
  #shown = false
  /** Set while the page has finished loading and not started again. */
  #loaded = false
  readonly #waiting: DatasetSource[] = []

  constructor(options: AppWindowOptions<W>) {
    this.#options = options
  }

  /** The open window, or null when none is (macOS keeps the app running without one). */
  get window(): W | null {
    return this.#window
  }

  /**
   * Opens the window where it was last, unless one is open already, and returns it.
   *
   * The settings say where it reopens and keep its bounds when it closes.
   */
  open(settings: WindowSettings): W {
    this.#window ??= this.#create(settings)
    return this.#window
  }

  /** Hands the page a dataset to open, now if it has loaded or else once it has, and brings it forward. */
  sendOpenRequest(source: DatasetSource): void {
    if (this.#window && this.#loaded)
      sendEvent(this.#window.webContents, 'event:open-request', source)
    else this.#waiting.push(source)
    this.focus()
  }

  /** Passes a menu command to the page; dropped when no loaded page is there to carry it out. */
  sendMenuCommand(command: MenuCommand): void {
    if (this.#window && this.#loaded)
      sendEvent(this.#window.webContents, 'event:menu-command', command)
  }

  /** Titles the window after the open dataset, or the app alone with null. */
  setDatasetTitle(datasetName: string | null): void {
    this.#window?.setTitle(windowTitle(datasetName))
  }

  /** Brings the window to the front, restoring it when minimised; a window not shown yet shows itself. */
  focus(): void {
    const window = this.#window
    if (!window || !this.#shown) return
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  }

  #create(settings: WindowSettings): W {
    const { BrowserWindow } = this.#options
    const bounds = restorableBounds(settings.settings.windowBounds, this.#options.workAreas())
    const win = new BrowserWindow({
      title: windowTitle(null),
      ...(bounds
        ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height }
        : DEFAULT_WINDOW_SIZE),
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      show: false,
      webPreferences: {
        // Reviewed (PRELOAD_JS_CHECK asks for it): the sandboxed preload exposes only the Host
        // contract through contextBridge, one typed IPC channel per method, never ipcRenderer.
        preload: this.#options.preload, // eng-disable PRELOAD_JS_CHECK
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // Middle-clicks (auxclick) ask for new windows: refused by the window-open handler in
        // index.ts, and switched off here too, as Electronegativity's AUXCLICK_JS_CHECK asks.
        disableBlinkFeatures: 'Auxclick',
        devTools: this.#options.devTools ?? false,
      },
    })
    if (bounds?.maximized) win.maximize()
    win.once('ready-to-show', () => {
      this.#shown = true
      win.show()
    })
    // The title is ours ("<dataset> — RewardLens"), not the page's <title>.
    win.on('page-title-updated', (event) => event.preventDefault())
    win.webContents.on('did-start-loading', () => {
      this.#loaded = false
    })
    win.webContents.on('did-start-navigation', (details) => {
      // A fragment or pushState keeps the page; so does a frame inside it. So does a navigation
      // away from the app, which `hardenContents` refuses (this event may come before it does).
      if (!details.isMainFrame || details.isSameDocument || !isAppUrl(details.url)) return
      this.#loaded = false
      this.#options.onPageLeft?.([...this.#waiting])
    })
    win.webContents.on('did-finish-load', () => {
      // A reload starts the renderer with no dataset open.
      win.setTitle(windowTitle(null))
      this.#loaded = true
      for (const source of this.#waiting.splice(0))
        sendEvent(win.webContents, 'event:open-request', source)
    })
    win.on('close', () => {
      const normal = win.getNormalBounds()
      void settings.update((current) => ({
        ...current,
        windowBounds: { ...normal, maximized: win.isMaximized() },
      }))
    })
    win.on('closed', () => {
      this.#options.onClosed?.()
      this.#options.onPageLeft?.([...this.#waiting])
      if (this.#window === win) this.#window = null
      this.#shown = false
      this.#loaded = false
    })
    void win.loadURL(this.#options.url)
    return win
  }
}
