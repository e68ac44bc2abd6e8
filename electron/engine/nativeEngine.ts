/**
 * The desktop app's engine: native DuckDB (`@duckdb/node-api`) behind the same `Engine` interface
 * the browser build gives DuckDB-WASM.
 *
 * It runs in an Electron utility process (`electron/engine/index.ts`), so a long statement never
 * blocks the window or the main process, and its memory is the machine's, not WASM's 4 GB. The app's
 * SQL is the same on both engines; this module only has to load Arrow batches, make registered
 * bytes readable by `read_csv`, and return results as the same plain values.
 */
import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api'
import { rmSync } from 'node:fs'
import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import {
  type CellValue,
  ENGINE_NAMES,
  type Engine,
  MEMORY_SQL,
  OFFLINE_SETTINGS,
  type Priority,
  type QueryResult,
  type Row,
  type SqlParam,
  StatementQueue,
  checkSql,
} from '../../shared/engine'
import { quoteString } from '../../shared/sql'
import { appendArrowIPC } from './arrowAppend'

/**
 * A result value as DuckDB-WASM's Arrow results give it to the app: safe integers as numbers (others
 * as text), decimals as doubles, timestamps as ISO text without a zone, dates as `YYYY-MM-DD`, lists
 * as arrays, structs and maps as objects, bytes as `<n bytes>`.
 */
export function cellOf(value: DuckDBValue): CellValue {
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value
    case 'number':
      return value
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  }
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    return value.items.map(cellOf)
  }
  if (value instanceof DuckDBStructValue) {
    return Object.fromEntries(
      Object.entries(value.entries).map(([key, item]) => [key, cellOf(item)]),
    )
  }
  if (value instanceof DuckDBMapValue) {
    return Object.fromEntries(
      value.entries.map(({ key, value: item }) => [
        key === null ? 'null' : key.toString(),
        cellOf(item),
      ]),
    )
  }
  if (value instanceof DuckDBDecimalValue) return value.toDouble()
  if (value instanceof DuckDBDateValue) return value.toString()
  const millis = timestampMillis(value)
  if (millis !== null) {
    return Number.isFinite(millis)
      ? new Date(millis)
          .toISOString()
          .replace('Z', '')
          .replace(/\.000$/, '')
      : value.toString()
  }
  if (value instanceof DuckDBBlobValue) return `<${value.bytes.length} bytes>`
  return value.toString()
}

/** Milliseconds since the epoch of a timestamp value of any precision; null for other values. */
function timestampMillis(value: DuckDBValue): number | null {
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    return Number(value.micros) / 1000
  }
  if (value instanceof DuckDBTimestampMillisecondsValue) return Number(value.millis)
  if (value instanceof DuckDBTimestampSecondsValue) return Number(value.seconds) * 1000
  if (value instanceof DuckDBTimestampNanosecondsValue) return Number(value.nanos / 1_000_000n)
  return null
}

/** A parameter as DuckDB-WASM binds it: whole numbers as integers, others as doubles. */
function bindValue(value: SqlParam): DuckDBValue {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  return value
}

/** A registered file's name, refused if it could reach outside the engine's own folder. */
function fileName(name: string): string {
  if (name !== path.basename(name) || name === '' || name.startsWith('.')) {
    throw new Error(`"${name}" is not a plain file name.`)
  }
  return name
}

/** The share of the machine's memory the engine may hold before it spills to disk. */
const MEMORY_SHARE = 0.5

/** Engine folders not yet removed; removed when the process exits, however the engine ended. */
const folders = new Set<string>()
let removeOnExit = false

function keepUntilExit(...paths: string[]): void {
  for (const folder of paths) folders.add(folder)
  if (removeOnExit) return
  removeOnExit = true
  process.once('exit', () => {
    for (const left of folders) rmSync(left, { recursive: true, force: true })
  })
}

export interface NativeEngineOptions {
  /** Memory DuckDB may hold before it spills to disk; half the machine's by default. */
  readonly memoryLimitMiB?: number
  /** Folders SQL may read besides the engine's own (the bench's generated data); none in the app. */
  readonly readableFolders?: readonly string[]
}

/**
 * An `Engine` over one native DuckDB connection, with two folders of its own in the system's temp
 * folder, each made only when used: one for registered files, one DuckDB spills data into.
 */
