import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import type { RecentDataset } from '../../../shared/host'
import { buildMenuTemplate, recentLabels } from '../../../electron/main/menu'
import type { MenuActions } from '../../../electron/main/menu'

function actions() {
  return {
    openFile: vi.fn<() => void>(),
    openFolder: vi.fn<() => void>(),
    openRecent: vi.fn<(datasetPath: string) => void>(),
    clearRecent: vi.fn<() => void>(),
    openDemo: vi.fn<() => void>(),
    closeDataset: vi.fn<() => void>(),
    openReadme: vi.fn<() => void>(),
  } satisfies MenuActions
}

const recent: RecentDataset[] = [
  {
    name: 'train.jsonl',
    path: '/data/a/train.jsonl',
    isFolder: false,
    openedAt: '2026-11-21T00:00:00.000Z',
  },
  { name: 'shards', path: '/data/shards', isFolder: true, openedAt: '2026-11-20T00:00:00.000Z' },
]

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  const items = item?.submenu
  if (!Array.isArray(items)) throw new Error(`${item?.label ?? 'menu'} has no submenu`)
  return items
}

function find(
  template: MenuItemConstructorOptions[],
  label: string,
): MenuItemConstructorOptions | undefined {
  return template.find((item) => item.label?.replace('&', '') === label)
}

/** The visible shape of a submenu: a role, a label with its shortcut, or a separator. */
function shape(items: MenuItemConstructorOptions[]): string[] {
  return items.map((item) => {
    if (item.type === 'separator') return '---'
    const name = item.role ? `role:${item.role}` : (item.label ?? '?')
    return item.accelerator ? `${name} [${String(item.accelerator)}]` : name
  })
}

function click(item: MenuItemConstructorOptions | undefined): void {
  const handler = item?.click as (() => void) | undefined
  if (!handler) throw new Error(`${item?.label ?? 'item'} has no click`)
  handler()
}

describe('buildMenuTemplate on Windows and Linux', () => {
  const template = buildMenuTemplate({
    platform: 'linux',
    appName: 'RewardLens',
    recent,
    actions: actions(),
  })

  it('has File, Edit, View and Help with mnemonics', () => {
    expect(template.map((item) => item.label)).toEqual(['&File', '&Edit', '&View', '&Help'])
  })

  it('lays out File with its shortcuts and Quit last', () => {
    expect(shape(submenu(find(template, 'File')))).toEqual([
      'Open File... [CmdOrCtrl+O]',
      'Open Folder... [CmdOrCtrl+Shift+O]',
      'Open Recent',
      'Open Demo Dataset',
      '---',
      'Close Dataset [CmdOrCtrl+W]',
      'role:quit',
    ])
  })

  it('gives Edit only the standard roles', () => {
    expect(shape(submenu(find(template, 'Edit')))).toEqual([
      'role:undo',
      'role:redo',
      '---',
      'role:cut',
      'role:copy',
      'role:paste',
      'role:selectAll',
    ])
  })

  it('lays out View with reload, zoom and full screen', () => {
    expect(shape(submenu(find(template, 'View')))).toEqual([
      'role:reload',
      '---',
      'role:resetZoom',
      'role:zoomIn',
      'role:zoomOut',
      '---',
      'role:togglefullscreen',
    ])
    expect(submenu(find(template, 'View')).find((item) => item.role === 'resetZoom')?.label).toBe(
      'Actual Size',
    )
  })

  it('offers the developer tools only in development, never in the packaged app', () => {
    const roles = (items: MenuItemConstructorOptions[]): string[] =>
      items.flatMap((item) => [
        String(item.role ?? ''),
        ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
      ])
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const packaged = buildMenuTemplate({
        platform,
        appName: 'RewardLens',
        recent,
        actions: actions(),
      })
      expect(roles(packaged)).not.toContain('toggleDevTools')
      const development = buildMenuTemplate({
        platform,
        appName: 'RewardLens',
        recent,
        actions: actions(),
        devTools: true,
      })
      expect(shape(submenu(find(development, 'View'))).slice(0, 3)).toEqual([
        'role:reload',
        'role:toggleDevTools',
        '---',
      ])
    }
  })

  it('has About and the README under Help', () => {
    const help = submenu(find(template, 'Help'))
    expect(help.map((item) => item.label)).toEqual(['About RewardLens', 'Project README'])
    expect(help[0]?.role).toBe('about')
  })

  it('uses no shortcut twice', () => {
    const accelerators: string[] = []
    const walk = (items: MenuItemConstructorOptions[]) => {
      for (const item of items) {
        if (item.accelerator) accelerators.push(String(item.accelerator))
        if (Array.isArray(item.submenu)) walk(item.submenu)
      }
    }
    walk(template)
    expect(new Set(accelerators).size).toBe(accelerators.length)
  })
})

