/**
 * The real engines in Node, for engine tests: DuckDB-WASM behind the app's own `DuckEngine` class,
 * or, with `RL_ENGINE=native` (the `engine-native` test project), the desktop app's native DuckDB
 * reached the way the window reaches it, through a message port and the engine protocol.
 *
 * DuckDB-WASM uses the blocking Node bundle (the browser one needs a Web Worker). apache-arrow is
 * loaded by the bundle itself through require, so results and inserts use one copy of it.
 */
import { createRequire } from 'node:module'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { NativeEngine } from '../../electron/engine/nativeEngine'
import { serveEngine } from '../../electron/engine/serve'
import type { EnginePort } from '../../shared/engineProtocol'
import { RemoteEngine } from '../../renderer/data/remoteEngine'
import {
  DuckEngine,
  type Engine,
  OFFLINE_SETTINGS,
  type DuckConnection,
} from '../../renderer/data/engine'

const require = createRequire(import.meta.url)

interface BlockingDuckDB {
  instantiate(): Promise<unknown>
  open(config: object): void
  connect(): DuckConnection
  registerFileBuffer(name: string, buffer: Uint8Array): void
  dropFile(name: string): unknown
}

interface BlockingModule {
  createDuckDB(bundles: object, logger: object, runtime: object): Promise<BlockingDuckDB>
  VoidLogger: new () => object
  NODE_RUNTIME: object
}

/** Which engine the tests run on: `native` under the engine-native project, else `wasm`. */
export const ENGINE_KIND: 'wasm' | 'native' = process.env.RL_ENGINE === 'native' ? 'native' : 'wasm'

/** Starts a fresh in-memory database of the engine under test and returns it as an Engine. */
export function createNodeEngine(): Promise<Engine> {
  return ENGINE_KIND === 'native' ? createRemoteNativeEngine() : createWasmEngine()
}

function portOf(port: MessagePort): EnginePort {
  port.unref()
  return {
    post: (message) => port.postMessage(message),
    listen: (listener) => port.on('message', listener),
  }
}

/** The native engine behind a real message channel, as the desktop window reaches it. */
export async function createRemoteNativeEngine(): Promise<Engine> {
  const channel = new MessageChannel()
  serveEngine(await NativeEngine.create(), portOf(channel.port1))
  return new RemoteEngine(portOf(channel.port2))
}

export async function createWasmEngine(): Promise<Engine> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as BlockingModule
  const file = (name: string) => require.resolve(`@duckdb/duckdb-wasm/dist/${name}`)
  const bundles = {
    mvp: { mainModule: file('duckdb-mvp.wasm'), mainWorker: file('duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: file('duckdb-eh.wasm'), mainWorker: file('duckdb-node-eh.worker.cjs') },
  }
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME)
  await db.instantiate()
  db.open({ query: { castBigIntToDouble: false, castDecimalToDouble: false } })
  const conn = db.connect()
  for (const statement of OFFLINE_SETTINGS) await conn.query(statement)
  return new DuckEngine(db, conn)
}
