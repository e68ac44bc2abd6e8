/**
 * The IPC channels between the preload bridge and the main process, in one typed map.
 *
 * Only `electron/preload/index.ts` and `electron/main/ipc.ts` touch Electron's IPC; both take
 * their channel names and argument types from here, so the two sides cannot drift apart. Each
 * request channel's name is written once, in `REQUEST_CHANNELS`; everything else derives from it.
 */
import type { FlagsDocument, SavedFlags } from './flags'
import type { RerunDocument } from './rerun'
import type {
  DatasetSource,
  ExportResult,
  ExportTarget,
  Host,
  MenuCommand,
  RecentDataset,
  ThemeChoice,
} from './host'
import type { Profile } from './profile'

/**
 * One request/response channel: the Host method it serves and how many arguments cross.
 *
 * Its argument and result types ride along in `types`, which is never set: only the type checker
 * reads it, to derive the preload's methods and main's handlers from the map below.
 */
export interface RequestSpec<Method extends keyof Host, Args extends unknown[], Result> {
  readonly method: Method
  /** The preload sends exactly this many arguments, whatever the page passed. */
  readonly arity: Args['length']
  readonly types?: { readonly args: Args; readonly result: Result }
}

/** Declares a channel's argument and result types, then its Host method and argument count. */
function request<Args extends unknown[], Result>() {
  return <Method extends keyof Host>(
    method: Method,
    arity: Args['length'],
  ): RequestSpec<Method, Args, Result> => ({ method, arity })
}

/**
 * Every request/response channel, the one place its name is written.
 *
 * `ipcRenderer.invoke(channel, ...args)` resolves to the channel's result. The preload builds the Host
 * method named here for each channel, and main registers one handler per channel from it.
 */
export const REQUEST_CHANNELS = {
  'dataset:pick-file': request<[], DatasetSource | null>()('pickFile', 0),
  'dataset:pick-folder': request<[], DatasetSource | null>()('pickFolder', 0),
  /**
   * Paths of dropped files, resolved by the preload with `webUtils.getPathForFile`. Main trusts none
   * of them: it grants only dataset files and folders (`FileGrants.grantPaths`).
   */
  'dataset:open-dropped': request<[paths: string[]], DatasetSource | null>()('openDropped', 1),
  'dataset:open-recent': request<[path: string], DatasetSource>()('openRecent', 1),
  'dataset:open-demo': request<[], DatasetSource>()('openDemo', 0),
  'dataset:read': request<[fileId: string, start: number, end: number], Uint8Array>()(
    'readBytes',
    3,
  ),
  'recent:list': request<[], RecentDataset[]>()('recentDatasets', 0),
  'recent:note': request<[source: DatasetSource], void>()('noteOpened', 1),
  'profile:load': request<[datasetPath: string], Profile | null>()('loadProfile', 1),
  'profile:save': request<[datasetPath: string, profile: Profile | null], void>()('saveProfile', 2),
  'theme:load': request<[], ThemeChoice>()('loadTheme', 0),
  'theme:save': request<[theme: ThemeChoice], void>()('saveTheme', 1),
  'flags:load': request<[datasetPath: string], SavedFlags | null>()('loadFlags', 1),
  'flags:save': request<[datasetPath: string, flags: FlagsDocument], SavedFlags>()('saveFlags', 2),
  'rerun:load': request<[datasetPath: string], RerunDocument | null>()('loadRerunResults', 1),
  'rerun:save': request<[datasetPath: string, document: RerunDocument], void>()(
    'saveRerunResults',
    2,
  ),
  'export:begin': request<[suggestedName: string], ExportTarget | null>()('beginExport', 1),
  'export:write': request<[exportId: string, chunk: Uint8Array], void>()('writeExport', 2),
  'export:finish': request<[exportId: string, meta: string], ExportResult>()('finishExport', 2),
  'export:abort': request<[exportId: string], void>()('abortExport', 1),
  /** Starts this window's native engine; its port follows on `ENGINE_PORT_CHANNEL`. */
  'engine:start': request<[], boolean>()('startEngine', 0),
} as const

/** A request/response channel's name. */
export type InvokeChannel = keyof typeof REQUEST_CHANNELS

/** Each request/response channel's Host method, arguments and result, read off `REQUEST_CHANNELS`. */
export type InvokeChannels = {
  [C in InvokeChannel]: (typeof REQUEST_CHANNELS)[C] extends RequestSpec<
    infer Method,
    infer Args,
    infer Result
  >
    ? { method: Method; args: Args; result: Result }
    : never
}

/** A Host method that is one request/response channel. */
export type RequestMethod = InvokeChannels[InvokeChannel]['method']

/** Every request/response channel, so main can register them all. */
export const INVOKE_CHANNELS = Object.keys(REQUEST_CHANNELS) as readonly InvokeChannel[]

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

/** An event channel's name. */
export type EventChannel = keyof EventChannels

/** The custom scheme the renderer is served from in the desktop app. */
export const APP_SCHEME = 'rewardlens'
/** The host part of every app URL: `rewardlens://app/index.html`. */
export const APP_HOST = 'app'
/** The origin of every page, worker and IPC sender the app trusts; the engine's port goes only to it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
