/**
 * The preload bridge: builds window.host (the Host contract) from typed IPC calls and exposes it alone.
 *
 * The page never sees ipcRenderer, an event object or a generic invoke; each Host method maps to
 * exactly one channel of shared/ipc.ts. Bundled into one CJS file: a sandboxed preload can only
 * require 'electron' and a few built-ins, never a local file.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { HostError } from '../../shared/host'
import type { DatasetSource, DroppedFile, Host, MenuCommand } from '../../shared/host'
import { ENGINE_PORT_MESSAGE } from '../../shared/engineProtocol'
import {
  ENGINE_PORT_CHANNEL,
  type EventChannel,
  type EventChannels,
  type InvokeChannel,
  type InvokeChannels,
} from '../../shared/ipc'

async function invoke<C extends InvokeChannel>(
  channel: C,
  ...args: InvokeChannels[C]['args']
): Promise<InvokeChannels[C]['result']> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as InvokeChannels[C]['result']
  } catch (error) {
    throw new HostError(userMessage(error))
  }
}

/**
 * The message the main process threw, without Electron's wrapper.
 *
 * Electron rejects with "Error invoking remote method 'x': HostError: <message>"; the user should read
 * only <message>. Only the message survives the context bridge anyway, not the error's class.
 */
function userMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '')
}

function subscribe<E extends EventChannel>(
  channel: E,
  listener: (payload: EventChannels[E]) => void,
): () => void {
  const forward = (_event: IpcRendererEvent, payload: EventChannels[E]): void => listener(payload)
  ipcRenderer.on(channel, forward)
  return () => {
    ipcRenderer.removeListener(channel, forward)
  }
}

// Datasets named on the command line can arrive before React has subscribed: hold them until it does.
const openListeners = new Set<(source: DatasetSource) => void>()
const heldOpenRequests: DatasetSource[] = []
subscribe('event:open-request', (source) => {
  if (openListeners.size === 0) heldOpenRequests.push(source)
  else for (const listener of openListeners) listener(source)
})

function releaseHeldOpenRequests(): void {
  if (openListeners.size === 0) return
  for (const source of heldOpenRequests.splice(0))
    for (const listener of openListeners) listener(source)
}

/** Resolves each dropped File to its path; files without one (dragged from a browser) are skipped. */
function droppedPaths(files: readonly DroppedFile[]): string[] {
  const paths: string[] = []
  for (const file of files) {
    // The renderer passes DOM File objects; DroppedFile is only the part of them the contract names.
    const filePath = webUtils.getPathForFile(file as File)
    if (filePath) paths.push(filePath)
  }
  return paths
}

const host: Host = {
  kind: 'desktop',
  pickFile: () => invoke('dataset:pick-file'),
  pickFolder: () => invoke('dataset:pick-folder'),
  openDropped: async (files) => {
    const paths = droppedPaths(files)
    return paths.length === 0 ? null : invoke('dataset:open-dropped', paths)
  },
  openRecent: (recentPath) => invoke('dataset:open-recent', recentPath),
  openDemo: () => invoke('dataset:open-demo'),
  readBytes: (fileId, start, end) => invoke('dataset:read', fileId, start, end),
  recentDatasets: () => invoke('recent:list'),
  noteOpened: (source) => invoke('recent:note', source),
  loadProfile: (datasetPath) => invoke('profile:load', datasetPath),
  saveProfile: (datasetPath, profile) => invoke('profile:save', datasetPath, profile),
  loadTheme: () => invoke('theme:load'),
  saveTheme: (theme) => invoke('theme:save', theme),
  loadFlags: (datasetPath) => invoke('flags:load', datasetPath),
  saveFlags: (datasetPath, flags) => invoke('flags:save', datasetPath, flags),
  beginExport: (suggestedName) => invoke('export:begin', suggestedName),
  writeExport: (exportId, chunk) => invoke('export:write', exportId, chunk),
  finishExport: (exportId, meta) => invoke('export:finish', exportId, meta),
  abortExport: (exportId) => invoke('export:abort', exportId),
  onOpenRequest: (listener) => {
    openListeners.add(listener)
    // Deliver later, not during the subscribe call: React StrictMode subscribes, unsubscribes and
    // subscribes again, and only the listener still there should get the held requests.
    queueMicrotask(releaseHeldOpenRequests)
    return () => {
      openListeners.delete(listener)
    }
  },
  onMenuCommand: (listener: (command: MenuCommand) => void) =>
    subscribe('event:menu-command', listener),
  startEngine: () => invoke('engine:start'),
  onEngineStopped: (listener) => subscribe('event:engine-stopped', listener),
}

// The engine's port cannot cross the context bridge; it is posted to the page's own window, where
// renderer/host/nativeEngine.ts takes it. Only this window receives it.
/** The page's window as the preload sees it (this project compiles without the DOM's types). */
const page = globalThis as unknown as {
  postMessage(message: unknown, targetOrigin: string, transfer: readonly unknown[]): void
}
ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => {
  page.postMessage(ENGINE_PORT_MESSAGE, '*', event.ports)
})

contextBridge.exposeInMainWorld('host', host)