describe('buildMenuTemplate on macOS', () => {
  const template = buildMenuTemplate({
    platform: 'darwin',
    appName: 'RewardLens',
    recent,
    actions: actions(),
  })

  it('puts the app menu first, holding About and Quit', () => {
    expect(template.map((item) => item.label)).toEqual([
      'RewardLens',
      'File',
      'Edit',
      'View',
      'Help',
    ])
    const roles = submenu(template[0]).map((item) => item.role)
    expect(roles[0]).toBe('about')
    expect(roles.at(-1)).toBe('quit')
  })

  it('leaves Quit out of the File menu', () => {
    expect(submenu(find(template, 'File')).some((item) => item.role === 'quit')).toBe(false)
  })
})

describe('menu actions', () => {
  it('runs the matching action for each File and Help item', () => {
    const spies = actions()
    const template = buildMenuTemplate({
      platform: 'win32',
      appName: 'RewardLens',
      recent,
      actions: spies,
    })
    const file = submenu(find(template, 'File'))
    const item = (label: string) => file.find((entry) => entry.label === label)
    click(item('Open File...'))
    click(item('Open Folder...'))
    click(item('Open Demo Dataset'))
    click(item('Close Dataset'))
    click(submenu(find(template, 'Help')).find((entry) => entry.label === 'Project README'))
    expect(spies.openFile).toHaveBeenCalledOnce()
    expect(spies.openFolder).toHaveBeenCalledOnce()
    expect(spies.openDemo).toHaveBeenCalledOnce()
    expect(spies.closeDataset).toHaveBeenCalledOnce()
    expect(spies.openReadme).toHaveBeenCalledOnce()
  })

  it('lists recent datasets newest first, opens them by path and can clear them', () => {
    const spies = actions()
    const template = buildMenuTemplate({
      platform: 'linux',
      appName: 'RewardLens',
      recent,
      actions: spies,
    })
    const openRecent = submenu(
      submenu(find(template, 'File')).find((item) => item.label === 'Open Recent'),
    )
    expect(shape(openRecent)).toEqual(['train.jsonl', 'shards', '---', 'Clear Recent'])
    click(openRecent[1])
    expect(spies.openRecent).toHaveBeenCalledWith('/data/shards')
    expect(openRecent[3]?.enabled).toBe(true)
    click(openRecent[3])
    expect(spies.clearRecent).toHaveBeenCalledOnce()
  })

  it('shows an empty recent list as disabled', () => {
    const template = buildMenuTemplate({
      platform: 'linux',
      appName: 'RewardLens',
      recent: [],
      actions: actions(),
    })
    const openRecent = submenu(
      submenu(find(template, 'File')).find((item) => item.label === 'Open Recent'),
    )
    expect(openRecent.map((item) => [item.label, item.enabled])).toEqual([
      ['No Recent Datasets', false],
      [undefined, undefined],
      ['Clear Recent', false],
    ])
  })

  it('escapes ampersands outside macOS so they are not read as mnemonics', () => {
    const qa: RecentDataset[] = [
      { name: 'Q&A.jsonl', path: '/q/Q&A.jsonl', isFolder: false, openedAt: '' },
    ]
    const label = (platform: NodeJS.Platform) =>
      submenu(
        submenu(
          find(
            buildMenuTemplate({ platform, appName: 'RewardLens', recent: qa, actions: actions() }),
            'File',
          ),
        ).find((item) => item.label === 'Open Recent'),
      )[0]?.label
    expect(label('linux')).toBe('Q&&A.jsonl')
    expect(label('darwin')).toBe('Q&A.jsonl')
  })
})

describe('recentLabels', () => {
  it('tells datasets with the same name apart by their folder', () => {
    const same: RecentDataset[] = [
      { name: 'train.jsonl', path: '/runs/a/train.jsonl', isFolder: false, openedAt: '' },
      { name: 'train.jsonl', path: '/runs/b/train.jsonl', isFolder: false, openedAt: '' },
      { name: 'test.jsonl', path: '/runs/b/test.jsonl', isFolder: false, openedAt: '' },
    ]
    expect(recentLabels(same)).toEqual(['train.jsonl (a)', 'train.jsonl (b)', 'test.jsonl'])
  })
})
