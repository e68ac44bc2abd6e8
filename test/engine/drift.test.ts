import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import type { LoadProgress } from '../../renderer/data/load'
import { quoteIdent } from '../../shared/sql'
import { fileSource } from '../support/fileSource'
import { loadSource } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'

let engine: Engine
let folder: string
beforeAll(async () => {
  engine = await createNodeEngine()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-drift-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** Rows whose shape changes after the rows the loader samples to guess the schema. */
function lateDriftLines(rows: number, driftAt: number): string {
  const lines: string[] = []
  for (let i = 0; i < rows; i++) {
    const row: Record<string, unknown> = { id: i, score: i % 7, meta: { model: `m${i % 3}` } }
    if (i >= driftAt) {
      row.score = i + 0.5
      row.meta = { model: 'late', temperature: 0.7 }
      row.note = 'added late'
    }
    lines.push(JSON.stringify(row))
  }
  return `${lines.join('\n')}\n`
}

describe('a file whose columns change after the first rows', () => {
  it('falls back to a full scan and stores the widened schema', async () => {
    const path = join(folder, 'late-drift.jsonl')
    await writeFile(path, lateDriftLines(6000, 5000))
    const phases = new Set<string>()
    const dataset = await loadSource(engine, await fileSource(path), {
      onProgress: (p: LoadProgress) => phases.add(p.phase),
    })
    expect(dataset.rowCount).toBe(6000)
    const types = Object.fromEntries(dataset.columns.map((c) => [c.name, c.type]))
    expect(types).toEqual({
      id: 'BIGINT',
      score: 'DOUBLE',
      meta: 'STRUCT(model VARCHAR, temperature DOUBLE)',
      note: 'VARCHAR',
    })
    expect([...phases].some((p) => p.startsWith('Reading'))).toBe(true)
    const result = await engine.query(
      `SELECT id, score, meta.temperature AS t, note FROM ${quoteIdent(dataset.table)} WHERE id IN (4999, 5000) ORDER BY id`,
    )
    expect(result.rows).toEqual([
      { id: 4999, score: 1, t: null, note: null },
      { id: 5000, score: 5000.5, t: 0.7, note: 'added late' },
    ])
  })

  it('loads a file of one shape in a single pass', async () => {
    const path = join(folder, 'steady.jsonl')
    await writeFile(path, lateDriftLines(6000, 6000))
    const phases = new Set<string>()
    const dataset = await loadSource(engine, await fileSource(path), {
      onProgress: (p: LoadProgress) => phases.add(p.phase),
    })
    expect(dataset.rowCount).toBe(6000)
    expect([...phases]).toEqual(['Loading rows'])
  })
})
