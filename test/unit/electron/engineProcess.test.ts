/**
 * The main process's side of the native engine: a utility process per window, its port handed to
 * the window only once the engine says it is ready, a WASM fallback when it cannot start, and word
 * to the window when it stops on its own. Electron's process and ports are faked at the boundary.
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { type EngineChild, EngineProcess } from '../../../electron/main/engineProcess'

class FakeChild extends EventEmitter implements EngineChild<string> {
  readonly sent: { message: unknown; transfer?: string[] }[] = []
  killed = false
  postMessage(message: unknown, transfer?: string[]): void {
    this.sent.push({ message, transfer })
  }
  kill(): boolean {
    this.killed = true
    return true
  }
}

function setup(readyTimeoutMs = 1_000) {
  const children: FakeChild[] = []
  const posted: { channel: string; transfer?: string[] }[] = []
  const stopped: string[] = []
  let channels = 0
  const window = {
    postMessage: (channel: string, _message: unknown, transfer?: string[]) =>
      posted.push({ channel, transfer }),
  }
  const engine = new EngineProcess<string>({
    fork: () => {
      const child = new FakeChild()
      children.push(child)
      return child
    },
    channel: () => {
      channels++
      return { port1: `engine end ${channels}`, port2: `window end ${channels}` }
    },
    portChannel: 'engine:port',
    onStopped: (_window, message) => stopped.push(message),
    readyTimeoutMs,
  })
  return { engine, children, posted, stopped, window }
}

describe('the engine process', () => {
  it('gives each end of one channel to the engine and the window once the engine is ready', async () => {
    const { engine, children, posted, window } = setup()
    const started = engine.start(window)
    expect(posted).toEqual([])
    children[0]!.emit('message', { ready: true })
    await expect(started).resolves.toBe(true)
    expect(children[0]!.sent).toEqual([{ message: 'port', transfer: ['engine end 1'] }])
    expect(posted).toEqual([{ channel: 'engine:port', transfer: ['window end 1'] }])
  })

  it('answers false, and kills the process, when native DuckDB cannot load', async () => {
    const { engine, children, posted, window } = setup()
    const started = engine.start(window)
    children[0]!.emit('message', { failed: 'duckdb.node: cannot open shared object file' })
    await expect(started).resolves.toBe(false)
    expect(children[0]!.killed).toBe(true)
    expect(posted).toEqual([])
  })

  it('answers false when the process exits before it is ready, or never says so', async () => {
    const early = setup()
    const exiting = early.engine.start(early.window)
    early.children[0]!.emit('exit', 9)
    await expect(exiting).resolves.toBe(false)

    const silent = setup(20)
    await expect(silent.engine.start(silent.window)).resolves.toBe(false)
    expect(silent.children[0]!.killed).toBe(true)
  })

  it('starts a fresh engine for a reloaded window and stops the old one quietly', async () => {
    const { engine, children, stopped, window } = setup()
    const first = engine.start(window)
    children[0]!.emit('message', { ready: true })
    await first
    const second = engine.start(window)
    expect(children[0]!.killed).toBe(true)
    children[0]!.emit('exit', 0)
    children[1]!.emit('message', { ready: true })
    await expect(second).resolves.toBe(true)
    expect(stopped).toEqual([])
  })

  it('tells the window when its engine stops on its own, but not when the window closed it', async () => {
    const { engine, children, stopped, window } = setup()
    const started = engine.start(window)
    children[0]!.emit('message', { ready: true })
    await started
    children[0]!.emit('exit', 134)
    expect(stopped).toEqual([expect.stringContaining('exit code 134')])
    expect(stopped[0]).toContain('View > Reload')

    const closing = setup()
    const again = closing.engine.start(closing.window)
    closing.children[0]!.emit('message', { ready: true })
    await again
    closing.engine.stop()
    closing.children[0]!.emit('exit', 0)
    expect(closing.stopped).toEqual([])
  })
})
