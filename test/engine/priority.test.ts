/**
 * The engine runs one statement at a time, the most urgent waiting one next: the row count and the
 * table page a person waits for go before the charts, and the reward checks go last.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Engine, Priority } from '../../renderer/data/engine'
import { createNodeEngine } from '../support/nodeEngine'

let engine: Engine

beforeAll(async () => {
  engine = await createNodeEngine()
  await engine.exec('CREATE TABLE numbers AS SELECT range AS n FROM range(2000000)')
})

/** Queues statements while a slow one runs, and returns the order their answers came in. */
async function order(requests: readonly [label: string, priority: Priority][]): Promise<string[]> {
  const done: string[] = []
  const slow = engine.query('SELECT sum(n * n) AS s FROM numbers').then(() => done.push('running'))
  const queued = requests.map(([label, priority]) =>
    engine.query('SELECT count(*) AS c FROM numbers WHERE n % 7 = 0', [], priority).then(() => {
      done.push(label)
    }),
  )
  await Promise.all([slow, ...queued])
  return done
}

describe('the engine queue', () => {
  it('runs the statement already running first, then the most urgent waiting ones', async () => {
    expect(
      await order([
        ['checks', 'later'],
        ['chart 1', 'normal'],
        ['count', 'first'],
        ['chart 2', 'normal'],
        ['page', 'first'],
      ]),
    ).toEqual(['running', 'count', 'page', 'chart 1', 'chart 2', 'checks'])
  })

  it('keeps the order asked among equal priorities, and goes on after a failed statement', async () => {
    const failed = engine.query('SELECT * FROM no_such_table').catch((e: unknown) => String(e))
    const after = engine.query('SELECT 42 AS answer')
    expect(await failed).toMatch(/no_such_table/)
    expect((await after).rows).toEqual([{ answer: 42 }])
    expect(
      await order([
        ['a', 'normal'],
        ['b', 'normal'],
        ['c', 'normal'],
      ]),
    ).toEqual(['running', 'a', 'b', 'c'])
  })
})
