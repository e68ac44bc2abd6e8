/**
 * The Electron main process: wires the window, the app scheme, menus and IPC to the plain modules
 * beside it. Decisions live in those modules (and their tests); this file only connects them.
 */
import {
  BrowserWindow,
  Menu,
  MessageChannelMain,
  app,
  dialog,
  ipcMain,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
} from 'electron'
import type { OpenDialogOptions, WebContents } from 'electron'
import path from 'node:path'
import { DATASET_EXTENSIONS } from '../../shared/host'
import type { DatasetSource, MenuCommand, RecentDataset } from '../../shared/host'
import { APP_SCHEME, ENGINE_PORT_CHANNEL } from '../../shared/ipc'
import { pathsFromArgv } from './args'
import { FileGrants } from './grants'
import { HostService, registerHostChannels } from './hostService'
import { EngineProcess } from './engineProcess'
import { createHandle, sendEvent } from './ipc'
import { buildMenuTemplate } from './menu'
import { appPaths } from './paths'
import { isPermissionGranted } from './permissions'
import { APP_ENTRY_URL, isAppUrl, serveAppRequest } from './protocol'
import { SettingsStore } from './settings'
import {
  APP_NAME,
  DEFAULT_WINDOW_SIZE,
  MIN_WINDOW_SIZE,
  restorableBounds,
  windowTitle,
} from './windowState'

const README_URL = 'https://github.com/rewardlens/rewardlens#readme'
const REMOTE_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*']

// Both must happen before 'ready'.
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: {
      standard: true,
      secure: true,
      supportFetchAPI: true,
      corsEnabled: true,
      stream: true,
    },
  },
])
app.enableSandbox()

const paths = appPaths(__dirname)

if (app.requestSingleInstanceLock({ argv: process.argv })) {
  main()
} else {
  // The running instance got our argv through 'second-instance' and opens the dataset there.
  app.quit()
}

