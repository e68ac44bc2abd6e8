import { beforeAll, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { quoteIdent } from '../../shared/sql'
import { createNodeEngine } from '../support/nodeEngine'
import { loadFiles } from '../support/loadFile'
import { REAL_FILES, describeRealdata, realPath } from '../support/realdata'

let engine: Engine
beforeAll(async () => {
  engine = await createNodeEngine()
})

describeRealdata('loading the real data samples', () => {
  it.each(REAL_FILES)('opens $path with $rows rows', async ({ path, rows }) => {
    const dataset = await loadFiles(engine, realPath(path))
    expect(dataset.rowCount).toBe(rows)
    expect(dataset.skippedCount).toBe(0)
  })

  it('keeps code-rlaif scoring_breakdown as a struct and scores as doubles', async () => {
    const dataset = await loadFiles(engine, realPath('code-rlaif/train.jsonl'))
    const types = Object.fromEntries(dataset.columns.map((c) => [c.name, c.type]))
    expect(types).toMatchObject({
      prompt: 'VARCHAR',
      language: 'VARCHAR',
      student_score: 'DOUBLE',
      reward: 'DOUBLE',
      scoring_breakdown:
        'STRUCT(correctness DOUBLE, code_quality DOUBLE, efficiency DOUBLE, documentation DOUBLE)',
    })
    const langs = await engine.query(
      `SELECT language, count(*)::INTEGER AS n FROM ${quoteIdent(dataset.table)} GROUP BY 1 ORDER BY 1`,
    )
    expect(langs.rows).toEqual([
      { language: 'cpp', n: 210 },
      { language: 'python', n: 210 },
      { language: 'rust', n: 180 },
    ])
  })

  it('keeps AceCode inferences as a list of structs', async () => {
    const dataset = await loadFiles(engine, realPath('acecode-87k/acecode_sample.jsonl'))
    const types = Object.fromEntries(dataset.columns.map((c) => [c.name, c.type]))
    expect(types.inferences).toBe(
      'STRUCT(completion VARCHAR, completion_id BIGINT, model_name VARCHAR, pass_rate DOUBLE)[]',
    )
    expect(types.test_cases).toBe('VARCHAR[]')
    const n = await engine.query(`SELECT len(inferences) AS n FROM ${quoteIdent(dataset.table)}`)
    expect(n.rows[0]?.n).toBe(80)
  })

  it('widens int/float drift in vizhub scores to DOUBLE', async () => {
    const dataset = await loadFiles(engine, realPath('vizhub-rlhf/training-dataset-v1.0.jsonl'))
    const meta = dataset.columns.find((c) => c.name === 'metadata')
    expect(meta?.type).toContain('score_difference DOUBLE')
    expect(meta?.type).toContain(
      'rejected_scores STRUCT(technical BIGINT, aesthetic BIGINT, overall DOUBLE',
    )
  })

  it('unions the varying KodCode trial keys, dots included', async () => {
    const dataset = await loadFiles(engine, realPath('kodcode/KodCode_prefill_200_1741214325.json'))
    const trials = dataset.columns.find((c) => c.name === 'trials')
    expect(trials?.kind).toBe('struct')
    const result = await engine.query(
      `SELECT count(*)::INTEGER AS n FROM ${quoteIdent(dataset.table)} WHERE trials."trial_qwen2.5_0".test_result IS NOT NULL`,
    )
    expect(result.rows[0]?.n).toBeGreaterThan(0)
  })
})

describeRealdata('a pretty-printed single JSON object', () => {
  it('opens vizhub training-dataset-v1.0.meta.json as one row', async () => {
    const dataset = await loadFiles(engine, realPath('vizhub-rlhf/training-dataset-v1.0.meta.json'))
    expect(dataset.rowCount).toBe(1)
    const types = Object.fromEntries(dataset.columns.map((c) => [c.name, c.type]))
    expect(types).toMatchObject({
      total_examples: 'BIGINT',
      models: 'VARCHAR[]',
      challenges: 'VARCHAR[]',
    })
    const models = await engine.query(`SELECT len(models) AS n FROM ${quoteIdent(dataset.table)}`)
    expect(models.rows[0]?.n).toBe(10)
  })
})
