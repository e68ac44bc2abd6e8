/**
 * The main-process side of the typed IPC map: the only place `ipcMain.handle` and `webContents.send`
 * are called. Electron is imported for types only, so the sender check runs in plain Node tests.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { INVOKE_CHANNELS, REQUEST_CHANNELS } from '../../shared/ipc'
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels } from '../../shared/ipc'
import { isAppUrl } from './protocol'

/** The function that answers one invoke channel, typed by the channel map. */
export type InvokeHandler<C extends InvokeChannel> = (
  ...args: InvokeChannels[C]['args']
) => InvokeChannels[C]['result'] | Promise<InvokeChannels[C]['result']>

/** Registers the handler of one channel; it only ever answers the app's own pages. */
export type Handle = <C extends InvokeChannel>(channel: C, handler: InvokeHandler<C>) => void

/** One handler per request channel, under the Host method the channel serves. */
export type RequestHandlers = {
  [C in InvokeChannel as InvokeChannels[C]['method']]: InvokeHandler<C>
}

/** Registers every channel of the map with its handler, so none can be left unanswered. */
export function handleRequests(handle: Handle, handlers: RequestHandlers): void {
  for (const channel of INVOKE_CHANNELS) handle(channel, handlerOf(handlers, channel))
}

function handlerOf<C extends InvokeChannel>(
  handlers: RequestHandlers,
  channel: C,
): InvokeHandler<C> {
  // The channel's own handler: RequestHandlers files it under the method REQUEST_CHANNELS names.
  return handlers[REQUEST_CHANNELS[channel].method]
}

/** The least of an invoke event the sender check needs. */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>

/**
 * True when an IPC message comes from a frame showing the app itself.
 *
 * Anything else (a frame that navigated away, devtools, a page that slipped past the navigation guard)
 * must not get file bytes, so the check is on the sending frame's URL, not on the window.
 */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  return isAppUrl(frameUrl)
}

/** Builds the typed `handle(channel, fn)` on top of ipcMain, refusing senders outside the app. */
export function createHandle(ipcMain: Pick<IpcMain, 'handle'>): Handle {
  return (channel, handler) => {
    ipcMain.handle(channel, (event: SenderEvent, ...args: unknown[]) => {
      const url = event.senderFrame?.url
      if (!isTrustedSender(url)) {
        throw new Error(
          `Refused ${channel}: the request did not come from the RewardLens window (${url ?? 'no frame'})`,
        )
      }
      // The renderer is trusted for its origin, not for its argument types: handlers validate them.
      return handler(...(args as Parameters<typeof handler>))
    })
  }
}

/** Sends one typed event to the window. */
export function sendEvent<E extends EventChannel>(
  contents: Pick<WebContents, 'send'>,
  channel: E,
  payload: EventChannels[E],
): void {
  contents.send(channel, payload)
}
