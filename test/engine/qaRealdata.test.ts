/**
 * The QA checks on every real data file: the counts each rule finds, and the facts the files are
 * known for, each checked against an oracle computed here in JavaScript straight from the file.
 */
import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { detectProfile } from '../../renderer/data/profile/detect'
import { createUnitsView } from '../../renderer/data/profile/units'
import { relationNames } from '../../renderer/data/relations'
import { type QaSummary, buildQa } from '../../renderer/data/qa'
import { sampleTextLengths } from '../../renderer/data/rows'
import { quoteIdent } from '../../shared/sql'
import { valueText } from '../../renderer/data/values'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { nodeParseService } from '../support/parseNode'
import { buildParseFacts } from '../../renderer/data/parse/facts'
import { REAL_FILES, describeRealdata, realPath } from '../support/realdata'

let engine: Engine
const built = new Map<string, { dataset: LoadedDataset; summary: QaSummary }>()

beforeAll(async () => {
  engine = await createNodeEngine()
  for (const file of REAL_FILES) {
    const dataset = await loadFiles(engine, realPath(file.path))
    const profile = detectProfile(dataset.columns, await sampleTextLengths(engine, dataset))
    await createUnitsView(engine, dataset, profile)
    await buildQa(engine, dataset, profile)
    await buildParseFacts(engine, dataset, profile, nodeParseService)
    built.set(file.path, {
      dataset,
      summary: await buildQa(engine, dataset, profile, { parsed: true }),
    })
  }
}, 120_000)

function summaryOf(path: string): QaSummary {
  const found = built.get(path)
  if (!found) throw new Error(`${path} was not built`)
  return found.summary
}

function counts(path: string): Record<string, number> {
  return Object.fromEntries(summaryOf(path).rules.map((r) => [r.id, r.count]))
}

/** The rows (and reasons) a rule trips in a real file. */
async function findings(path: string, rule: string): Promise<{ row: number; detail: string }[]> {
  const { dataset } = built.get(path)!
  const result = await engine.query(
    `SELECT __rl_row AS row, detail FROM ${quoteIdent(relationNames(dataset.table).qa)} WHERE rule = ? ORDER BY 1, __rl_item`,
    [rule],
  )
  return result.rows.map((r) => ({ row: Number(r.row), detail: valueText(r.detail ?? null) }))
}

async function lines<T>(path: string): Promise<T[]> {
  const text = await readFile(realPath(path), 'utf8')
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T)
}

async function array<T>(path: string): Promise<T[]> {
  return JSON.parse(await readFile(realPath(path), 'utf8')) as T[]
}

const indexesWhere = <T>(rows: readonly T[], test: (row: T) => boolean) =>
  rows.flatMap((row, i) => (test(row) ? [i] : []))

