/**
 * Answers engine requests that arrive on a port by calling an `Engine`: the engine process's side of
 * `shared/engineProtocol.ts`. The engine keeps its own queue, so requests are handed to it as they
 * come and answered as they finish.
 */
import type { Engine, QueryResult } from '../../shared/engine'
import type { EnginePort, EngineRequest } from '../../shared/engineProtocol'

function answer(
  engine: Engine,
  request: EngineRequest,
): Promise<QueryResult | number | string | null> {
  switch (request.op) {
    case 'query':
      return engine.query(request.sql, request.params, request.priority)
    case 'exec':
      return engine.exec(request.sql, request.priority).then(() => null)
    case 'insert':
      return engine.insertArrowIPC(request.table, request.ipc, request.create).then(() => null)
    case 'register':
      return engine.registerFile(request.name, request.bytes)
    case 'drop':
      return engine.dropFile(request.name).then(() => null)
    case 'memory':
      return engine.memoryBytes()
  }
}

function isRequest(message: unknown): message is EngineRequest {
  const candidate = message as Partial<EngineRequest> | null
  return typeof candidate?.id === 'number' && typeof candidate.op === 'string'
}

/** Serves `engine` on `port` until the port closes. */
export function serveEngine(engine: Engine, port: EnginePort): void {
  port.listen((message) => {
    if (!isRequest(message)) return
    const { id } = message
    answer(engine, message).then(
      (value) => port.post({ id, ok: true, value }),
      (error: unknown) =>
        port.post({
          id,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        }),
    )
  })
}
