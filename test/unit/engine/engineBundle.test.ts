/**
 * The desktop app's engine process as it is built (dist/electron/engine.cjs, with DuckDB's native
 * binding copied beside it), run under Node with a stand-in for what Electron hands a utility
 * process: it loads native DuckDB, says it is ready, answers a query on its port, and exits when
 * the port closes. It runs from a copy outside the repository, so nothing can come from
 * node_modules: what is packaged is all it has.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const engine = `${root}dist/electron/engine.cjs`

/**
 * Stands in for what Electron gives a utility process: `process.parentPort`, and a port shaped like
 * `MessagePortMain` (its events carry `{ data }`). Prints the engine's hello and its answer to the
 * query as JSON lines, then closes the port.
 */
const HARNESS = `const { EventEmitter } = require('node:events')
const { MessageChannel } = require('node:worker_threads')

const [enginePath, sql] = process.argv.slice(2)
const parent = new EventEmitter()
process.parentPort = parent

/** A worker_threads port dressed as Electron's MessagePortMain (events carry \`{ data }\`). */
function asMainPort(port) {
  return {
    on(event, listener) {
      if (event === 'message') port.on('message', (data) => listener({ data, ports: [] }))
      else port.on(event, listener)
      return this
    },
    postMessage: (message) => port.postMessage(message),
    start: () => port.start(),
  }
}

parent.postMessage = (hello) => {
  console.log(JSON.stringify({ hello }))
  if (!hello.ready) return
  const { port1, port2 } = new MessageChannel()
  port2.on('message', (answer) => {
    console.log(JSON.stringify({ answer }))
    port2.close()
  })
  parent.emit('message', { data: 'port', ports: [asMainPort(port1)] })
  port2.postMessage({ id: 1, op: 'query', sql, params: [], priority: 'first' })
}

require(enginePath)
`

describe('the built engine process', () => {
  it('loads native DuckDB, answers on its port and exits when the port closes', async () => {
    if (!existsSync(engine))
      throw new Error(`${engine} is missing: run npm run build:electron first (npm test does).`)
    expect(existsSync(`${root}dist/electron/duckdb/duckdb.node`)).toBe(true)
    const alone = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-engine-'))
    let stdout: string
    try {
      await cp(path.dirname(engine), alone, { recursive: true })
      const harness = path.join(alone, 'harness.cjs')
      await writeFile(harness, HARNESS)
      ;({ stdout } = await promisify(execFile)(
        process.execPath,
        [
          harness,
          path.join(alone, 'engine.cjs'),
          'SELECT 6 * 7 AS answer, library_version AS version FROM pragma_version()',
        ],
        { timeout: 60_000, cwd: alone },
      ))
    } finally {
      await rm(alone, { recursive: true, force: true })
    }
    const [hello, answer, ...rest] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown)
    expect(hello).toEqual({ hello: { ready: true } })
    expect(answer).toMatchObject({
      answer: { id: 1, ok: true, value: { columns: ['answer', 'version'] } },
    })
    const { rows } = (
      answer as { answer: { value: { rows: { answer: number; version: string }[] } } }
    ).answer.value
    expect(rows).toHaveLength(1)
    expect(rows[0]!.answer).toBe(42)
    expect(rows[0]!.version).toMatch(/^v1\.\d+\.\d+/)
    expect(rest).toEqual([])
  }, 90_000)
})
