import { describe, expect, it } from 'vitest'
import {
  EMPTY,
  TRUE,
  ident,
  join,
  list,
  raw,
  readQuery,
  sql,
  sqlKey,
} from '../../../renderer/data/sql'
import type { Engine } from '../../../renderer/data/engine'

describe('the sql tag', () => {
  it('turns each value into a ? and a parameter, in order', () => {
    const q = sql`SELECT * FROM t WHERE a = ${'x'} AND b > ${2} AND c IS ${null} AND d = ${true}`
    expect(q.text).toBe('SELECT * FROM t WHERE a = ? AND b > ? AND c IS ? AND d = ?')
    expect(q.params).toEqual(['x', 2, null, true])
  })

  it('never puts a value into the text, whatever it holds', () => {
    const q = sql`WHERE name = ${"'; DROP TABLE t; --"}`
    expect(q.text).toBe('WHERE name = ?')
    expect(q.params).toEqual(["'; DROP TABLE t; --"])
  })

  it('inlines a fragment with its parameters, keeping the order across fragments', () => {
    const inner = sql`b = ${2} AND c = ${3}`
    const q = sql`a = ${1} AND (${inner}) AND d = ${4}`
    expect(q.text).toBe('a = ? AND (b = ? AND c = ?) AND d = ?')
    expect(q.params).toEqual([1, 2, 3, 4])
  })

  it('quotes identifiers containing quotes and dots', () => {
    const q = sql`SELECT ${ident('trial_qwen2.5_0')} FROM ${ident('my "table"')}`
    expect(q.text).toBe('SELECT "trial_qwen2.5_0" FROM "my ""table"""')
    expect(q.params).toEqual([])
  })

  it('inserts raw text as it is', () => {
    expect(sql`SELECT ${raw('count(*)')} AS n`.text).toBe('SELECT count(*) AS n')
  })

  it('joins fragments with a separator and keeps their parameters', () => {
    const q = join([sql`a = ${1}`, sql`b = ${2}`, raw('c IS NULL')], ' AND ')
    expect(q).toEqual({ text: 'a = ? AND b = ? AND c IS NULL', params: [1, 2] })
    expect(join([])).toEqual(EMPTY)
  })

  it('writes a list of values as a parenthesised list of parameters', () => {
    expect(sql`x IN ${list(['a', 'b', 'c'])}`).toEqual({
      text: 'x IN (?, ?, ?)',
      params: ['a', 'b', 'c'],
    })
  })

  it('gives the same key to the same query and a different one when a parameter differs', () => {
    const q = (v: number) => sql`SELECT * FROM t WHERE x > ${v}`
    expect(sqlKey(q(1))).toBe(sqlKey(q(1)))
    expect(sqlKey(q(1))).not.toBe(sqlKey(q(2)))
    // The same text with different params, or different text with the same params, differ too.
    expect(sqlKey(sql`a = ${'1'}`)).not.toBe(sqlKey(sql`a = ${1}`))
    expect(sqlKey(TRUE)).not.toBe(sqlKey(EMPTY))
  })

  it('runs a read through the engine with its text, parameters and priority', async () => {
    const calls: unknown[] = []
    const engine = {
      query: (text: string, params: unknown[], priority: string) => {
        calls.push({ text, params, priority })
        return Promise.resolve({ columns: ['n'], rows: [{ n: 7 }] })
      },
    } as unknown as Engine
    const read = readQuery(sql`SELECT ${42} AS n`, (rows) => Number(rows[0]?.n), 'first')
    expect(await read.run(engine)).toBe(7)
    expect(calls).toEqual([{ text: 'SELECT ? AS n', params: [42], priority: 'first' }])
    expect(read.key).toBe(sqlKey(sql`SELECT ${42} AS n`))
  })
})
