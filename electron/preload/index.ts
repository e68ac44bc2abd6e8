/**
 * The preload bridge: builds window.host (the Host contract) from typed IPC calls and exposes it alone.
 *
 * The page never sees ipcRenderer, an event object or a generic invoke; each Host method maps to
 * exactly one channel of shared/ipc.ts, and the request methods are built from that map. Bundled into one CJS file: a sandboxed preload can only
 * require 'electron' and a few built-ins, never a local file.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { HostError } from '../../shared/host'
import type { DatasetSource, DroppedFile, Host, MenuCommand } from '../../shared/host'
import { ENGINE_PORT_MESSAGE } from '../../shared/engineProtocol'
import {
  APP_ORIGIN,
  ENGINE_PORT_CHANNEL,
  INVOKE_CHANNELS,
  REQUEST_CHANNELS,
  type EventChannel,
  type EventChannels,
  type InvokeChannel,
  type InvokeChannels,
} from '../../shared/ipc'

/** Sends one request and resolves to main's answer, or rejects with a HostError the user can read. */
async function invoke(channel: InvokeChannel, args: readonly unknown[]): Promise<unknown> {
  try {
    return await ipcRenderer.invoke(channel, ...args)
  } catch (error) {
    throw new HostError(userMessage(error))
  }
}

/** The Host methods that are one request each, as `REQUEST_CHANNELS` names and types them. */
type RequestMethods = {
  [C in InvokeChannel as InvokeChannels[C]['method']]: (
    ...args: InvokeChannels[C]['args']
  ) => Promise<InvokeChannels[C]['result']>
}

/** One Host method per request channel, sending exactly the channel's arguments and no others. */
function requestMethods(): RequestMethods {
  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
  for (const channel of INVOKE_CHANNELS) {
    const { method, arity } = REQUEST_CHANNELS[channel]
    methods[method] = (...args) => {
      // Exactly as many as the channel takes: extra arguments from the page never reach main, and
      // missing ones go as undefined for main's handlers to refuse.
      const sent = Array.from({ length: arity }, (_, index) => args[index])
      return invoke(channel, sent)
    }
  }
  // Each method was built from its channel's entry above; the loop cannot carry the mapped type.
  return methods as RequestMethods
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

const requests = requestMethods()

const host: Host = {
  kind: 'desktop',
  ...requests,
  openDropped: async (files) => {
    const paths = droppedPaths(files)
    return paths.length === 0 ? null : requests.openDropped(paths)
  },
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
  onEngineStopped: (listener) => subscribe('event:engine-stopped', listener),
  // A sidecar has no change event to hear (it may sit on a shared folder): the main process
  // merges what changed on disk at the next save instead (`writeSidecar`).
  onFlagsChanged: () => () => undefined,
}

// The engine's port cannot cross the context bridge; it is posted to the page's own window, where
// renderer/host/nativeEngine.ts takes it only from this window (event.source). Posted to the app's
// origin alone, not '*': a page that is not the app never receives it.
/** The page's window as the preload sees it (this project compiles without the DOM's types). */
const page = globalThis as unknown as {
  postMessage(message: unknown, targetOrigin: string, transfer: readonly unknown[]): void
}
ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => {
  page.postMessage(ENGINE_PORT_MESSAGE, APP_ORIGIN, event.ports)
})

contextBridge.exposeInMainWorld('host', host)