function main(): void {
  const grants = new FileGrants()
  let window: BrowserWindow | null = null
  let windowShown = false
  let rendererReady = false
  const undelivered: DatasetSource[] = []
  let servicePromise: Promise<{ service: HostService; settings: SettingsStore }> | null = null
  let currentRecent: readonly RecentDataset[] = []

  /** Runs an open and hands its source to the renderer, or tells the user why it failed. */
  async function openAndDeliver(
    open: (service: HostService) => Promise<DatasetSource | null>,
  ): Promise<void> {
    try {
      const { service } = await ready()
      const source = await open(service)
      if (source) deliverOpenRequest(source)
    } catch (error) {
      showError('Cannot open the dataset', error)
    }
  }

  function deliverOpenRequest(source: DatasetSource): void {
    if (window && rendererReady) sendEvent(window.webContents, 'event:open-request', source)
    else undelivered.push(source)
    focusWindow()
  }

  function sendMenuCommand(command: MenuCommand): void {
    if (window && rendererReady) sendEvent(window.webContents, 'event:menu-command', command)
  }

  function showError(message: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error)
    console.error(`RewardLens: ${message}: ${detail}`)
    const options = { type: 'error' as const, title: APP_NAME, message, detail }
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))
  }

  function showNotice(detail: string, message = 'Some files were left out'): void {
    const options = {
      type: 'info' as const,
      title: APP_NAME,
      message,
      detail,
    }
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))
  }

  async function choosePath(kind: 'file' | 'folder'): Promise<string | null> {
    const options: OpenDialogOptions =
      kind === 'file'
        ? {
            title: 'Open Dataset File',
            properties: ['openFile'],
            filters: [
              { name: 'Datasets', extensions: [...DATASET_EXTENSIONS] },
              { name: 'All Files', extensions: ['*'] },
            ],
          }
        : { title: 'Open Dataset Folder', properties: ['openDirectory'] }
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  }

  async function chooseExportPath(suggestedName: string): Promise<string | null> {
    const options = {
      title: 'Export Rows',
      // A name only: the renderer suggests what to call the file, never where it goes.
      defaultPath: path.basename(suggestedName),
      // Linux and Windows ask before replacing a file; macOS always does.
      properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
    }
    const result = window
      ? await dialog.showSaveDialog(window, options)
      : await dialog.showSaveDialog(options)
    return result.canceled || !result.filePath ? null : result.filePath
  }

  function refreshMenu(): void {
    const template = buildMenuTemplate({
      platform: process.platform,
      appName: APP_NAME,
      recent: currentRecent,
      actions: {
        openFile: () => void openAndDeliver((service) => service.pickFile()),
        openFolder: () => void openAndDeliver((service) => service.pickFolder()),
        openRecent: (recentPath) =>
          void openAndDeliver((service) => service.openRecent(recentPath)),
        clearRecent: () => void ready().then(({ service }) => service.clearRecent()),
        openDemo: () => void openAndDeliver((service) => service.openDemo()),
        closeDataset: () => {
          sendMenuCommand('close-dataset')
          window?.setTitle(windowTitle(null))
        },
        // A constant URL of ours, never one from the page. eng-disable below: OPEN_EXTERNAL_JS_CHECK
        // flags every openExternal whose argument is not a string literal.
        openReadme: () => void shell.openExternal(README_URL), // eng-disable OPEN_EXTERNAL_JS_CHECK
      },
    })
    Menu.setApplicationMenu(Menu.buildFromTemplate(template))
  }

  // Native DuckDB for the window, in a utility process of its own (electron/engine/index.ts).
  const engine = new EngineProcess({
    fork: () => utilityProcess.fork(paths.engine, [], { serviceName: 'RewardLens engine' }),
    channel: () => new MessageChannelMain(),
    portChannel: ENGINE_PORT_CHANNEL,
    onStopped: (contents, message) =>
      sendEvent(contents as WebContents, 'event:engine-stopped', message),
  })

  function ready(): Promise<{ service: HostService; settings: SettingsStore }> {
    servicePromise ??= app.whenReady().then(async () => {
      const settings = await SettingsStore.open(path.join(app.getPath('userData'), 'settings.json'))
      const service = new HostService({
        grants,
        settings,
        demoDataset: paths.demoDataset,
        chooseFile: () => choosePath('file'),
        chooseFolder: () => choosePath('folder'),
        chooseExportPath,
        dataDir: path.join(app.getPath('userData'), 'flags'),
        notify: (detail) => showNotice(detail),
        onRecentChanged: (recent) => {
          currentRecent = recent
          // Mirror the newest entry in the OS's own recent lists (Dock, Jump List).
          if (recent[0]) app.addRecentDocument(recent[0].path)
          else app.clearRecentDocuments()
          refreshMenu()
        },
        onOpened: (source) => window?.setTitle(windowTitle(source.name)),
        startEngine: () => (window ? engine.start(window.webContents) : Promise.resolve(false)),
      })
      currentRecent = service.recentDatasets()
      return { service, settings }
    })
    return servicePromise
  }

  function focusWindow(): void {
    // Before 'ready-to-show' the window would flash white; it shows itself when it is ready.
    if (!window || !windowShown) return
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  }

  function createWindow(settings: SettingsStore): BrowserWindow {
    const workAreas = screen.getAllDisplays().map((display) => display.workArea)
    const bounds = restorableBounds(settings.settings.windowBounds, workAreas)
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
        preload: paths.preload, // eng-disable PRELOAD_JS_CHECK
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // Middle-clicks (auxclick) ask for new windows: refused by the window-open handler below,
        // and switched off here too, as Electronegativity's AUXCLICK_JS_CHECK asks.
        disableBlinkFeatures: 'Auxclick',
      },
    })
    if (bounds?.maximized) win.maximize()
    win.once('ready-to-show', () => {
      windowShown = true
      win.show()
    })
    // The title is ours ("<dataset> — RewardLens"), not the page's <title>.
    win.on('page-title-updated', (event) => event.preventDefault())
    win.webContents.on('did-start-loading', () => {
      rendererReady = false
    })
    win.webContents.on('did-finish-load', () => {
      // A reload starts the renderer with no dataset open.
      win.setTitle(windowTitle(null))
      rendererReady = true
      for (const source of undelivered.splice(0))
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
      engine.stop()
      if (window === win) window = null
      windowShown = false
      rendererReady = false
    })
    void win.loadURL(APP_ENTRY_URL)
    return win
  }

  app.on('web-contents-created', (_event, contents) => hardenContents(contents))

  // macOS: a dataset double-clicked in Finder or dropped on the Dock icon, possibly before 'ready'.
  app.on('open-file', (event, filePath) => {
    event.preventDefault()
    void openAndDeliver((service) => service.openPaths([filePath]))
  })

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    // Prefer the argv the second instance sent itself: Chromium may rewrite the one Electron passes.
    const sent: unknown = (additionalData as { argv?: unknown } | null)?.argv
    const secondArgv =
      Array.isArray(sent) && sent.every((arg) => typeof arg === 'string') ? sent : argv
    const requested = pathsFromArgv(secondArgv, {
      cwd: workingDirectory,
      defaultApp: process.defaultApp === true,
    })
    if (requested.length > 0) void openAndDeliver((service) => service.openPaths(requested))
    else focusWindow()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  let settingsFlushed = false
  app.on('will-quit', (event) => {
    if (settingsFlushed || !servicePromise) return
    // Let the last settings write (window bounds) finish before the process exits.
    event.preventDefault()
    void servicePromise
      .then(({ settings }) => settings.flush())
      .finally(() => {
        settingsFlushed = true
        app.quit()
      })
  })

  void ready().then(({ service, settings }) => {
    // Once: the damaged file has been set aside, so the next start is a normal one.
    if (settings.notice) showNotice(settings.notice, 'Your settings were reset')
    const ses = session.defaultSession
    ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
      callback(isPermissionGranted(permission, details.requestingUrl)),
    )
    ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
      isPermissionGranted(permission, requestingOrigin),
    )
    // No remote content: the app is local and must behave the same offline.
    ses.webRequest.onBeforeRequest({ urls: REMOTE_URLS }, (_details, callback) =>
      callback({ cancel: true }),
    )
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, paths.webRoot))
    registerHostChannels(createHandle(ipcMain), service)
    app.setAboutPanelOptions({
      applicationName: APP_NAME,
      applicationVersion: app.getVersion(),
      website: README_URL,
    })
    refreshMenu()
    window = createWindow(settings)

    const startup = pathsFromArgv(process.argv, {
      cwd: process.cwd(),
      defaultApp: process.defaultApp === true,
    })
    if (startup.length > 0) void openAndDeliver((s) => s.openPaths(startup))

    app.on('activate', () => {
      if (!window) window = createWindow(settings)
    })
  })
}

/** Keeps every web contents on the app: no navigation away, no new windows, no webviews. */
function hardenContents(contents: WebContents): void {
  // Also catches a file dropped outside the drop zone, which Chromium would otherwise open as a page.
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault()
  })
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}
