/**
 * The query engine: DuckDB-WASM behind one narrow `Engine` interface.
 *
 * This is the only renderer module that imports `@duckdb/duckdb-wasm`. The wasm and worker files
 * are bundled with the app (Vite `?url` imports), and extension autoloading is switched off, so
 * the engine never reaches for the network.
 */
import {
  AsyncDuckDB,
  type AsyncDuckDBConnection,
  DuckDBAccessMode,
  type DuckDBConfig,
  VoidLogger,
} from '@duckdb/duckdb-wasm'
import duckdbWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url'
import duckdbWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url'
import { Type } from 'apache-arrow'
import {
  COMPACT_INSERT_ROWS,
  ENGINE_NAMES,
  type Engine,
  MEMORY_SQL,
  OFFLINE_SETTINGS,
  type Priority,
  type QueryResult,
  type SqlParam,
  StatementQueue,
  checkSql,
} from '../../shared/engine'
import type { CellValue, Row } from './values'

export type { Engine, Priority, QueryResult, SqlParam } from '../../shared/engine'
export { OFFLINE_SETTINGS } from '../../shared/engine'

/** The slice of an Arrow vector the result conversion reads. */
interface ArrowVectorLike {
  readonly length: number
  get(row: number): unknown
  getChildAt(index: number): ArrowVectorLike | null
}

/** The slice of an Arrow table the result conversion reads; both Arrow copies satisfy it. */
export interface ArrowTableLike {
  readonly numRows: number
  readonly schema: { readonly fields: readonly ArrowFieldLike[] }
  getChildAt(index: number): ArrowVectorLike | null
}

interface ArrowFieldLike {
  readonly name: string
  readonly type: ArrowTypeLike
}

interface ArrowTypeLike {
  readonly typeId: Type
  readonly unit?: number
  readonly scale?: number
  readonly children?: readonly ArrowFieldLike[]
}

/**
 * Converts an Arrow result into plain rows: BigInt to number, lists to arrays, structs to objects.
 * Objects are built from entries, never by assignment: a column or field named `__proto__` is then
 * a value like any other, not the object's prototype.
 */
export function arrowToResult(table: ArrowTableLike): QueryResult {
  const fields = table.schema.fields
  const columns = fields.map((f) => f.name)
  const vectors = fields.map((_, i) => table.getChildAt(i))
  const rows: Row[] = []
  for (let r = 0; r < table.numRows; r++) {
    rows.push(Object.fromEntries(fields.map((f, c) => [f.name, cellAt(vectors[c], r, f.type)])))
  }
  return { columns, rows }
}

/**
 * The value at `index` of a vector. Structs are read through their children's vectors: a struct
 * row's own accessors answer `__proto__` with its prototype.
 */
function cellAt(
  vector: ArrowVectorLike | null | undefined,
  index: number,
  type: ArrowTypeLike,
): CellValue {
  if (!vector) return null
  const value = vector.get(index)
  if (value === null || value === undefined) return null
  switch (type.typeId) {
    case Type.List:
    case Type.FixedSizeList: {
      const items = value as ArrowVectorLike
      const element = type.children?.[0]?.type
      return Array.from({ length: items.length }, (_, i) =>
        element ? cellAt(items, i, element) : scalar(items.get(i)),
      )
    }
    case Type.Struct:
      return Object.fromEntries(
        (type.children ?? []).map((child, k) => [
          child.name,
          cellAt(vector.getChildAt(k), index, child.type),
        ]),
      )
    case Type.Map:
      return Object.fromEntries(
        [...(value as Iterable<[unknown, unknown]>)].map(([k, v]) => [String(k), scalar(v)]),
      )
    case Type.Decimal:
      return decimalNumber(value, type.scale ?? 0)
    case Type.Timestamp:
    case Type.Date: {
      const ms = Number(value)
      if (!Number.isFinite(ms)) return describe(value)
      const iso = new Date(ms).toISOString()
      return type.typeId === Type.Date
        ? iso.slice(0, 10)
        : iso.replace('Z', '').replace(/\.000$/, '')
    }
    default:
      return scalar(value)
  }
}

/**
 * A DECIMAL as a double. The engine converts decimals itself rather than opening DuckDB-WASM with
 * `castDecimalToDouble`: that option relabels a decimal inside a list or struct as a double but
 * keeps its integer bits, so `{'t': 1.5}` read back as `{t: 7.4e-323}`.
 */
function decimalNumber(value: unknown, scale: number): number {
  const toPrimitive = (value as { [Symbol.toPrimitive]?: (hint: string) => unknown })[
    Symbol.toPrimitive
  ]
  const unscaled = toPrimitive ? toPrimitive.call(value, 'default') : value
  return Number(unscaled) / 10 ** scale
}

function scalar(value: unknown): CellValue {
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
    case 'number':
    case 'string':
    case 'boolean':
      return value
    default:
      if (value instanceof Uint8Array) return `<${value.length} bytes>`
      return describe(value)
  }
}

/** Text for a value of a type the views do not know (it still shows, never "[object Object]"). */
function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value
    return JSON.stringify(json, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  }
  return typeof value === 'symbol' || typeof value === 'function'
    ? typeof value
    : `${value as string}`
}

/** The operations of a DuckDB-WASM connection the engine uses, async or blocking alike. */
export interface DuckConnection {
  query(sql: string): Promise<ArrowTableLike> | ArrowTableLike
  prepare(sql: string): Promise<DuckStatement> | DuckStatement
  insertArrowFromIPCStream(
    buffer: Uint8Array,
    options: { name: string; create?: boolean },
  ): Promise<void> | void
}

