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
} from '../../shared/engine'
import type { CellValue, Row } from './values'

export type { Engine, Priority, QueryResult, SqlParam } from '../../shared/engine'
export { OFFLINE_SETTINGS } from '../../shared/engine'

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
  readonly scale?: number
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

/** Starts DuckDB-WASM in a Web Worker from the bundled files. */
export async function createBrowserEngine(): Promise<Engine> {
  const worker = new Worker(duckdbWorkerUrl)
  const db = new AsyncDuckDB(new VoidLogger(), worker)
  await db.instantiate(duckdbWasmUrl)
  await db.open({ query: { castBigIntToDouble: false, castDecimalToDouble: false } })
  const conn: AsyncDuckDBConnection = await db.connect()
  for (const statement of OFFLINE_SETTINGS) await conn.query(statement)
  return new DuckEngine(db, conn)
}
