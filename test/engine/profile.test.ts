import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { extractCodeSql, fenceOpenSql } from '../../renderer/data/profile/code'
import { detectProfile } from '../../renderer/data/profile/detect'
import { codeLanguageSql, foldLanguageSql } from '../../renderer/data/profile/languages'
import { checkWhere } from '../../renderer/data/explore'
import { UNIT_COLUMNS as U, createUnitsView, scoreColumn } from '../../renderer/data/profile/units'
import { type Relations, unitsFrom } from '../../renderer/data/relations'
import { quoteIdent, quoteString } from '../../shared/sql'
import type { Profile } from '../../shared/profile'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { describeRealdata, realPath } from '../support/realdata'

let engine: Engine
beforeAll(async () => {
  engine = await createNodeEngine()
})

async function open(
  path: string,
): Promise<{ dataset: LoadedDataset; profile: Profile; view: Relations }> {
  const dataset = await loadFiles(engine, realPath(path))
  const profile = detectProfile(dataset.columns)
  const view = await createUnitsView(engine, dataset, profile)
  return { dataset, profile, view }
}

async function rows(sql: string) {
  return (await engine.query(sql)).rows
}

describeRealdata('code-rlaif/train.jsonl', () => {
  it('is code-rlaif with student vs teacher, both scores and the reward', async () => {
    const { profile } = await open('code-rlaif/train.jsonl')
    expect(profile).toMatchObject({
      family: 'code-rlaif',
      prompt: ['prompt'],
      language: ['language'],
      codeA: { path: ['student_code'], label: 'student' },
      codeB: { path: ['teacher_code'], label: 'teacher' },
      scores: [['student_score'], ['teacher_score']],
      reward: ['reward'],
      unnest: null,
    })
  })

  it('counts 600 units by language and finds every fence left open in student_code', async () => {
    const { view } = await open('code-rlaif/train.jsonl')
    // The oracle: an odd number of fences, counted here in JavaScript straight from the file.
    const lines = (await readFile(realPath('code-rlaif/train.jsonl'), 'utf8')).trim().split('\n')
    const unclosed = lines.filter(
      (l) => (JSON.parse(l) as { student_code: string }).student_code.split('```').length % 2 === 0,
    )
    expect(unclosed.length).toBe(462)
    const v = quoteIdent(view.units)
    expect(
      await rows(
        `SELECT ${U.language} AS l, count(*)::INTEGER AS n FROM ${v} GROUP BY 1 ORDER BY 1`,
      ),
    ).toEqual([
      { l: 'cpp', n: 210 },
      { l: 'python', n: 210 },
      { l: 'rust', n: 180 },
    ])
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM ${v} WHERE ${U.codeAOpen}`)).toEqual([
      { n: unclosed.length },
    ])
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM ${v} WHERE ${U.codeBOpen}`)).toEqual([
      { n: 0 },
    ])
    const [first] = await rows(
      `SELECT ${U.codeA} AS a, ${U.codeARaw} AS raw, ${scoreColumn(0)} AS s FROM ${v} WHERE ${U.row} = 0`,
    )
    const raw = typeof first?.raw === 'string' ? first.raw : ''
    const code = typeof first?.a === 'string' ? first.a : ''
    expect(raw.startsWith('```')).toBe(true)
    expect(code.startsWith('```')).toBe(false)
    expect(code.length).toBeGreaterThan(100)
    expect(raw).toContain(code)
    expect(typeof first?.s).toBe('number')
  })
})

describeRealdata('code-rlaif/train_head_prompt_language_only.jsonl', () => {
  it('folds c++ to cpp and keeps the label the file uses', async () => {
    const { profile, view } = await open('code-rlaif/train_head_prompt_language_only.jsonl')
    expect(profile.family).toBe('generic')
    expect(profile.language).toEqual(['language'])
    const langs = await rows(
      `SELECT ${U.languageLabel} AS label, ${U.language} AS l, count(*)::INTEGER AS n FROM ${quoteIdent(view.units)} GROUP BY 1, 2 ORDER BY 1`,
    )
    expect(langs.map((r) => [r.label, r.l])).toEqual([
      ['c++', 'cpp'],
      ['python', 'python'],
      ['rust', 'rust'],
    ])
    expect(langs.reduce((sum, r) => sum + Number(r.n), 0)).toBe(1000)
  })
})