interface DuckStatement {
  query(...params: unknown[]): Promise<ArrowTableLike> | ArrowTableLike
  close(): Promise<void> | void
}

/** The database-level operations the engine uses. */
export interface DuckDatabase {
  registerFileBuffer(name: string, buffer: Uint8Array): Promise<void> | void
  dropFile(name: string): unknown
}

/** An `Engine` over a DuckDB-WASM database and connection. */
export class DuckEngine implements Engine {
  readonly name = ENGINE_NAMES.wasm
  readonly insertRows = COMPACT_INSERT_ROWS
  readonly readsParquet = false
  /** DuckDB-WASM has one thread and one connection here: statements run one at a time. */
  private readonly statements = new StatementQueue()

  constructor(
    private readonly db: DuckDatabase,
    private readonly conn: DuckConnection,
  ) {}

  query(
    sql: string,
    params: readonly SqlParam[] = [],
    priority: Priority = 'normal',
  ): Promise<QueryResult> {
    return this.statements.run(priority, async () => {
      checkSql(sql)
      if (params.length === 0) return arrowToResult(await this.conn.query(sql))
      const statement = await this.conn.prepare(sql)
      try {
        return arrowToResult(await statement.query(...params))
      } finally {
        await statement.close()
      }
    })
  }

  exec(sql: string, priority: Priority = 'normal'): Promise<void> {
    return this.statements.run(priority, async () => {
      checkSql(sql)
      await this.conn.query(sql)
    })
  }

  insertArrowIPC(table: string, ipc: Uint8Array, create: boolean): Promise<void> {
    return this.statements.run('normal', async () => {
      await this.conn.insertArrowFromIPCStream(ipc, { name: table, create })
    })
  }

  registerFile(name: string, bytes: Uint8Array): Promise<string> {
    return this.statements.run('normal', async () => {
      await this.db.registerFileBuffer(name, bytes)
      return name
    })
  }

  dropFile(name: string): Promise<void> {
    return this.statements.run('normal', async () => {
      await this.db.dropFile(name)
    })
  }

  async memoryBytes(): Promise<number> {
    const result = await this.query(MEMORY_SQL)
    return Number(result.rows[0]?.bytes ?? 0)
  }
}

/** How DuckDB-WASM returns values; the engine converts them itself (`arrowToResult`). */
const QUERY_CONFIG: DuckDBConfig['query'] = {
  castBigIntToDouble: false,
  castDecimalToDouble: false,
}

/**
 * How much written data DuckDB keeps in memory (and in its log) before it writes it to the
 * database file in its compressed form. Below it a file's tables stay as they were inserted, as
 * fast to query as in a database in memory (a checkpoint after each insert made opening a 100k-row
 * file 2.5 times slower); past it, blocks written to the file can leave memory. It must stay well
 * under the memory limit: blocks not yet written cannot leave.
 */
const CHECKPOINT_THRESHOLD = '512MB'

/** The browser's storage files of RewardLens databases: `rewardlens-<start>-<random>.duckdb`. */
const STORAGE_FILE = /^rewardlens-.*\.duckdb(\.wal)?$/

/** The slice of the Origin Private File System the storage needs. */
export interface StorageRoot {
  keys(): AsyncIterable<string>
  removeEntry(name: string): Promise<void>
}

/**
 * Removes the databases of windows that have closed. A window's own database is locked while it
 * is open, so removing it fails and it stays; every other one is a leftover.
 */
export async function removeStaleDatabases(root: StorageRoot): Promise<number> {
  let removed = 0
  const names: string[] = []
  for await (const name of root.keys()) if (STORAGE_FILE.test(name)) names.push(name)
  for (const name of names) {
    try {
      await root.removeEntry(name)
      removed++
    } catch {
      // Open in another window.
    }
  }
  return removed
}

/**
 * Opens the database in the browser's private storage (OPFS), so DuckDB can drop table blocks
 * from memory and read them back when needed: a dataset's memory is then bounded by DuckDB's
 * memory limit instead of growing with the size of its text. Falls back to a database in memory
 * where the storage is missing or refuses (old browsers, some private modes). Resolves to
 * whether the database is on disk.
 */
async function openDatabase(db: AsyncDuckDB): Promise<boolean> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage
  if (typeof storage?.getDirectory === 'function') {
    try {
      const root = await storage.getDirectory()
      await removeStaleDatabases(root as unknown as StorageRoot)
      const name = `rewardlens-${Date.now()}-${Math.random().toString(36).slice(2, 10)}.duckdb`
      await db.open({
        path: `opfs://${name}`,
        accessMode: DuckDBAccessMode.READ_WRITE,
        query: QUERY_CONFIG,
      })
      return true
    } catch (error) {
      console.warn('RewardLens: browser storage is not available, DuckDB runs in memory.', error)
    }
  }
  await db.open({ query: QUERY_CONFIG })
  return false
}

/** Starts DuckDB-WASM in a Web Worker from the bundled files. */
export async function createBrowserEngine(): Promise<Engine> {
  const worker = new Worker(duckdbWorkerUrl)
  const db = new AsyncDuckDB(new VoidLogger(), worker)
  await db.instantiate(duckdbWasmUrl)
  const onDisk = await openDatabase(db)
  const conn: AsyncDuckDBConnection = await db.connect()
  for (const statement of OFFLINE_SETTINGS) await conn.query(statement)
  if (onDisk) await conn.query(`SET checkpoint_threshold = '${CHECKPOINT_THRESHOLD}'`)
  return new DuckEngine(db, conn)
}
