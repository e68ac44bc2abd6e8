/**
 * The real DuckDB-WASM in Node, behind the app's own Engine class, for engine tests.
 *
 * Uses the blocking Node bundle (the browser one needs a Web Worker). apache-arrow is loaded by
 * the bundle itself through require, so results and inserts use one copy of it.
 */
import { createRequire } from 'node:module'
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

/** Starts a fresh in-memory DuckDB-WASM database and returns it as an Engine. */
export async function createNodeEngine(): Promise<Engine> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as BlockingModule
  const file = (name: string) => require.resolve(`@duckdb/duckdb-wasm/dist/${name}`)
  const bundles = {
    mvp: { mainModule: file('duckdb-mvp.wasm'), mainWorker: file('duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: file('duckdb-eh.wasm'), mainWorker: file('duckdb-node-eh.worker.cjs') },
  }
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME)
  await db.instantiate()
  db.open({ query: { castBigIntToDouble: false, castDecimalToDouble: true } })
  const conn = db.connect()
  for (const statement of OFFLINE_SETTINGS) await conn.query(statement)
  return new DuckEngine(db, conn)
}
