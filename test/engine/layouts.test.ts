/**
 * The layouts RL trainers use, opened as a person would (load, detect, build the units): verl
 * Parquet with chat prompts and a JSON ground truth, TRL conversational pairs, CodePrefBench's list
 * of answers, pass/fail flags as the reward.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { parseSummary, summaryQuery } from '../../renderer/data/explore'
import { EMPTY_FILTER } from '../../renderer/data/filter'
import { type ProfileState, openProfile } from '../../renderer/data/profile/session'
import { UNIT_COLUMNS as U } from '../../renderer/data/profile/units'
import { runSql } from '../../renderer/data/sql'
import { JSON_STEP, pathLabel } from '../../shared/profile'
import { quoteIdent } from '../../shared/sql'
import {
  chatPreferenceRow,
  passFailRow,
  verlRow,
  writeJsonl,
  writeParquet,
} from '../fixtures/layouts'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { describeRealdata, realPath } from '../support/realdata'

let engine: Engine
let folder: string
beforeAll(async () => {
  engine = await createNodeEngine()
  folder = await mkdtemp(join(tmpdir(), 'rl-layouts-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function open(path: string) {
  const dataset = await loadFiles(engine, path)
  const state = await openProfile(engine, dataset, null)
  return { dataset, state }
}

async function units(state: ProfileState, where = 'TRUE', columns = '*') {
  const order = columns === '*' ? ` ORDER BY ${U.row}, ${U.item}` : ''
  return (
    await engine.query(
      `SELECT ${columns} FROM ${quoteIdent(state.relations.units)} WHERE ${where}${order}`,
    )
  ).rows
}

describe('verl RL data (Parquet, 20,000 rows)', () => {
  const ROWS = 20_000
  let opened: Awaited<ReturnType<typeof open>>
  beforeAll(async () => {
    opened = await open(await writeParquet(folder, 'verl', ROWS, verlRow))
  }, 120_000)

  it('is recognised as verl, with the ground truth parsed and its fields offered as roles', () => {
    const { dataset, state } = opened
    expect(dataset.rowCount).toBe(ROWS)
    expect(dataset.jsonFields.map((f) => f.path)).toEqual([['reward_model', 'ground_truth']])
    expect(state.profile.family).toBe('verl')
    expect(state.profile.prompt).toEqual(['prompt'])
    const truth = ['reward_model', 'ground_truth', JSON_STEP]
    expect(state.profile.tests).toEqual(truth)
    expect(state.profile.codeA).toEqual({
      path: [...truth, 'solution'],
      label: 'reference solution',
    })
    expect(pathLabel([...truth, 'test_list'])).toBe('reward_model.ground_truth → test_list')
    // The file's columns are what it holds: the parsed copy is RewardLens's own.
    expect(dataset.columns.map((c) => c.name)).toEqual([
      'data_source',
      'prompt',
      'ability',
      'reward_model',
      'extra_info',
    ])
  })

  it('reads the prompt as its messages, tests per kind, and the reference solution as code A', async () => {
    const [mbpp, apps] = await units(opened.state, `${U.row} < 2`)
    expect(mbpp![U.prompt]).toContain('You are a helpful programming assistant')
    expect(mbpp![U.prompt]).toContain('Write a function add_numbers(a, b)')
    expect(mbpp![U.prompt]).not.toContain("'role'")
    expect(mbpp![U.codeA]).toBe('def add_numbers(a, b):\n    return a + b\n')
    expect(mbpp![U.language]).toBe('python')
    expect(mbpp![U.tests]).toMatchObject({
      test_list: [
        'assert add_numbers(1, 2) == 3',
        'assert add_numbers(5, 7) == 12',
        'assert add_numbers(-1, 1) == 0',
      ],
    })
    expect(apps![U.tests]).toMatchObject({ inputs: ['[1,5,2]\n', '[-3,-1]\n', '[7]\n'] })
    expect(apps![U.codeA]).toBeNull()
  })

  it('searches message text and filters on a field inside the JSON', async () => {
    const [found] = await units(
      opened.state,
      `${U.prompt} ILIKE '%(task 7)%' AND "__rl_json:[""reward_model"",""ground_truth""]".outputs IS NOT NULL`,
      'count(*) AS n',
    )
    expect(Number(found!.n)).toBe(1)
  })
})

describe('TRL conversational preference pairs', () => {
  it('opens as chat-preference with each side read as its last assistant message', async () => {
    const path = join(folder, 'trl.jsonl')
    await writeJsonl(path, 5_000, chatPreferenceRow)
    const { state } = await open(path)
    expect(state.profile.family).toBe('chat-preference')
    expect(state.profile.scores).toEqual([['score_chosen'], ['score_rejected']])
    const [first] = await units(state, `${U.row} = 0`)
    expect(first![U.codeA]).toBe('def add_numbers(a, b):\n    return a + b')
    expect(first![U.codeB]).toBe('def add_numbers(a, b):\n    return None')
    expect(first![U.prompt]).toBe(
      'Write a function add_numbers(a, b) that returns the sum of a and b. (task 0)',
    )
  })
})

describe('pass/fail flags', () => {
  it('are the reward (true = 1), and the summary gives the share passing per language', async () => {
    const path = join(folder, 'passfail.jsonl')
    await writeJsonl(path, 3_000, passFailRow)
    const { state } = await open(path)
    expect(state.profile.reward).toEqual(['passed'])
    expect(state.profile.scores[0]).toEqual(['passed'])
    const summary = parseSummary(
      (await runSql(engine, summaryQuery(state.relations, ['passed'], EMPTY_FILTER))).rows,
    )
    const all = summary.find((s) => s.language === 'all')!
    // Rows 0, 3, 6, ... fail: 1,000 of 3,000.
    expect(all).toMatchObject({ count: 3_000, passing: 2_000, binary: true })
    expect(all.mean).toBeCloseTo(2 / 3)
    const cpp = summary.find((s) => s.language === 'cpp')!
    // cpp is every 4th row; of those, every 3rd fails (rows divisible by 12).
    expect(cpp).toMatchObject({ count: 750, passing: 500, binary: true })
  })
})

describeRealdata('CodePrefBench (preference-code/correctness-alignment.jsonl)', () => {
  it('opens with each answer a unit, compared with the answer gt_choice points at, and no gt_choice score', async () => {
    const { dataset, state } = await open(realPath('preference-code/correctness-alignment.jsonl'))
    expect(dataset.rowCount).toBe(660)
    expect(state.profile.unnest).toEqual(['choices'])
    expect(state.profile.codeB?.fromGroup).toEqual({ pick: 'at', by: ['gt_choice'] })
    expect(state.profile.scores).toEqual([])
    expect(state.profile.reward).toBeNull()
    expect(state.profile.prompt).toEqual(['instruction'])
    const all = await units(
      state,
      'TRUE',
      `count(*) AS n, count(*) FILTER (WHERE ${U.language} = 'python') AS py`,
    )
    expect(Number(all[0]!.n)).toBe(1_320)
    // The wrong answer of each row is diffed against the right one.
    const rows = (
      await engine.query(
        `SELECT u.${U.codeBRaw} AS b, t.choices[t.gt_choice + 1] AS correct, u.${U.codeARaw} AS a
           FROM ${quoteIdent(state.relations.units)} u JOIN ${quoteIdent(dataset.table)} t ON t.rowid = u.${U.row}
          WHERE u.${U.item} - 1 <> t.gt_choice`,
      )
    ).rows
    expect(rows).toHaveLength(660)
    expect(rows.every((r) => r.b === r.correct && r.a !== r.correct)).toBe(true)
    // Detected from the code: every answer is Python.
    console.log(`CodePrefBench language from the code: ${Number(all[0]!.py)} of 1,320 python`)
  })
})
