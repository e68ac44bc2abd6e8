/**
 * Re-run results as data, on the real DuckDB-WASM: a run over the units a filter shows writes
 * `__rl_rerun_pass_rate` and `__rl_rerun_status`, which the SQL condition, range filters and the
 * `rerun-mismatch` check then read; a second run takes every result from the cache.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LoadedDataset } from '../../../renderer/data/dataset'
import type { Engine } from '../../../renderer/data/engine'
import { EMPTY_FILTER, filterUnits } from '../../../renderer/data/filter'
import { derivedColumns } from '../../../renderer/data/export/columns'
import { DEFAULT_EXPORT_OPTIONS } from '../../../renderer/data/export/options'
import { detectProfile } from '../../../renderer/data/profile/detect'
import { createUnitsView } from '../../../renderer/data/profile/units'
import { buildQa } from '../../../renderer/data/qa'
import type { Relations } from '../../../renderer/data/relations'
import type { RerunPool } from '../../../renderer/data/rerun/pool'
import { filteredUnitKeys } from '../../../renderer/data/rerun/results'
import { runUnits, summaryText } from '../../../renderer/data/rerun/run'
import type { UnitResult } from '../../../renderer/data/rerun/types'
import { sampleTextLengths } from '../../../renderer/data/rows'
import { runSql, raw, sql } from '../../../renderer/data/sql'
import { loadFiles } from '../../support/loadFile'
import { createNodeEngine } from '../../support/nodeEngine'
import { nodeRerunPool } from '../../support/nodeRerun'

let engine: Engine
let pool: RerunPool
let dataset: LoadedDataset
let relations: Relations
let profile: ReturnType<typeof detectProfile>

const TESTS = ['assert add(1, 2) == 3', 'assert add(2, 2) == 4', 'assert add(-1, 1) == 0']
const ROWS = [
  {
    id: 'q1',
    question: 'Write add(a, b).',
    test_cases: TESTS,
    inferences: [
      { completion: 'def add(a, b):\n    return a + b\n', model_name: 'm1', pass_rate: 1.0 },
      // Stored as passing, but it only passes one test in three: the check must find it.
      { completion: 'def add(a, b):\n    return 3\n', model_name: 'm2', pass_rate: 1.0 },
      {
        completion: 'def add(a, b):\n    return a - b if a < 0 else a + b\n',
        model_name: 'm3',
        pass_rate: 2 / 3,
      },
    ],
  },
]

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'rl-rerun-'))
  const file = join(folder, 'acecode-like.jsonl')
  writeFileSync(file, ROWS.map((r) => JSON.stringify(r)).join('\n'))
  engine = await createNodeEngine()
  dataset = await loadFiles(engine, file)
  profile = detectProfile(dataset.columns, await sampleTextLengths(engine, dataset))
  relations = await createUnitsView(engine, dataset, profile)
  pool = await nodeRerunPool({ limits: { perTestMs: 5_000, perUnitMs: 20_000 } })
}, 120_000)

afterAll(() => pool?.dispose())

async function countWhere(where: string): Promise<number> {
  const units = filterUnits(relations, { ...EMPTY_FILTER, where })
  const result = await runSql(
    engine,
    sql`SELECT count(*) AS n FROM ${raw(units.from)} WHERE ${units.where}`,
  )
  return Number(result.rows[0]?.n)
}

describe('re-run results as data', () => {
  const cache = new Map<string, UnitResult>()

  it('runs the units the filter shows and writes their pass rate and status', async () => {
    expect(profile.family).toBe('acecode')
    const keys = await filteredUnitKeys(engine, relations, EMPTY_FILTER)
    expect(keys).toHaveLength(3)
    const counts = await runUnits({ engine, relations, dataset, pool, keys, cache })
    expect(summaryText(counts)).toBe('3 run: 1 pass, 2 fail, 0 error, 0 timeout')
    const rows = await engine.query(
      `SELECT __rl_item AS i, __rl_rerun_pass_rate AS p, __rl_rerun_status AS s FROM "${relations.units}" ORDER BY 1`,
    )
    expect(rows.rows.map((r) => [Number(r.i), Number(r.p), r.s])).toEqual([
      [1, 1, 'pass'],
      [2, 1 / 3, 'fail'],
      [3, 2 / 3, 'fail'],
    ])
  })

  it('the SQL condition and ranges read the re-run columns', async () => {
    expect(await countWhere(`__rl_rerun_status = 'fail'`)).toBe(2)
    expect(await countWhere('__rl_rerun_pass_rate < 0.5')).toBe(1)
  })

  it('rerun-mismatch finds the unit whose stored pass rate the run does not reproduce', async () => {
    const qa = await buildQa(engine, dataset, profile)
    const rule = qa.rules.find((r) => r.id === 'rerun-mismatch')
    expect(rule?.count).toBe(1)
    const found = await engine.query(
      `SELECT __rl_item AS i, detail FROM "${relations.qa}" WHERE rule = 'rerun-mismatch'`,
    )
    expect(found.rows.map((r) => Number(r.i))).toEqual([2])
    expect(found.rows[0]?.detail).toMatch(/pass_rate 1 but the re-run passed 33\.3333% \(fail\)/)
  })

  it("an export with derived columns carries each unit's re-run pass rate and status", async () => {
    const derived = await derivedColumns(
      engine,
      dataset,
      { profile, relations },
      {
        ...DEFAULT_EXPORT_OPTIONS,
        derived: true,
      },
    )
    const names = derived!.columns.map((c) => c.name)
    const values = (await derived!.fetch(0, 0))(0)
    const at = (name: string) => values[names.indexOf(name)]
    expect(at('rl_rerun_pass_rate')).toEqual([1, 1 / 3, 2 / 3])
    expect(at('rl_rerun_status')).toEqual(['pass', 'fail', 'fail'])
  })

  it('a second run takes every result from the cache', async () => {
    const keys = await filteredUnitKeys(engine, relations, {
      ...EMPTY_FILTER,
      where: `__rl_model <> 'm1'`,
    })
    const counts = await runUnits({ engine, relations, dataset, pool, keys, cache })
    expect(counts.run).toBe(2)
    expect(counts.cached).toBe(2)
  })
})
