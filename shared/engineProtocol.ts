/**
 * The messages between the renderer and the desktop app's engine process, one request and one
 * answer per `Engine` call, matched by id.
 *
 * The renderer side is `renderer/data/remoteEngine.ts`; the engine side is `electron/engine/serve.ts`.
 */
import type { Priority, QueryResult, SqlParam } from './engine'

export type EngineRequest = { readonly id: number } & (
  | {
      readonly op: 'query'
      readonly sql: string
      readonly params: readonly SqlParam[]
      readonly priority: Priority
    }
  | { readonly op: 'exec'; readonly sql: string; readonly priority: Priority }
  | {
      readonly op: 'insert'
      readonly table: string
      readonly ipc: Uint8Array
      readonly create: boolean
    }
  | { readonly op: 'register'; readonly name: string; readonly bytes: Uint8Array }
  | { readonly op: 'drop'; readonly name: string }
  | { readonly op: 'memory' }
)

export type EngineResponse =
  | { readonly id: number; readonly ok: true; readonly value: QueryResult | number | string | null }
  | { readonly id: number; readonly ok: false; readonly message: string }

/**
 * One end of a message channel, whatever carries it: a DOM `MessagePort` in the renderer, Electron's
 * `MessagePortMain` in the utility process, a `worker_threads` port in tests.
 */
export interface EnginePort {
  post(message: EngineRequest | EngineResponse, transfer?: readonly ArrayBuffer[]): void
  /** Calls `listener` with every message that arrives. */
  listen(listener: (message: unknown) => void): void
}

/** What the engine process tells the main process first: it is ready to serve, or why it cannot. */
export type EngineHello = { readonly ready: true } | { readonly failed: string }

/** The window message the desktop preload forwards the engine's port with. */
export const ENGINE_PORT_MESSAGE = 'rewardlens:engine-port'
