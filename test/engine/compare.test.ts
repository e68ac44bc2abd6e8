/**
 * Comparing two files in the engine: the key chosen, the pairs (never multiplied), the counts the
 * summary shows, the facet and difference filters on A's units.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCompare } from '../../renderer/data/compare/build'
import { type CompareSide, detectKey, fieldsKey, keyLabel } from '../../renderer/data/compare/key'
import type { Engine } from '../../renderer/data/engine'
import { countRows } from '../../renderer/data/explore'
import { EMPTY_FILTER, type Filter, rowSource } from '../../renderer/data/filter'
import { openProfile } from '../../renderer/data/profile/session'
import { comparePair } from '../fixtures/compare'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { describeRealdata, realPath } from '../support/realdata'

let engine: Engine
let folder: string
beforeAll(async () => {
  engine = await createNodeEngine()
  folder = await mkdtemp(join(tmpdir(), 'rl-compare-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function side(path: string): Promise<CompareSide> {
  const dataset = await loadFiles(engine, path)
  const state = await openProfile(engine, dataset, null)
  return { dataset, profile: state.profile, relations: state.relations }
}

async function shown(a: CompareSide, filter: Filter): Promise<number> {
  return countRows(engine, rowSource(a.dataset.table, a.relations, filter))
}

async function ids(a: CompareSide, filter: Filter): Promise<string[]> {
  const source = rowSource(a.dataset.table, a.relations, filter)
  const result = await engine.query(
    `SELECT id FROM ${source.from} WHERE ${source.where.text} ORDER BY id`,
    [...source.where.params],
  )
  return result.rows.map((r) => String(r.id as string))
}

describe('a version with rows removed, added and rewards changed', () => {
  const pair = comparePair()
  let a: CompareSide
  let b: CompareSide
  beforeAll(async () => {
    await writeFile(join(folder, 'v1.jsonl'), `${pair.a.join('\n')}\n`)
    await writeFile(join(folder, 'v2.jsonl'), `${pair.b.join('\n')}\n`)
    a = await side(join(folder, 'v1.jsonl'))
    b = await side(join(folder, 'v2.jsonl'))
  }, 60_000)

  it('joins on the shared id and counts both sides', async () => {
    const choice = await detectKey(engine, a, b)
    expect(choice.key).toEqual(fieldsKey('id'))
    const build = await buildCompare(engine, a, b, choice.key!)
    expect(build.counts).toEqual({ both: 940, aOnly: 60, bOnly: 40, changed: 100, swapped: 0 })
    expect(build.stats.a.repeated).toBe(0)
  })

  it('filters A to the changed rows, the rows only in A, and by the difference', async () => {
    await buildCompare(engine, a, b, fieldsKey('id'))
    const compare = (show: 'changed' | 'a-only' | 'both' | 'b-only' | 'flipped'): Filter => ({
      ...EMPTY_FILTER,
      compare: { show, threshold: 0.5 },
    })
    expect(await ids(a, compare('changed'))).toEqual([...pair.changed].sort())
    expect(await ids(a, compare('a-only'))).toEqual([...pair.removed].sort())
    expect(await shown(a, compare('both'))).toBe(940)
    expect(await shown(a, compare('b-only'))).toBe(0)
    // Every changed reward crosses 0.5 (to 0.05 from at least 0.5, or to 0.95 from below).
    expect(await shown(a, compare('flipped'))).toBe(100)
    const lower: Filter = {
      ...EMPTY_FILTER,
      ranges: { __rl_delta_reward: { path: ['__rl_delta_reward'], min: null, max: -0.0001 } },
    }
    const down = await ids(a, lower)
    expect(down.length).toBeGreaterThan(0)
    expect(down.every((id) => pair.changed.has(id))).toBe(true)
  })
})

describeRealdata('code-rlaif against itself', () => {
  let a: CompareSide
  let b: CompareSide
  beforeAll(async () => {
    a = await side(realPath('code-rlaif/train.jsonl'))
    b = await side(realPath('code-rlaif/train.jsonl'))
  }, 60_000)

  it('says the prompt is no key, with the counts, and offers timestamp', async () => {
    const choice = await detectKey(engine, a, b)
    expect(choice.key).not.toBeNull()
    expect(keyLabel(choice.key!)).toBe('prompt + code A (normalised)')
    expect(choice.uniqueColumns).toContain('timestamp')
    const build = await buildCompare(engine, a, b, choice.key!)
    // 600 rows over 15 (prompt, student code) values: paired in order, never multiplied.
    expect(build.stats.a).toMatchObject({ units: 600, keys: 15, repeated: 600, repeatedKeys: 15 })
    expect(build.counts.both + build.counts.aOnly).toBe(600)
    expect(build.counts.both + build.counts.bOnly).toBe(600)
  })

  it('joined on timestamp: 600 in both and nothing changed', async () => {
    const build = await buildCompare(engine, a, b, fieldsKey('timestamp'))
    expect(build.counts).toEqual({ both: 600, aOnly: 0, bOnly: 0, changed: 0, swapped: 0 })
  })
})

describeRealdata('the vizhub preference export against its grades CSV', () => {
  it('shares no column and no prompt; joined on rejected_model = model: 9 in both, 6 only in the grades', async () => {
    const a = await side(realPath('vizhub-rlhf/training-dataset-v1.0.jsonl'))
    const b = await side(realPath('vizhub-rlhf/grades/ej-fox.csv'))
    const choice = await detectKey(engine, a, b)
    expect(choice).toEqual({ key: null, uniqueColumns: [], sharedColumns: [] })
    const key = {
      kind: 'fields',
      pairs: [{ a: ['metadata', 'rejected_model'], b: ['model'] }],
    } as const
    expect(keyLabel(key)).toBe('metadata.rejected_model = model')
    const build = await buildCompare(engine, a, b, key)
    expect(build.counts).toMatchObject({ both: 9, aOnly: 0, bOnly: 6 })
    expect(build.stats.a.repeated + build.stats.b.repeated).toBe(0)
  })
})

describeRealdata('the vizhub preference export against its results table', () => {
  it('pairs on two fields at once, (challenge, model): 9 in both, 81 only in the results', async () => {
    const a = await side(realPath('vizhub-rlhf/training-dataset-v1.0.jsonl'))
    const b = await side(realPath('vizhub-rlhf/results.csv'))
    const key = {
      kind: 'fields',
      pairs: [
        { a: ['metadata', 'challenge'], b: ['challenge'] },
        { a: ['metadata', 'rejected_model'], b: ['model'] },
      ],
    } as const
    expect(keyLabel(key)).toBe('metadata.challenge = challenge + metadata.rejected_model = model')
    const build = await buildCompare(engine, a, b, key)
    expect(build.counts).toMatchObject({ both: 9, aOnly: 0, bOnly: 81 })
    // Each field alone repeats in the results (6 challenges × 15 models); together they are unique.
    expect(build.stats.b.repeated).toBe(0)
  })
})