export class NativeEngine implements Engine {
  readonly name = ENGINE_NAMES.native
  readonly insertRows = null
  readonly readsParquet = true
  private readonly statements = new StatementQueue()

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** Where `registerFile` puts bytes: the one folder SQL may read. */
    private readonly files: string,
    /** DuckDB's `temp_directory`: DuckDB makes it when it first spills, and removes it at close. */
    private readonly spill: string,
  ) {}

  /**
   * Opens an in-memory database that never loads an extension from the network. It may use half
   * the machine's memory (DuckDB's default, 80%, leaves too little for the window beside it on a
   * laptop); past that, data spills to its spill folder.
   *
   * Unlike DuckDB-WASM's virtual file system, native DuckDB reaches the real disk, and the window
   * sends it SQL (a person's SQL condition among it). So SQL may read only the engine's own folder
   * of registered files: `read_csv('/etc/…')`, `COPY … TO`, `ATTACH` and `INSTALL` are refused, and
   * the configuration is locked so no statement can lift that.
   */
  static async create(options: NativeEngineOptions = {}): Promise<NativeEngine> {
    const instance = await DuckDBInstance.create(':memory:', {
      autoload_known_extensions: 'false',
      autoinstall_known_extensions: 'false',
    })
    const connection = await instance.connect()
    for (const statement of OFFLINE_SETTINGS) await connection.run(statement)
    const id = randomUUID()
    const files = path.join(os.tmpdir(), `rewardlens-files-${id}`)
    const spill = path.join(os.tmpdir(), `rewardlens-engine-${id}`)
    keepUntilExit(files, spill)
    // When a dataset outgrows the memory limit, DuckDB moves table blocks to this folder rather
    // than failing; by default it would use .tmp under whatever the working directory is.
    await connection.run(`SET temp_directory = ${quoteString(spill)}`)
    const limitMiB = options.memoryLimitMiB ?? Math.floor((os.totalmem() * MEMORY_SHARE) / 2 ** 20)
    await connection.run(`SET memory_limit = '${limitMiB}MiB'`)
    const readable = [files, ...(options.readableFolders ?? [])].map(quoteString)
    await connection.run(`SET allowed_directories = [${readable.join(', ')}]`)
    await connection.run('SET enable_external_access = false')
    await connection.run('SET lock_configuration = true')
    return new NativeEngine(instance, connection, files, spill)
  }

  query(
    sql: string,
    params: readonly SqlParam[] = [],
    priority: Priority = 'normal',
  ): Promise<QueryResult> {
    return this.statements.run(priority, async () => {
      checkSql(sql)
      // With parameters, prepared: `runAndReadAll(sql, values)` would run every statement but
      // the last unprepared, so a SQL condition could smuggle in a statement of its own.
      const reader =
        params.length > 0
          ? await this.prepared(sql, params)
          : await this.connection.runAndReadAll(sql)
      const columns = reader.columnNames()
      // From entries: a column named `__proto__` is a value, not the row's prototype.
      const rows: Row[] = reader
        .getRows()
        .map((values) =>
          Object.fromEntries(columns.map((column, c) => [column, cellOf(values[c] ?? null)])),
        )
      return { columns, rows }
    })
  }

  exec(sql: string, priority: Priority = 'normal'): Promise<void> {
    return this.statements.run(priority, async () => {
      checkSql(sql)
      await this.connection.run(sql)
    })
  }

  /** Runs one prepared statement with its parameters; DuckDB refuses more than one statement. */
  private async prepared(sql: string, params: readonly SqlParam[]) {
    const statement = await this.connection.prepare(sql)
    try {
      statement.bind(params.map(bindValue))
      return await statement.runAndReadAll()
    } finally {
      statement.destroySync()
    }
  }

  insertArrowIPC(table: string, ipc: Uint8Array, create: boolean): Promise<void> {
    return this.statements.run('normal', () => appendArrowIPC(this.connection, table, ipc, create))
  }

  registerFile(name: string, bytes: Uint8Array): Promise<string> {
    return this.statements.run('normal', async () => {
      await mkdir(this.files, { recursive: true })
      const file = path.join(this.files, fileName(name))
      await writeFile(file, bytes)
      // The full path: DuckDB checks a relative name against the readable folders before it
      // looks for it along file_search_path.
      return file
    })
  }

  dropFile(name: string): Promise<void> {
    return this.statements.run('normal', async () => {
      await rm(path.join(this.files, fileName(name)), { force: true })
      // The folder goes with its last file.
      await rmdir(this.files).catch(() => undefined)
    })
  }

  async memoryBytes(): Promise<number> {
    const result = await this.query(MEMORY_SQL)
    return Number(result.rows[0]?.bytes ?? 0)
  }

  /** Closes the database and removes the engine's folders. */
  async close(): Promise<void> {
    await this.statements.run('later', async () => {
      this.connection.closeSync()
      this.instance.closeSync()
      for (const folder of [this.files, this.spill]) {
        await rm(folder, { recursive: true, force: true })
        folders.delete(folder)
      }
    })
  }
}
