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
import type { DatasetSource, RecentDataset } from '../../shared/host'
import { APP_SCHEME, ENGINE_PORT_CHANNEL } from '../../shared/ipc'
import { AppWindow } from './appWindow'
import { pathsFromArgv } from './args'
import { FileGrants } from './grants'
import { HostService, registerHostChannels } from './hostService'
import type { ReplaceQuestion } from './hostService'
import { EngineProcess } from './engineProcess'
import { createHandle, sendEvent } from './ipc'
import { buildMenuTemplate } from './menu'
import { appPaths } from './paths'
import { isPermissionGranted } from './permissions'
import { APP_ENTRY_URL, isAppUrl, serveAppRequest } from './protocol'
import { SettingsStore } from './settings'
import { APP_NAME } from './windowState'

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
  let servicePromise: Promise<{ service: HostService; settings: SettingsStore }> | null = null

  // Native DuckDB for the window, in a utility process of its own (electron/engine/index.ts).
  const engine = new EngineProcess({
    fork: () => utilityProcess.fork(paths.engine, [], { serviceName: 'RewardLens engine' }),
    channel: () => new MessageChannelMain(),
    portChannel: ENGINE_PORT_CHANNEL,
    onStopped: (contents, message) =>
      sendEvent(contents as WebContents, 'event:engine-stopped', message),
  })

  const appWindow = new AppWindow({
    BrowserWindow,
    preload: paths.preload,
    url: APP_ENTRY_URL,
    workAreas: () => screen.getAllDisplays().map((display) => display.workArea),
    onClosed: () => engine.stop(),
    onPageLeft: (waiting) => void ready().then(({ service }) => service.leavePage(waiting)),
    devTools: !app.isPackaged,
  })

  /** Runs an open and hands its source to the renderer, or tells the user why it failed. */
  async function openAndDeliver(
    open: (service: HostService) => Promise<DatasetSource | null>,
  ): Promise<void> {
    try {
      const { service } = await ready()
      const source = await open(service)
      if (source) appWindow.sendOpenRequest(source)
    } catch (error) {
      showError('Cannot open the dataset', error)
    }
  }

  function showError(message: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error)
    console.error(`RewardLens: ${message}: ${detail}`)
    const options = { type: 'error' as const, title: APP_NAME, message, detail }
    const window = appWindow.window
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))
  }

  function showNotice(detail: string, message = 'Some files were left out'): void {
    const options = {
      type: 'info' as const,
      title: APP_NAME,
      message,
      detail,
    }
    const window = appWindow.window
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
    const window = appWindow.window
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
    const window = appWindow.window
    const result = window
      ? await dialog.showSaveDialog(window, options)
      : await dialog.showSaveDialog(options)
    return result.canceled || !result.filePath ? null : result.filePath
  }

  /** Puts HostService's replace question in a message box; true when the person chose to replace. */
  async function confirmReplace(question: ReplaceQuestion): Promise<boolean> {
    const options = {
      type: 'question' as const,
      title: APP_NAME,
      message: question.message,
      detail: question.detail,
      buttons: [question.button, 'Cancel'],
      defaultId: 1,
      cancelId: 1,
    }
    const window = appWindow.window
    const { response } = window
      ? await dialog.showMessageBox(window, options)
      : await dialog.showMessageBox(options)
    return response === 0
  }

  function refreshMenu(recent: readonly RecentDataset[]): void {
    const template = buildMenuTemplate({
      platform: process.platform,
      appName: APP_NAME,
      recent,
      devTools: !app.isPackaged,
      actions: {
        openFile: () => void openAndDeliver((service) => service.pickFile()),
        openFolder: () => void openAndDeliver((service) => service.pickFolder()),
        openRecent: (recentPath) =>
          void openAndDeliver((service) => service.openRecent(recentPath)),
        clearRecent: () => void ready().then(({ service }) => service.clearRecent()),
        openDemo: () => void openAndDeliver((service) => service.openDemo()),
        closeDataset: () => {
          appWindow.sendMenuCommand('close-dataset')
          appWindow.setDatasetTitle(null)
        },
        // A constant URL of ours, never one from the page. eng-disable below: OPEN_EXTERNAL_JS_CHECK
        // flags every openExternal whose argument is not a string literal.
        openReadme: () => void shell.openExternal(README_URL), // eng-disable OPEN_EXTERNAL_JS_CHECK
      },
    })
    Menu.setApplicationMenu(Menu.buildFromTemplate(template))
  }

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
        confirmReplace,
        dataDir: path.join(app.getPath('userData'), 'flags'),
        notify: (detail) => showNotice(detail),
        onRecentChanged: (recent) => {
          // Mirror the newest entry in the OS's own recent lists (Dock, Jump List).
          if (recent[0]) app.addRecentDocument(recent[0].path)
          else app.clearRecentDocuments()
          refreshMenu(recent)
        },
        onOpened: (source) => appWindow.setDatasetTitle(source.name),
        startEngine: () => {
          const window = appWindow.window
          return window ? engine.start(window.webContents) : Promise.resolve(false)
        },
      })
      return { service, settings }
    })
    return servicePromise
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
    else appWindow.focus()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  let cleanedUp = false
  app.on('will-quit', (event) => {
    if (cleanedUp || !servicePromise) return
    // Let the last settings write (window bounds) finish, and exports cut short remove their
    // temporary files, before the process exits.
    event.preventDefault()
    void servicePromise
      .then(({ service, settings }) => Promise.all([settings.flush(), service.abortExports()]))
      .finally(() => {
        cleanedUp = true
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
    refreshMenu(service.recentDatasets())
    appWindow.open(settings)

    const startup = pathsFromArgv(process.argv, {
      cwd: process.cwd(),
      defaultApp: process.defaultApp === true,
    })
    if (startup.length > 0) void openAndDeliver((s) => s.openPaths(startup))

    app.on('activate', () => {
      appWindow.open(settings)
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
