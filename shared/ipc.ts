/**
 * The IPC channels between the preload bridge and the main process, in one typed map.
 *
 * Only `electron/preload/index.ts` and `electron/main/ipc.ts` touch Electron's IPC; both take
 * their channel names and argument types from here, so the two sides cannot drift apart.
 */
import type { FlagsDocument, SavedFlags } from './flags'
import type {
  DatasetSource,
  ExportResult,
  ExportTarget,
  MenuCommand,
  RecentDataset,
  ThemeChoice,
} from './host'
import type { Profile } from './profile'

/** Request/response channels: `ipcRenderer.invoke(channel, ...args)` resolves to `result`. */
export interface InvokeChannels {
  'dataset:pick-file': { args: []; result: DatasetSource | null }
  'dataset:pick-folder': { args: []; result: DatasetSource | null }
  /** Paths of dropped files, resolved by the preload with `webUtils.getPathForFile`. */
  'dataset:open-dropped': { args: [paths: string[]]; result: DatasetSource | null }
  'dataset:open-recent': { args: [path: string]; result: DatasetSource }
  'dataset:open-demo': { args: []; result: DatasetSource }
  'dataset:read': { args: [fileId: string, start: number, end: number]; result: Uint8Array }
  'recent:list': { args: []; result: RecentDataset[] }
  'recent:note': { args: [source: DatasetSource]; result: void }
  'profile:load': { args: [datasetPath: string]; result: Profile | null }
  'profile:save': { args: [datasetPath: string, profile: Profile | null]; result: void }
  'theme:load': { args: []; result: ThemeChoice }
  'theme:save': { args: [theme: ThemeChoice]; result: void }
  'flags:load': { args: [datasetPath: string]; result: SavedFlags | null }
  'flags:save': { args: [datasetPath: string, flags: FlagsDocument]; result: string }
  'export:begin': { args: [suggestedName: string]; result: ExportTarget | null }
  'export:write': { args: [exportId: string, chunk: Uint8Array]; result: void }
  'export:finish': { args: [exportId: string, meta: string]; result: ExportResult }
  'export:abort': { args: [exportId: string]; result: void }
  /** Starts this window's native engine; its port follows on `ENGINE_PORT_CHANNEL`. */
  'engine:start': { args: []; result: boolean }
}

/** Events the main process sends to the window. */
export interface EventChannels {
  'event:open-request': DatasetSource
  'event:menu-command': MenuCommand
  /** The native engine stopped on its own: why, for the person. */
  'event:engine-stopped': string
}

/**
 * The channel the main process posts the engine's message port on (`webContents.postMessage`);
 * the preload hands the port on to the page. Not in EventChannels: it carries a port, not a payload.
 */
export const ENGINE_PORT_CHANNEL = 'engine:port'

export type InvokeChannel = keyof InvokeChannels
export type EventChannel = keyof EventChannels

/** Every invoke channel, so main can check it registered them all. */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'dataset:pick-file',
  'dataset:pick-folder',
  'dataset:open-dropped',
  'dataset:open-recent',
  'dataset:open-demo',
  'dataset:read',
  'recent:list',
  'recent:note',
  'profile:load',
  'profile:save',
  'theme:load',
  'theme:save',
  'flags:load',
  'flags:save',
  'export:begin',
  'export:write',
  'export:finish',
  'export:abort',
  'engine:start',
]

/** The custom scheme the renderer is served from in the desktop app. */
export const APP_SCHEME = 'rewardlens'
/** The host part of every app URL: `rewardlens://app/index.html`. */
export const APP_HOST = 'app'
