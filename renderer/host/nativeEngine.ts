/**
 * The engine the app runs on: the desktop app's native DuckDB when the Host starts one, else
 * DuckDB-WASM in a Web Worker (the browser build, or a desktop where native DuckDB cannot load).
 */
import type { Engine } from '../../shared/engine'
import { ENGINE_PORT_MESSAGE, type EnginePort } from '../../shared/engineProtocol'
import type { Host } from '../../shared/host'
import { createBrowserEngine } from '../data/engine'
import { RemoteEngine } from '../data/remoteEngine'

/** How long the port may take to arrive once the Host said the engine started. */
const PORT_WAIT_MS = 30_000

/**
 * The part of a window this module listens on: where the preload posts the engine's port. Messages
 * count only when their `source` is this object itself.
 */
export type PortWindow = Pick<Window, 'addEventListener' | 'removeEventListener'>

function enginePort(port: MessagePort): EnginePort {
  return {
    post: (message) => port.postMessage(message),
    listen: (listener) => {
      // Setting onmessage also starts the port.
      port.onmessage = (event: MessageEvent) => listener(event.data)
    },
  }
}

/**
 * Asks the Host for its native engine and connects to it; null when the Host has none.
 * Rejects when the Host started one but its port did not come within `waitMs`.
 */
export async function connectNativeEngine(
  host: Host,
  target: PortWindow = window,
  waitMs = PORT_WAIT_MS,
): Promise<RemoteEngine | null> {
  // Listening before the Host is asked: the port may arrive before its answer does.
  let arrivedPort: MessagePort | null = null
  let onPort: ((port: MessagePort) => void) | null = null
  const listener = (event: MessageEvent) => {
    const port = event.ports[0]
    // Only the preload posts the port, to this very window; a frame or another window that posts
    // the same message must not hand the app an engine of its own.
    if (event.source !== target || event.data !== ENGINE_PORT_MESSAGE || !port) return
    arrivedPort = port
    onPort?.(port)
  }
  target.addEventListener('message', listener)
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    if (!(await host.startEngine())) return null
    const port =
      arrivedPort ??
      (await new Promise<MessagePort>((resolve, reject) => {
        onPort = resolve
        timer = setTimeout(
          () => reject(new Error('The native engine started but never connected.')),
          waitMs,
        )
      }))
    const engine = new RemoteEngine(enginePort(port))
    host.onEngineStopped((message) => engine.stop(message))
    return engine
  } finally {
    clearTimeout(timer)
    target.removeEventListener('message', listener)
  }
}

/** The app's engine: native when the Host has one that starts, else DuckDB-WASM. */
export async function createAppEngine(host: Host): Promise<Engine> {
  try {
    const native = await connectNativeEngine(host)
    if (native) return native
  } catch (error) {
    console.warn('RewardLens: the native engine is not available, using DuckDB-WASM.', error)
  }
  return createBrowserEngine()
}