describeRealdata('acecode-87k/acecode_sample.jsonl', () => {
  it('unnests the 80 completions, compares each with the best of its question', async () => {
    const { profile, view } = await open('acecode-87k/acecode_sample.jsonl')
    expect(profile).toMatchObject({
      family: 'acecode',
      unnest: ['inferences'],
      prompt: ['question'],
      codeA: { path: ['inferences', 'completion'] },
      codeB: {
        path: ['inferences', 'completion'],
        fromGroup: { pick: 'best', by: ['inferences', 'pass_rate'] },
      },
      reward: ['inferences', 'pass_rate'],
      tests: ['test_cases'],
      model: ['inferences', 'model_name'],
      group: ['id'],
    })
    const v = quoteIdent(view.units)
    const [summary] = await rows(
      `SELECT count(*)::INTEGER AS units, count(DISTINCT ${U.model})::INTEGER AS models, min(${U.item})::INTEGER AS first, max(${U.item})::INTEGER AS last FROM ${v}`,
    )
    expect(summary).toEqual({ units: 80, models: 5, first: 1, last: 80 })
    // B is the best other completion: never the unit itself, and as good as any other unit.
    const pairs = await rows(
      `SELECT u.${U.item} AS item, u.${U.codeBItem} AS b, other.${U.reward} AS b_reward,
              (SELECT max(x.${U.reward}) FROM ${v} x WHERE x.${U.item} <> u.${U.item}) AS best_other
         FROM ${v} u JOIN ${v} other ON other.${U.item} = u.${U.codeBItem}`,
    )
    expect(pairs).toHaveLength(80)
    for (const p of pairs) {
      expect(p.b).not.toBe(p.item)
      expect(p.b_reward).toBe(p.best_other)
    }
    const [lang] = await rows(
      `SELECT ${U.language} AS l, count(*)::INTEGER AS n FROM ${v} GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    )
    expect(lang?.l).toBe('python')
    const [tests] = await rows(`SELECT len(${U.tests})::INTEGER AS n FROM ${v} LIMIT 1`)
    expect(tests?.n).toBe(19)
  })

  it('keeps which completion is B out of the units table, and a condition naming it still filters', async () => {
    const { view } = await open('acecode-87k/acecode_sample.jsonl')
    // Which unit is B needs a window over the units; in the table it would carry every
    // completion's code through that window, which ran out of memory on AceCode's 7M completions.
    const table = view.unitTable
    const columns = (await rows(`DESCRIBE ${quoteIdent(table)}`)).map((r) => r.column_name)
    expect(columns).toContain(U.language)
    expect(columns).not.toContain(U.codeBItem)
    // The best completion is B for the 79 others; the second best is B for the best one.
    const bs = await rows(
      `SELECT ${U.codeBItem} AS b, count(*)::INTEGER AS n FROM ${quoteIdent(view.units)} GROUP BY 1 ORDER BY 2 DESC`,
    )
    expect(bs.map((r) => r.n)).toEqual([79, 1])
    const where = `${U.codeBItem} = ${Number(bs[0]!.b)}`
    expect(await checkWhere(engine, view, where)).toBeNull()
    const relation = unitsFrom(view, where)
    expect(relation).toBe(view.units)
    const [n] = await rows(
      `SELECT count(*)::INTEGER AS n FROM ${quoteIdent(relation)} WHERE ${where}`,
    )
    expect(n?.n).toBe(79)
  })
})

describeRealdata('vizhub-rlhf/training-dataset-v1.0.jsonl', () => {
  it('is preference pairs with chosen/rejected overall scores unified as numbers', async () => {
    const { profile, view } = await open('vizhub-rlhf/training-dataset-v1.0.jsonl')
    expect(profile).toMatchObject({
      family: 'preference-pairs',
      codeA: { path: ['chosen'], label: 'chosen' },
      codeB: { path: ['rejected'], label: 'rejected' },
      reward: ['metadata', 'score_difference'],
      model: ['metadata', 'chosen_model'],
    })
    expect(profile.scores.slice(0, 2)).toEqual([
      ['metadata', 'chosen_scores', 'overall'],
      ['metadata', 'rejected_scores', 'overall'],
    ])
    const scores = await rows(
      `SELECT ${scoreColumn(0)} AS chosen, ${scoreColumn(1)} AS rejected, ${U.reward} AS diff, ${U.language} AS l FROM ${quoteIdent(view.units)}`,
    )
    expect(scores).toHaveLength(9)
    for (const s of scores) {
      expect(typeof s.chosen).toBe('number')
      expect(Number(s.diff)).toBeCloseTo(Number(s.chosen) - Number(s.rejected), 6)
    }
    expect(scores.every((s) => s.l === 'html')).toBe(true)
  })
})

describeRealdata('KodCode', () => {
  it.each([
    'kodcode/KodCode_algorithm_100_1741212598.json',
    'kodcode/KodCode_leetcode_100_1741214688.json',
    'kodcode/KodCode_prefill_200_1741214325.json',
  ])('%s: solution against the first trial, pass percentage as the reward', async (path) => {
    const { profile, view } = await open(path)
    expect(profile).toMatchObject({
      family: 'kodcode',
      prompt: ['question'],
      codeA: { path: ['solution'], label: 'solution' },
      codeB: { path: ['trials', 'trial_qwen2.5_0', 'solution_code'], label: 'trial qwen2.5_0' },
      scores: [['gpt_pass_percentage']],
      reward: ['gpt_pass_percentage'],
      group: ['question_id'],
      tests: ['test_code'],
    })
    const [unit] = await rows(
      `SELECT count(*)::INTEGER AS n, count(${U.codeB})::INTEGER AS b, count(*) FILTER (WHERE ${U.language} = 'python')::INTEGER AS py FROM ${quoteIdent(view.units)}`,
    )
    expect(unit?.b).toBeGreaterThan(0)
    expect(unit?.py).toBeGreaterThan(Number(unit?.n) * 0.9)
  })

  it('uses the R1 solution as the other side in the SFT file', async () => {
    const { profile } = await open('kodcode/SFT_KodCode_algorithm_100_1741212598.json')
    expect(profile).toMatchObject({
      family: 'kodcode',
      codeB: { path: ['r1_solution'], label: 'R1 solution' },
    })
  })
})

describeRealdata('files of no family', () => {
  it.each(['vizhub-rlhf/grades/ej-fox.csv', 'vizhub-rlhf/results.csv'])(
    '%s is generic',
    async (path) => {
      const { profile } = await open(path)
      expect(profile.family).toBe('generic')
    },
  )
})

describe('code extraction in SQL', () => {
  const extract = async (text: string) => {
    const [r] = await rows(
      `SELECT ${extractCodeSql(quoteString(text))} AS code, ${fenceOpenSql(quoteString(text))} AS open`,
    )
    return r
  }

  it('takes the body of a closed fence', async () => {
    expect(await extract('Here:\n```python\ndef f():\n    return 1\n```\nDone.')).toEqual({
      code: 'def f():\n    return 1',
      open: false,
    })
  })

  it('takes everything after a fence left open, and says it is open', async () => {
    expect(await extract('```rust\nfn main() {\n    println!("Primes')).toEqual({
      code: 'fn main() {\n    println!("Primes',
      open: true,
    })
  })

  it('takes the first of several fences', async () => {
    expect(await extract('```cpp\nint a;\n```\ntext\n```cpp\nint b;\n```')).toEqual({
      code: 'int a;',
      open: false,
    })
  })

  it('keeps bare code whole', async () => {
    expect(await extract('def f(x):\n    return x')).toEqual({
      code: 'def f(x):\n    return x',
      open: false,
    })
  })
})

describe('language in SQL', () => {
  it.each([
    ['C++', 'cpp'],
    ['c++', 'cpp'],
    [' Python3 ', 'python'],
    ['golang', 'go'],
    ['Fortran', 'fortran'],
    ['', null],
  ])('folds the label %j to %j', async (label, expected) => {
    const [r] = await rows(`SELECT ${foldLanguageSql(quoteString(label))} AS l`)
    expect(r?.l).toBe(expected)
  })

  it.each([
    ['def add(a, b):\n    return a + b', 'python'],
    ['#include <vector>\nint main() { std::vector<int> v; }', 'cpp'],
    ['#include <stdio.h>\nint main(void) { printf("x"); }', 'c'],
    ['fn main() {\n    let mut x = 1;\n}', 'rust'],
    ['public class Main { public static void main(String[] a) {} }', 'java'],
    ['package main\nfunc main() {\n x := 1\n}', 'go'],
    ['<!DOCTYPE html>\n<html><body></body></html>', 'html'],
    ['the quick brown fox', null],
  ])('tells %j is %j', async (code, expected) => {
    const [r] = await rows(`SELECT ${codeLanguageSql(quoteString(code))} AS l`)
    expect(r?.l).toBe(expected)
  })
})
