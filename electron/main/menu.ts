/**
 * The application menu as a plain template, so its structure and shortcuts are testable without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron'
import path from 'node:path'
import type { RecentDataset } from '../../shared/host'

/** What the menu items do; index.ts supplies them, tests record them. */
export interface MenuActions {
  readonly openFile: () => void
  readonly openFolder: () => void
  readonly openRecent: (datasetPath: string) => void
  readonly clearRecent: () => void
  readonly openDemo: () => void
  readonly closeDataset: () => void
  readonly openReadme: () => void
}

/** Everything the menu depends on. */
export interface MenuOptions {
  readonly platform: NodeJS.Platform
  readonly appName: string
  readonly recent: readonly RecentDataset[]
  readonly actions: MenuActions
  /** Adds View > Toggle Developer Tools: in development only, never in the packaged app. */
  readonly devTools?: boolean
}

/** Builds the whole menu bar; on macOS the app menu comes first and holds Quit. */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { platform, appName, recent, actions, devTools = false } = options
  const mac = platform === 'darwin'

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about', label: `About ${appName}` },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  }

  const fileMenu: MenuItemConstructorOptions = {
    label: mac ? 'File' : '&File',
    submenu: [
      {
        id: 'open-file',
        label: 'Open File...',
        accelerator: 'CmdOrCtrl+O',
        click: () => actions.openFile(),
      },
      {
        id: 'open-folder',
        label: 'Open Folder...',
        accelerator: 'CmdOrCtrl+Shift+O',
        click: () => actions.openFolder(),
      },
      { id: 'open-recent', label: 'Open Recent', submenu: recentSubmenu(recent, mac, actions) },
      { id: 'open-demo', label: 'Open Demo Dataset', click: () => actions.openDemo() },
      { type: 'separator' },
      {
        id: 'close-dataset',
        label: 'Close Dataset',
        accelerator: 'CmdOrCtrl+W',
        click: () => actions.closeDataset(),
      },
      // On macOS Quit lives in the app menu; a second one under File would be out of place.
      ...(mac ? [] : [{ role: 'quit' } as const]),
    ],
  }

  const editMenu: MenuItemConstructorOptions = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  }

  const viewMenu: MenuItemConstructorOptions = {
    label: mac ? 'View' : '&View',
    submenu: [
      { role: 'reload' },
      ...(devTools ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom', label: 'Actual Size' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }

  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    label: mac ? 'Help' : '&Help',
    submenu: [
      { role: 'about', label: `About ${appName}` },
      { id: 'readme', label: 'Project README', click: () => actions.openReadme() },
    ],
  }

  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, helpMenu]
}

/** Labels for recent datasets; two with one name are told apart by their parent folder. */
export function recentLabels(recent: readonly RecentDataset[]): string[] {
  const counts = new Map<string, number>()
  for (const item of recent) counts.set(item.name, (counts.get(item.name) ?? 0) + 1)
  return recent.map((item) =>
    (counts.get(item.name) ?? 0) > 1
      ? `${item.name} (${path.basename(path.dirname(item.path))})`
      : item.name,
  )
}

function recentSubmenu(
  recent: readonly RecentDataset[],
  mac: boolean,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const labels = recentLabels(recent)
  const items: MenuItemConstructorOptions[] = recent.map((item, index) => ({
    // Outside macOS '&' marks a mnemonic; a dataset called "Q&A" must show its ampersand.
    label: mac ? (labels[index] ?? item.name) : (labels[index] ?? item.name).replaceAll('&', '&&'),
    click: () => actions.openRecent(item.path),
  }))
  if (items.length === 0) items.push({ label: 'No Recent Datasets', enabled: false })
  return [
    ...items,
    { type: 'separator' },
    {
      id: 'clear-recent',
      label: 'Clear Recent',
      enabled: recent.length > 0,
      click: () => actions.clearRecent(),
    },
  ]
}
