/**
 * The renderer's way to its native engine: ask the Host, take the port the preload posts to the
 * window, and talk to native DuckDB through it. The port carries the real engine protocol to the
 * real native engine; only the Host and the window are stand-ins (Node's MessageChannel is the
 * DOM's).
 */
import { describe, expect, it } from 'vitest'
import { NativeEngine } from '../../../electron/engine/nativeEngine'
import { serveEngine } from '../../../electron/engine/serve'
import { ENGINE_PORT_MESSAGE } from '../../../shared/engineProtocol'
import type { Host } from '../../../shared/host'
import { connectNativeEngine } from '../../../renderer/host/nativeEngine'

/**
 * A message as a window receives it, from `source` (the window itself when the preload posts). Built
 * on Event: Node's MessageEvent accepts only a MessagePort as its source.
 */
function windowMessage(data: unknown, ports: MessagePort[], source: unknown): Event {
  return Object.assign(new Event('message'), { data, ports, source })
}

/** A Host whose startEngine starts a real native engine and posts its port as the preload does. */
function desktopHost(
  target: EventTarget,
  {
    starts = true,
    posts = 'after',
  }: { starts?: boolean; posts?: 'before' | 'after' | 'never' } = {},
) {
  const stopListeners: ((message: string) => void)[] = []
  const host = {
    startEngine: async () => {
      if (!starts) return false
      const { port1, port2 } = new MessageChannel()
      const engine = await NativeEngine.create()
      serveEngine(engine, {
        post: (message) => port1.postMessage(message),
        listen: (listener) => {
          port1.onmessage = (event: MessageEvent) => listener(event.data)
        },
      })
      const post = () => {
        target.dispatchEvent(windowMessage('someone else', [], target))
        target.dispatchEvent(windowMessage(ENGINE_PORT_MESSAGE, [port2], target))
      }
      if (posts === 'before') post()
      else if (posts === 'after') setTimeout(post, 5)
      return true
    },
    onEngineStopped: (listener: (message: string) => void) => {
      stopListeners.push(listener)
      return () => undefined
    },
  } as Partial<Host> as Host
  return { host, stop: (message: string) => stopListeners.forEach((l) => l(message)) }
}

describe('connectNativeEngine', () => {
  it('connects to the engine whose port the window receives, and queries it', async () => {
    const target = new EventTarget()
    const { host } = desktopHost(target)
    const engine = await connectNativeEngine(host, target)
    expect(engine).not.toBeNull()
    await engine!.exec('CREATE TABLE t AS SELECT range AS n FROM range(10)')
    const result = await engine!.query('SELECT sum(n) AS s FROM t WHERE n > ?', [4])
    expect(result.rows).toEqual([{ s: 35 }])
    await expect(engine!.query('SELECT nope FROM t')).rejects.toThrow(/nope/)
  })

  it('is null when the Host has no native engine (the browser, or one that cannot start)', async () => {
    const target = new EventTarget()
    const { host } = desktopHost(target, { starts: false })
    await expect(connectNativeEngine(host, target)).resolves.toBeNull()
  })

  it('takes a port that arrives before the Host answers', async () => {
    const target = new EventTarget()
    const { host } = desktopHost(target, { posts: 'before' })
    const engine = await connectNativeEngine(host, target)
    expect((await engine!.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
  })

  it('takes the port only from the window itself, never from a frame or another window', async () => {
    const target = new EventTarget()
    const { port1, port2: foreign } = new MessageChannel()
    const host = {
      startEngine: () => {
        target.dispatchEvent(windowMessage(ENGINE_PORT_MESSAGE, [foreign], new EventTarget()))
        target.dispatchEvent(windowMessage(ENGINE_PORT_MESSAGE, [foreign], null))
        return Promise.resolve(true)
      },
      onEngineStopped: () => () => undefined,
    } as Partial<Host> as Host
    try {
      await expect(connectNativeEngine(host, target, 50)).rejects.toThrow(
        'The native engine started but never connected.',
      )
    } finally {
      port1.close()
    }
  })

  it('says so when the port never comes, and leaves no timer behind either way', async () => {
    const target = new EventTarget()
    const silent = desktopHost(target, { posts: 'never' })
    await expect(connectNativeEngine(silent.host, target, 20)).rejects.toThrow(
      'The native engine started but never connected.',
    )
    // The browser's answer: no engine. Nothing may fire later (an unhandled rejection there
    // showed the crash screen 30 s into every browser session).
    const none = desktopHost(target, { starts: false })
    await expect(connectNativeEngine(none.host, target, 20)).resolves.toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 80))
  })

  it('fails every call with the reason once the engine stops', async () => {
    const target = new EventTarget()
    const { host, stop } = desktopHost(target)
    const engine = await connectNativeEngine(host, target)
    stop('The data engine stopped (exit code 134).')
    await expect(engine!.query('SELECT 1')).rejects.toThrow(
      'The data engine stopped (exit code 134).',
    )
  })
})
