/**
 * The window's native engine: one Electron utility process running `electron/engine/index.ts`,
 * joined to the page by a message port, so queries go straight between the two and never through
 * the main process.
 *
 * Electron is reached only through `EngineProcessDeps`, so the logic here runs in plain Node tests.
 */

import type { EngineHello } from '../../shared/engineProtocol'

/** The part of Electron's `UtilityProcess` used here; `Port` is `MessagePortMain`. */
export interface EngineChild<Port> {
  postMessage(message: unknown, transfer?: Port[]): void
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  kill(): boolean
}

/** The part of the window's `WebContents` used here. */
export interface EngineWindow<Port> {
  postMessage(channel: string, message: unknown, transfer?: Port[]): void
}

export interface EngineProcessDeps<Port> {
  /** Starts the engine's utility process. */
  readonly fork: () => EngineChild<Port>
  /** A new message channel (`MessageChannelMain`). */
  readonly channel: () => { port1: Port; port2: Port }
  /** The channel the window receives its port on. */
  readonly portChannel: string
  /** Tells the window its engine stopped on its own. */
  readonly onStopped: (window: EngineWindow<Port>, message: string) => void
  /** Milliseconds the process may take to say it is ready. */
  readonly readyTimeoutMs?: number
}

/** Starts, restarts and stops the native engine of the app's window. */
export class EngineProcess<Port> {
  #child: EngineChild<Port> | null = null

  constructor(private readonly deps: EngineProcessDeps<Port>) {}

  /**
   * Starts a fresh engine for `window` (a reloaded page asks again; its old engine is stopped) and
   * posts the window its port. False when the engine could not start: the page then uses WASM.
   */
  async start(window: EngineWindow<Port>): Promise<boolean> {
    this.stop()
    const child = this.deps.fork()
    this.#child = child
    const hello = await new Promise<EngineHello>((resolve) => {
      const timer = setTimeout(
        () => resolve({ failed: 'it did not start in time' }),
        this.deps.readyTimeoutMs ?? 30_000,
      )
      child.on('message', (message) => {
        clearTimeout(timer)
        resolve(isHello(message) ? message : { failed: 'it answered something unexpected' })
      })
      child.on('exit', (code) => {
        clearTimeout(timer)
        resolve({ failed: `it exited with code ${code}` })
      })
    })
    if (this.#child !== child) return false
    if ('failed' in hello) {
      console.warn(`RewardLens: the native engine could not start: ${hello.failed}`)
      this.stop()
      return false
    }
    child.on('exit', (code) => {
      if (this.#child !== child) return
      this.#child = null
      this.deps.onStopped(
        window,
        `The data engine stopped (exit code ${code}), perhaps out of memory. Reload the window (View > Reload) to start it again; it reopens the dataset you had open.`,
      )
    })
    const { port1, port2 } = this.deps.channel()
    child.postMessage('port', [port1])
    window.postMessage(this.deps.portChannel, null, [port2])
    return true
  }

  /** Stops the engine, if one runs. */
  stop(): void {
    const child = this.#child
    this.#child = null
    child?.kill()
  }
}

function isHello(message: unknown): message is EngineHello {
  const hello = message as Partial<{ ready: unknown; failed: unknown }> | null
  return hello?.ready === true || typeof hello?.failed === 'string'
}
