/**
 * The one engine contract: what the app asks of a SQL engine, whichever engine answers.
 *
 * The browser build runs DuckDB-WASM in a Web Worker (`renderer/data/engine.ts`); the desktop app
 * runs native DuckDB in a utility process (`electron/engine/`) and reaches it through a message
 * port (`renderer/data/remoteEngine.ts`). Both keep statements in one `StatementQueue`.
 */

/** One cell: a scalar, a list or a struct, nested to any depth. */
export type CellValue =
  null | boolean | number | string | readonly CellValue[] | { readonly [key: string]: CellValue }

/** One result row keyed by column name. */
export type Row = Readonly<Record<string, CellValue>>

/** A value bound to a prepared-statement parameter. */
export type SqlParam = string | number | boolean | null

/** The rows of a query result as plain values, with the column names in order. */
export interface QueryResult {
  readonly columns: readonly string[]
  readonly rows: readonly Row[]
}

/**
 * How soon a statement should run when several wait: `first` for what a person is waiting to see
 * (the row count, the table page, the selected row), `later` for work behind the views (the reward
 * checks). Equal priorities run in the order asked.
 */
export type Priority = 'first' | 'normal' | 'later'

/** Everything the app asks of the engine. */
export interface Engine {
  /** What the status bar calls it: `DuckDB-WASM` or `native DuckDB`. */
  readonly name: string
  /**
   * Rows per insert when a file's rows could come in larger pieces, or null for no limit. DuckDB
   * compresses a row group filled by inserts this small and not one inserted whole: a million
   * code-rlaif rows took 1.4 GB instead of 2.3 GB, and loaded in 26 s instead of 10 s. DuckDB-WASM,
   * whose memory is capped, takes the small inserts; native DuckDB, which spills to disk, the fast
   * ones.
   */
  readonly insertRows: number | null
  /**
   * Whether a Parquet file loads fastest by DuckDB's own reader over the file's bytes (registered
   * with `registerFile`): native DuckDB reads it on every core, where the app's decoder and Arrow
   * inserts took 3.6 times as long for 100k code-rlaif rows. DuckDB-WASM, with one thread and
   * capped memory, loads row group by row group through the ingest worker instead.
   */
  readonly readsParquet: boolean
  /**
   * Runs a query; `params` bind to `?` placeholders. With parameters the query is prepared, so it
   * must be exactly one statement: more are refused, none of them run (DuckDB's own parser counts).
   */
  query(sql: string, params?: readonly SqlParam[], priority?: Priority): Promise<QueryResult>
  /** Runs statements whose result is not needed. */
  exec(sql: string, priority?: Priority): Promise<void>
  /** Appends an Arrow IPC stream to a table, creating the table from it when `create` is set. */
  insertArrowIPC(table: string, ipc: Uint8Array, create: boolean): Promise<void>
  /** Makes bytes readable by SQL (for `read_csv`); resolves to the path SQL reads them by. */
  registerFile(name: string, bytes: Uint8Array): Promise<string>
  /** Releases a file made readable by `registerFile`. */
  dropFile(name: string): Promise<void>
  /** Bytes of memory the engine's buffer manager holds (tables, indexes, query state). */
  memoryBytes(): Promise<number>
}

/** `Engine.insertRows` of an engine that keeps its tables compact (DuckDB-WASM). */
export const COMPACT_INSERT_ROWS = 65_536

/** The engines' names, as the status bar shows them. */
export const ENGINE_NAMES = { wasm: 'DuckDB-WASM', native: 'native DuckDB' } as const

/** Statements every session runs first: no extension ever comes from the network. */
export const OFFLINE_SETTINGS = [
  'SET autoload_known_extensions = false',
  'SET autoinstall_known_extensions = false',
] as const

/**
 * Functions that change how the engine runs rather than what it answers: logging to a file,
 * profiling, verification, caches. `lock_configuration` does not cover them; after
 * `enable_logging(storage='file')` every statement failed and closing the engine aborted the
 * process, and a person's SQL condition could reach it (`EXISTS (SELECT * FROM enable_logging(…))`).
 */
const ENGINE_SWITCHES =
  /\b((?:enable|disable)_(?:logging|profil(?:e|ing)|verification|object_cache|progress_bar|print_progress_bar|checkpoint_on_shutdown)|verify_(?:external|serializer|parallelism|fetch_row)|force_(?:parallelism|index_join)|truncate_duckdb_logs)\b/i

/**
 * Why the engine refuses a piece of SQL, or null when it may run: a NUL character (native DuckDB
 * reads SQL as a C string and would run what comes before it), a PRAGMA, or a function that
 * switches how the engine runs. Both engines check every statement with it, so they refuse alike.
 */
export function refusedSql(sql: string): string | null {
  if (sql.includes('\u0000')) return 'SQL with a NUL character is refused.'
  if (/(?:^|;)\s*PRAGMA\b/i.test(sql)) return 'PRAGMA statements are refused.'
  const switched = ENGINE_SWITCHES.exec(sql)
  if (switched) return `${switched[1]} changes how the engine runs, and is refused.`
  return null
}

/** Throws the engine's refusal of a piece of SQL, if it refuses it (see `refusedSql`). */
export function checkSql(sql: string): void {
  const reason = refusedSql(sql)
  if (reason !== null) throw new Error(reason)
}

/** The query that `memoryBytes` answers from. */
export const MEMORY_SQL = 'SELECT sum(memory_usage_bytes) AS bytes FROM duckdb_memory()'

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { first: 0, normal: 1, later: 2 }

/**
 * Runs tasks one at a time, the most urgent (then the oldest) waiting one next. A task already
 * running is never interrupted. Both engines run one statement at a time on one connection.
 */
export class StatementQueue {
  private readonly waiting: { rank: number; seq: number; run: () => Promise<void> }[] = []
  private running = false
  private seq = 0

  run<T>(priority: Priority, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () => task().then(resolve, reject)
      this.waiting.push({ rank: PRIORITY_RANK[priority], seq: this.seq++, run })
      void this.drain()
    })
  }

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
