/**
 * Names a file may carry that JavaScript or C treat specially: `__proto__` (a plain object's
 * prototype when assigned) and a NUL character (the end of a C string). A row shows them as
 * the file has them, on both engines alike.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { fetchPage, fetchRow } from '../../renderer/data/rows'
import { ENGINE_KIND, createNodeEngine } from '../support/nodeEngine'
import { loadFiles } from '../support/loadFile'

let engine: Engine
let folder: string

beforeAll(async () => {
  engine = await createNodeEngine()
  folder = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-names-'))
})

async function load(name: string, lines: readonly string[]) {
  const file = path.join(folder, name)
  await writeFile(file, lines.join('\n') + '\n')
  return loadFiles(engine, file)
}

describe('hostile names', () => {
  it('shows a column and a struct field named __proto__ as values, not as prototypes', async () => {
    const dataset = await load('proto.jsonl', [
      '{"__proto__": "top", "meta": {"__proto__": 7, "ok": 1}}',
      '{"__proto__": "second", "meta": {"__proto__": 8, "ok": 2}}',
    ])
    expect(dataset.columns.map((c) => c.name)).toEqual(['__proto__', 'meta'])
    const row = await fetchRow(engine, dataset, 0)
    expect(Object.getOwnPropertyNames(row)).toEqual(['__proto__', 'meta'])
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('top')
    const meta = Object.getOwnPropertyDescriptor(row, 'meta')?.value as object
    if (ENGINE_KIND === 'wasm') {
      expect(Object.getOwnPropertyDescriptor(meta, '__proto__')?.value).toBe(7)
      expect(JSON.stringify(row)).toBe('{"__proto__":"top","meta":{"__proto__":7,"ok":1}}')
    } else {
      // @duckdb/node-api 1.5 reads a struct's fields into an object by assignment, so a field
      // named `__proto__` holding a number is lost before the engine sees it; the rest is there.
      expect(Object.getOwnPropertyDescriptor(meta, 'ok')?.value).toBe(1)
    }
    const [first] = await fetchPage(engine, dataset, null, 0)
    expect(Object.getOwnPropertyDescriptor(first!.values, '__proto__')?.value).toBe('top')
  })

  it('opens a file with a NUL character in a key, naming the column the same on both engines', async () => {
    const dataset = await load('nul.jsonl', [
      '{"a\\u0000b": 1, "c": 2}',
      '{"a\\u0000b": 3, "c": 4}',
    ])
    expect(dataset.rowCount).toBe(2)
    const [name] = dataset.columns.map((c) => c.name)
    expect(name).not.toContain('\u0000')
    expect(name).toBe('a\u2400b')
    const row = await fetchRow(engine, dataset, 1)
    expect(row).toEqual({ [name!]: 3, c: 4 })
  })
})
