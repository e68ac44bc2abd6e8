/**
 * An `Engine` in another process, reached through a message port: the desktop app's native DuckDB
 * (`electron/engine/`). Each call is one request of `shared/engineProtocol.ts`; the engine process
 * keeps the statement queue and its priorities.
 */
import {
  ENGINE_NAMES,
  type Engine,
  type Priority,
  type QueryResult,
  type SqlParam,
} from '../../shared/engine'
import type { EnginePort, EngineRequest, EngineResponse } from '../../shared/engineProtocol'

type Pending = {
  resolve: (value: QueryResult | number | string | null) => void
  reject: (error: Error) => void
}

/** Distributes `Omit` over the request union, so each operation keeps its own fields. */
type RequestBody = EngineRequest extends infer R
  ? R extends EngineRequest
    ? Omit<R, 'id'>
    : never
  : never

export class RemoteEngine implements Engine {
  /** The desktop app's only remote engine is native DuckDB (electron/engine). */
  readonly name = ENGINE_NAMES.native
  readonly insertRows = null
  readonly readsParquet = true
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  /** Why the engine process is gone; every call after that fails with it. */
  private stopped: string | null = null

  constructor(private readonly port: EnginePort) {
    port.listen((message) => this.settle(message as EngineResponse))
  }

  query(
    sql: string,
    params: readonly SqlParam[] = [],
    priority: Priority = 'normal',
  ): Promise<QueryResult> {
    return this.send({ op: 'query', sql, params: [...params], priority }) as Promise<QueryResult>
  }

  async exec(sql: string, priority: Priority = 'normal'): Promise<void> {
    await this.send({ op: 'exec', sql, priority })
  }

  async insertArrowIPC(table: string, ipc: Uint8Array, create: boolean): Promise<void> {
    await this.send({ op: 'insert', table, ipc, create })
  }

  async registerFile(name: string, bytes: Uint8Array): Promise<string> {
    return (await this.send({ op: 'register', name, bytes })) as string
  }

  async dropFile(name: string): Promise<void> {
    await this.send({ op: 'drop', name })
  }

  async memoryBytes(): Promise<number> {
    return Number(await this.send({ op: 'memory' }))
  }

  /** The engine process is gone: what waits and what comes later fails with `message`. */
  stop(message: string): void {
    this.stopped = message
    for (const waiting of this.pending.values()) waiting.reject(new Error(message))
    this.pending.clear()
  }

  private send(body: RequestBody): Promise<QueryResult | number | string | null> {
    if (this.stopped !== null) return Promise.reject(new Error(this.stopped))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.port.post({ ...body, id })
    })
  }

  private settle(response: EngineResponse): void {
    const waiting = this.pending.get(response.id)
    if (!waiting) return
    this.pending.delete(response.id)
    if (response.ok) waiting.resolve(response.value)
    else waiting.reject(new Error(response.message))
  }
}