describeRealdata('QA on the real data files', () => {
  it('runs on every file, with every rule at the count it finds', () => {
    expect(Object.fromEntries(REAL_FILES.map((f) => [f.path, counts(f.path)]))).toEqual({
      'code-rlaif/train.jsonl': {
        'reward-ratio': 0,
        'missing-value': 0,
        'not-a-number': 0,
        'out-of-range': 0,
        'zero-divisor': 0,
        'same-code-different-scores': 0,
        'identical-sides': 0,
        'repeated-answer-different-rewards': 0,
        'empty-code': 0,
        'stub-code': 0,
        'truncated-code': 462,
        'syntax-error': 0,
        'wrong-language': 0,
        'reward-hacking': 0,
        'template-tokens': 0,
        'constant-reward': 0,
        'duplicate-prompt': 600,
        'duplicate-prompt-whitespace': 0,
        'duplicate-code': 600,
        'duplicate-code-whitespace': 0,
      },
      'code-rlaif/train_head_prompt_language_only.jsonl': {
        'template-tokens': 0,
        'duplicate-prompt': 0,
        'duplicate-prompt-whitespace': 0,
      },
      'acecode-87k/acecode_sample.jsonl': {
        'pass-rate-steps': 0,
        // Applies (pass_rate with a tests role); nothing has been run yet, so nothing is checked.
        'rerun-mismatch': 0,
        'missing-value': 0,
        'not-a-number': 0,
        'out-of-range': 0,
        'zero-divisor': 0,
        'same-code-different-scores': 0,
        'empty-code': 0,
        'stub-code': 0,
        'truncated-code': 0,
        'syntax-error': 0,
        'reward-hacking': 0,
        'template-tokens': 9,
        'all-pass': 0,
        'all-fail': 0,
        'constant-reward': 0,
        'duplicate-prompt': 0,
        'duplicate-prompt-whitespace': 0,
        'duplicate-code': 18,
        'duplicate-code-whitespace': 4,
      },
      'vizhub-rlhf/training-dataset-v1.0.jsonl': {
        'score-difference': 0,
        'missing-value': 0,
        'not-a-number': 0,
        'chosen-below-rejected': 0,
        'same-code-different-scores': 0,
        'identical-sides': 0,
        'empty-code': 0,
        'stub-code': 0,
        'truncated-code': 0,
        'syntax-error': 0,
        'reward-hacking': 0,
        'template-tokens': 0,
        'constant-reward': 0,
        'duplicate-prompt': 9,
        'duplicate-prompt-whitespace': 0,
        'duplicate-code': 9,
        'duplicate-code-whitespace': 0,
      },
      // Each answer is a unit; every task is in the file twice (two pairs), so answers repeat.
      'preference-code/correctness-alignment.jsonl': {
        'duplicate-code': 664,
        'duplicate-code-whitespace': 4,
        'duplicate-prompt': 1320,
        'duplicate-prompt-whitespace': 0,
        'template-tokens': 0,
      },
      'leetcode/LeetCodeDataset-v0.3.1-test.jsonl': {
        'duplicate-code': 20,
        'duplicate-code-whitespace': 0,
        'duplicate-prompt': 0,
        'duplicate-prompt-whitespace': 0,
        'identical-sides': 0,
        'template-tokens': 0,
      },
      'vizhub-rlhf/grades/ej-fox.csv': { 'missing-value': 5, 'not-a-number': 0 },
      'vizhub-rlhf/results.csv': {},
      'kodcode/KodCode_algorithm_100_1741212598.json': kodcode({ allPass: 6, duplicateCode: 30 }),
      'kodcode/KodCode_leetcode_100_1741214688.json': kodcode({ allPass: 0, duplicateCode: 28 }),
      'kodcode/KodCode_prefill_200_1741214325.json': kodcode({
        allPass: 53,
        duplicateCode: 160,
        duplicatePrompt: 2,
      }),
      'kodcode/SFT_KodCode_algorithm_100_1741212598.json': kodcode({
        allPass: 6,
        duplicateCode: 30,
      }),
    })
  })

  describe('code-rlaif/train.jsonl', () => {
    const path = 'code-rlaif/train.jsonl'
    interface Rlaif {
      prompt: string
      student_code: string
      student_score: number
      teacher_score: number
      reward: number
    }

    it('finds every fence student_code leaves open, and nothing else truncated', async () => {
      const rows = await lines<Rlaif>(path)
      const open = indexesWhere(rows, (r) => r.student_code.split('```').length % 2 === 0)
      expect(open).toHaveLength(462)
      const found = await findings(path, 'truncated-code')
      expect(found.map((f) => f.row)).toEqual(open)
      expect(found.every((f) => f.detail.startsWith('student code: fence left open'))).toBe(true)
    })

    it('finds the 15 prompts repeated over all 600 rows', async () => {
      const rows = await lines<Rlaif>(path)
      const found = await findings(path, 'duplicate-prompt')
      expect(found).toHaveLength(600)
      expect(new Set(found.map((f) => rows[f.row]!.prompt)).size).toBe(15)
      expect(found[0]?.detail).toBe('the same prompt is in 42 rows')
      const once = found.filter((f) => f.detail === 'the same prompt is in 12 rows')
      expect(new Set(once.map((f) => rows[f.row]!.prompt)).size).toBe(1)
    })

    it('accepts every reward as student_score / (teacher_score + 1e-6)', async () => {
      const rows = await lines<Rlaif>(path)
      const off = rows.filter(
        (r) => Math.abs(r.reward - r.student_score / (r.teacher_score + 1e-6)) > 1e-3,
      )
      expect(off).toHaveLength(0)
      expect(counts(path)['reward-ratio']).toBe(0)
    })

    it('shows the correlation of reward and student code length per language', () => {
      const { lengthCorrelation, lengthMeasure } = summaryOf(path)
      expect(lengthMeasure).toEqual({ reward: 'reward', length: 'student answer length' })
      expect(lengthCorrelation.map((c) => [c.language, c.n])).toEqual([
        ['all', 600],
        ['cpp', 210],
        ['python', 210],
        ['rust', 180],
      ])
      expect(lengthCorrelation.every((c) => c.r !== null && c.r >= -1 && c.r <= 1)).toBe(true)
    })
  })

  it('finds the chosen text the vizhub export repeats in all 9 rows', async () => {
    const path = 'vizhub-rlhf/training-dataset-v1.0.jsonl'
    const rows = await lines<{ chosen: string }>(path)
    expect(new Set(rows.map((r) => r.chosen)).size).toBe(1)
    const found = await findings(path, 'duplicate-code')
    expect(found.map((f) => f.row)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    expect(new Set(found.map((f) => f.detail))).toEqual(
      new Set(['the same chosen code appears 9 times']),
    )
  })

  describe('KodCode', () => {
    interface Kod {
      gpt_pass_sequence: number[]
      gpt_pass_percentage: number
      gpt_pass_trial_num: number
    }
    const files = REAL_FILES.filter((f) => f.path.startsWith('kodcode/')).map((f) => f.path)

    it.each(files)('checks gpt_pass_percentage against gpt_pass_sequence in %s', async (path) => {
      const rows = await array<Kod>(path)
      const passes = (r: Kod) => r.gpt_pass_sequence.filter((p) => p === 1).length
      const disagree = indexesWhere(
        rows,
        (r) =>
          Math.abs(r.gpt_pass_percentage - passes(r) / r.gpt_pass_sequence.length) > 1e-3 ||
          r.gpt_pass_trial_num !== passes(r),
      )
      expect(disagree).toEqual([])
      expect(summaryOf(path).rules.map((r) => r.id)).toContain('pass-percentage')
      expect((await findings(path, 'pass-percentage')).map((f) => f.row)).toEqual(disagree)
      const allPass = indexesWhere(
        rows,
        (r) => r.gpt_pass_sequence.length >= 2 && passes(r) === r.gpt_pass_sequence.length,
      )
      expect((await findings(path, 'all-pass')).map((f) => f.row)).toEqual(allPass)
    })

    it('finds the solutions an _I and a _C question share', async () => {
      const path = 'kodcode/KodCode_algorithm_100_1741212598.json'
      const rows = await array<{ question_id: string; solution: string }>(path)
      const bySolution = new Map<string, string[]>()
      for (const r of rows)
        bySolution.set(r.solution, [...(bySolution.get(r.solution) ?? []), r.question_id])
      const shared = [...bySolution.values()].filter((ids) => ids.length > 1)
      expect(
        shared.every((ids) => ids.length === 2 && ids[0]!.replace(/_I$/, '_C') === ids[1]),
      ).toBe(true)
      const found = await findings(path, 'duplicate-code')
      expect(found).toHaveLength(shared.length * 2)
    })
  })

  it('finds AceCode completions repeated within the question, exactly and up to whitespace', async () => {
    const path = 'acecode-87k/acecode_sample.jsonl'
    const [row] = await lines<{ inferences: { completion: string }[] }>(path)
    const texts = row!.inferences.map((i) => i.completion)
    const seen = new Map<string, number>()
    for (const t of texts) seen.set(t, (seen.get(t) ?? 0) + 1)
    expect((await findings(path, 'duplicate-code')).length).toBe(
      texts.filter((t) => seen.get(t)! > 1).length,
    )
    const strip = (t: string) => t.replace(/\s/g, '')
    const spellings = new Map<string, Set<string>>()
    for (const t of texts) spellings.set(strip(t), (spellings.get(strip(t)) ?? new Set()).add(t))
    expect((await findings(path, 'duplicate-code-whitespace')).length).toBe(
      texts.filter((t) => spellings.get(strip(t))!.size > 1).length,
    )
  })

  it('finds the grades ej-fox left empty', async () => {
    const path = 'vizhub-rlhf/grades/ej-fox.csv'
    const text = await readFile(realPath(path), 'utf8')
    const rows = text
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
    const empty = indexesWhere(rows, (cells) => cells[4] === '' || cells[5] === '')
    expect((await findings(path, 'missing-value')).map((f) => f.row)).toEqual(empty)
  })
})

/** The counts a KodCode demo file gives: the same rules in every file. */
function kodcode(found: {
  allPass: number
  duplicateCode: number
  duplicatePrompt?: number
}): Record<string, number> {
  return {
    'pass-percentage': 0,
    'missing-value': 0,
    'not-a-number': 0,
    'out-of-range': 0,
    'zero-divisor': 0,
    'empty-code': 0,
    'stub-code': 0,
    'truncated-code': 0,
    'syntax-error': 0,
    'reward-hacking': 0,
    'template-tokens': 0,
    'all-pass': found.allPass,
    'all-fail': 0,
    'constant-reward': 0,
    'duplicate-prompt': found.duplicatePrompt ?? 0,
    'duplicate-prompt-whitespace': 0,
    'duplicate-code': found.duplicateCode,
    'duplicate-code-whitespace': 0,
  }
}
