import { describe, expect, it, vi } from 'vitest'
import type { IpcMain } from 'electron'
import { createHandle, isTrustedSender, sendEvent } from '../../../electron/main/ipc'
import type { SenderEvent } from '../../../electron/main/ipc'

type Listener = (event: SenderEvent, ...args: unknown[]) => unknown

/** Stands in for ipcMain at Electron's boundary: it only records the listeners it is given. */
function fakeIpcMain() {
  const listeners = new Map<string, Listener>()
  const ipcMain = {
    handle: (channel: string, listener: Listener) => {
      listeners.set(channel, listener)
    },
  } as unknown as Pick<IpcMain, 'handle'>
  const invoke = (channel: string, frameUrl: string | null, ...args: unknown[]) => {
    const listener = listeners.get(channel)
    if (!listener) throw new Error(`no handler for ${channel}`)
    const event = {
      senderFrame: frameUrl === null ? null : { url: frameUrl },
    } as unknown as SenderEvent
    return listener(event, ...args)
  }
  return { ipcMain, listeners, invoke }
}

describe('isTrustedSender', () => {
  it('trusts only frames on rewardlens://app', () => {
    expect(isTrustedSender('rewardlens://app/index.html')).toBe(true)
    expect(isTrustedSender('rewardlens://app/')).toBe(true)
    expect(isTrustedSender('https://example.com/')).toBe(false)
    expect(isTrustedSender('file:///home/me/page.html')).toBe(false)
    expect(isTrustedSender('rewardlens://elsewhere/index.html')).toBe(false)
    expect(isTrustedSender('')).toBe(false)
    expect(isTrustedSender(undefined)).toBe(false)
  })
})

describe('createHandle', () => {
  it('answers a request from the app with the handler result', async () => {
    const { ipcMain, invoke } = fakeIpcMain()
    createHandle(ipcMain)(
      'dataset:read',
      (fileId, start, end) => new Uint8Array([fileId.length, start, end]),
    )
    expect(await invoke('dataset:read', 'rewardlens://app/index.html', 'abc', 1, 2)).toEqual(
      new Uint8Array([3, 1, 2]),
    )
  })

  it('refuses a foreign or missing sender frame without calling the handler', () => {
    const { ipcMain, invoke } = fakeIpcMain()
    const handler = vi.fn(() => [])
    createHandle(ipcMain)('recent:list', handler)
    expect(() => invoke('recent:list', 'https://evil.example/')).toThrow(
      /Refused recent:list.*evil\.example/,
    )
    expect(() => invoke('recent:list', null)).toThrow(/no frame/)
    expect(handler).not.toHaveBeenCalled()
  })

  it('registers under the channel name it was given', () => {
    const { ipcMain, listeners } = fakeIpcMain()
    const handle = createHandle(ipcMain)
    handle('dataset:pick-file', () => null)
    handle('dataset:pick-folder', () => null)
    expect([...listeners.keys()]).toEqual(['dataset:pick-file', 'dataset:pick-folder'])
  })
})

describe('sendEvent', () => {
  it('sends the payload alone on the typed channel', () => {
    const send = vi.fn()
    sendEvent({ send }, 'event:menu-command', 'close-dataset')
    expect(send).toHaveBeenCalledWith('event:menu-command', 'close-dataset')
  })
})
