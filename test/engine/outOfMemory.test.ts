/**
 * When DuckDB runs out of memory the app says so in one sentence, with the figures, instead of
 * DuckDB's paragraph of advice for people writing SQL.
 */
import { describe, expect, it } from 'vitest'
import { errorMessage } from '../../renderer/data/errors'
import { ENGINE_KIND, createNodeEngine } from '../support/nodeEngine'

// The desktop engine locks its configuration and spills to disk: it cannot be made to run out here.
describe.skipIf(ENGINE_KIND === 'native')('an engine out of memory', () => {
  it('reads as one sentence with the figures and what to do', async () => {
    const engine = await createNodeEngine()
    await engine.exec(`SET memory_limit = '64MB'`)
    const error = await engine
      .exec(
        `CREATE TABLE big AS SELECT i, repeat(md5(i::VARCHAR), 20) AS code FROM range(400000) r(i)`,
      )
      .then(() => null)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/^Out of Memory Error/)
    const message = errorMessage(error)
    expect(message).toMatch(
      /^the engine ran out of memory \([\d.]+ MiB of [\d.]+ MiB in use\)\. Open a smaller part of the data, or use the desktop app/,
    )
    expect(message).not.toMatch(/SET|PRAGMA|https?:/)
    // Other errors pass through as they are.
    expect(errorMessage(new Error('Binder Error: no column x'))).toBe('Binder Error: no column x')
  })
})
