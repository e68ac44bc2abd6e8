/**
 * The engine's utility process: opens native DuckDB, says whether it is ready, then serves the one
 * message port the main process sends it (the page holds the other end). Started by
 * `electron/main/engineProcess.ts`; it ends when its port closes (the window went away).
 */
import type { MessagePortMain } from 'electron'
import type { EngineHello, EnginePort } from '../../shared/engineProtocol'
import { NativeEngine } from './nativeEngine'
import { serveEngine } from './serve'

function enginePort(port: MessagePortMain): EnginePort {
  return {
    post: (message) => port.postMessage(message),
    listen: (listener) => port.on('message', (event) => listener(event.data)),
  }
}

async function main(): Promise<void> {
  const parent = process.parentPort
  let engine: NativeEngine
  try {
    engine = await NativeEngine.create()
  } catch (error) {
    // The main process reads why, stops this process and lets the window use DuckDB-WASM.
    const hello: EngineHello = { failed: error instanceof Error ? error.message : String(error) }
    parent.postMessage(hello)
    return
  }
  parent.once('message', (event) => {
    const port = event.ports[0]
    if (!port) return
    serveEngine(engine, enginePort(port))
    port.on('close', () => {
      void engine.close().finally(() => process.exit(0))
    })
    port.start()
  })
  const hello: EngineHello = { ready: true }
  parent.postMessage(hello)
}

void main()
