/**
 * The query engine: DuckDB-WASM behind one narrow `Engine` interface.
 *
 * This is the only renderer module that imports `@duckdb/duckdb-wasm`. The wasm and worker files
 * are bundled with the app (Vite `?url` imports), and extension autoloading is switched off, so
 * the engine never reaches for the network.
 */
import { AsyncDuckDB, type AsyncDuckDBConnection, VoidLogger } from '@duckdb/duckdb-wasm'
import duckdbWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url'
import duckdbWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url'
import { Type } from 'apache-arrow'
import type { CellValue, Row } from './values'

/** A value bound to a prepared-statement parameter. */
export type SqlParam = string | number | boolean | null

/** The rows of a query result as plain values, with the column names in order. */
export interface QueryResult {
  readonly columns: readonly string[]
  readonly rows: readonly Row[]
}

/** Everything the app asks of the engine. */
/**
 * How soon a statement should run when several wait: `first` for what a person is waiting to see
 * (the row count, the table page, the selected row), `later` for work behind the views (the reward
 * checks). Equal priorities run in the order asked.
 */
export type Priority = 'first' | 'normal' | 'later'

export interface Engine {
  /** Runs a query; `params` bind to `?` placeholders. */
  query(sql: string, params?: readonly SqlParam[], priority?: Priority): Promise<QueryResult>
  /** Runs statements whose result is not needed. */
  exec(sql: string, priority?: Priority): Promise<void>
  /** Appends an Arrow IPC stream to a table, creating the table from it when `create` is set. */
  insertArrowIPC(table: string, ipc: Uint8Array, create: boolean): Promise<void>
  /** Makes bytes readable by SQL under a file name (for `read_csv`). */
  registerFile(name: string, bytes: Uint8Array): Promise<void>
  /** Releases a file made readable by `registerFile`. */
  dropFile(name: string): Promise<void>
  /** Bytes of memory the engine's buffer manager holds (tables, indexes, query state). */
  memoryBytes(): Promise<number>
}

/** Statements every session runs first: no extension ever comes from the network. */
export const OFFLINE_SETTINGS = [
  'SET autoload_known_extensions = false',
  'SET autoinstall_known_extensions = false',
] as const

/** The slice of an Arrow table the result conversion reads; both Arrow copies satisfy it. */
export interface ArrowTableLike {
  readonly numRows: number
  readonly schema: { readonly fields: readonly ArrowFieldLike[] }
  getChildAt(index: number): { get(row: number): unknown } | null
}

interface ArrowFieldLike {
  readonly name: string
  readonly type: ArrowTypeLike
}

interface ArrowTypeLike {
  readonly typeId: Type
  readonly unit?: number
  readonly children?: readonly ArrowFieldLike[]
}

/** Converts an Arrow result into plain rows: BigInt to number, lists to arrays, structs to objects. */
export function arrowToResult(table: ArrowTableLike): QueryResult {
  const fields = table.schema.fields
  const columns = fields.map((f) => f.name)
  const vectors = fields.map((_, i) => table.getChildAt(i))
  const rows: Row[] = []
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, CellValue> = {}
    for (let c = 0; c < fields.length; c++) {
      row[columns[c]!] = toCell(vectors[c]?.get(r), fields[c]!.type)
    }
    rows.push(row)
  }
  return { columns, rows }
}

function toCell(value: unknown, type: ArrowTypeLike): CellValue {
  if (value === null || value === undefined) return null
  switch (type.typeId) {
    case Type.List:
    case Type.FixedSizeList: {
      const element = type.children?.[0]?.type
      const items: CellValue[] = []
      for (const item of value as Iterable<unknown>) {
        items.push(element ? toCell(item, element) : scalar(item))
      }
      return items
    }
    case Type.Struct: {
      const source = value as Record<string, unknown>
      const out: Record<string, CellValue> = {}
      for (const child of type.children ?? [])
        out[child.name] = toCell(source[child.name], child.type)
      return out
    }
    case Type.Map: {
      const json = (value as { toJSON(): Record<string, unknown> }).toJSON()
      const out: Record<string, CellValue> = {}
      for (const [k, v] of Object.entries(json)) out[k] = scalar(v)
      return out
    }
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
  /**
   * Statements run one at a time (DuckDB-WASM has one thread and one connection here), the most
   * urgent waiting one next. A statement already running is never interrupted.
   */
  private readonly waiting: { rank: number; seq: number; run: () => Promise<void> }[] = []
  private running = false
  private seq = 0

  constructor(
    private readonly db: DuckDatabase,
    private readonly conn: DuckConnection,
  ) {}

  query(
    sql: string,
    params: readonly SqlParam[] = [],
    priority: Priority = 'normal',
  ): Promise<QueryResult> {
    return this.serial(priority, async () => {
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
    return this.serial(priority, async () => {
      await this.conn.query(sql)
    })
  }

  insertArrowIPC(table: string, ipc: Uint8Array, create: boolean): Promise<void> {
    return this.serial('normal', async () => {
      await this.conn.insertArrowFromIPCStream(ipc, { name: table, create })
    })
  }

  registerFile(name: string, bytes: Uint8Array): Promise<void> {
    return this.serial('normal', async () => {
      await this.db.registerFileBuffer(name, bytes)
    })
  }

  dropFile(name: string): Promise<void> {
    return this.serial('normal', async () => {
      await this.db.dropFile(name)
    })
  }

  async memoryBytes(): Promise<number> {
    const result = await this.query('SELECT sum(memory_usage_bytes) AS bytes FROM duckdb_memory()')
    return Number(result.rows[0]?.bytes ?? 0)
  }

  private serial<T>(priority: Priority, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () => task().then(resolve, reject)
      this.waiting.push({ rank: PRIORITY_RANK[priority], seq: this.seq++, run })
      void this.drain()
    })
  }

  /** Runs waiting statements, most urgent (then oldest) first, until none is left. */
  private async drain(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      while (this.waiting.length > 0) {
        let next = 0
        for (let i = 1; i < this.waiting.length; i++) {
          const a = this.waiting[i]!
          const b = this.waiting[next]!
          if (a.rank < b.rank || (a.rank === b.rank && a.seq < b.seq)) next = i
        }
        const [item] = this.waiting.splice(next, 1)
        await item!.run()
      }
    } finally {
      this.running = false
    }
  }
}

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { first: 0, normal: 1, later: 2 }

/** Starts DuckDB-WASM in a Web Worker from the bundled files. */
export async function createBrowserEngine(): Promise<Engine> {
  const worker = new Worker(duckdbWorkerUrl)
  const db = new AsyncDuckDB(new VoidLogger(), worker)
  await db.instantiate(duckdbWasmUrl)
  await db.open({ query: { castBigIntToDouble: false, castDecimalToDouble: true } })
  const conn: AsyncDuckDBConnection = await db.connect()
  for (const statement of OFFLINE_SETTINGS) await conn.query(statement)
  return new DuckEngine(db, conn)
}
