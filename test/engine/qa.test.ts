/**
 * The QA rules on small generated tables where the right answer is known: each rule trips where it
 * should, and stays quiet at the edge of its tolerance. Files are written to a temporary folder and
 * loaded with the app's own loader into the real DuckDB-WASM.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { countRows } from '../../renderer/data/explore'
import { EMPTY_FILTER, type Filter, rowSource } from '../../renderer/data/filter'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { detectProfile } from '../../renderer/data/profile/detect'
import { UNIT_COLUMNS as U, createUnitsView } from '../../renderer/data/profile/units'
import { type Relations, relationNames } from '../../renderer/data/relations'
import {
  QA_CHUNK_UNITS,
  type QaSummary,
  buildQa,
  dropQa,
  qaCounts,
  qaFindings,
  qaSql,
} from '../../renderer/data/qa'
import { qaContext } from '../../renderer/data/qa/context'
import { sampleTextLengths } from '../../renderer/data/rows'
import { quoteIdent } from '../../shared/sql'
import { valueText } from '../../renderer/data/values'
import type { Profile } from '../../shared/profile'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { nodeParseService } from '../support/parseNode'
import { buildParseFacts } from '../../renderer/data/parse/facts'

/** Loading and checking a file takes a few seconds on a busy machine. */
const HOOK_TIMEOUT = 60_000

let engine: Engine
let dir: string
let files = 0

beforeAll(async () => {
  engine = await createNodeEngine()
  dir = await mkdtemp(join(tmpdir(), 'rewardlens-qa-'))
}, HOOK_TIMEOUT)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

interface Opened {
  readonly dataset: LoadedDataset
  readonly profile: Profile
  readonly view: Relations
  readonly summary: QaSummary
}

/** Writes a file, loads it, detects its profile and runs the checks. */
async function open(name: string, text: string): Promise<Opened> {
  const path = join(dir, `${++files}-${name}`)
  await writeFile(path, text)
  const dataset = await loadFiles(engine, path)
  const profile = detectProfile(dataset.columns, await sampleTextLengths(engine, dataset))
  const view = await createUnitsView(engine, dataset, profile)
  // As the app does: the checks, then the answers parsed and the rules on parse trees.
  await buildQa(engine, dataset, profile)
  await buildParseFacts(engine, dataset, profile, nodeParseService)
  const summary = await buildQa(engine, dataset, profile, { parsed: true })
  return { dataset, profile, view, summary }
}

/** Rows as JSON Lines; `raw` replaces a quoted placeholder with literal JSON (e.g. 1e999). */
function jsonl(rows: readonly object[], raw: Record<string, string> = {}): string {
  let text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
  for (const [placeholder, literal] of Object.entries(raw)) {
    text = text.replaceAll(JSON.stringify(placeholder), literal)
  }
  return text
}

/** Every finding of a rule: the units (row, or row:item) and their reasons. */
async function tripped(table: string, rule: string): Promise<Map<string, string>> {
  const result = await engine.query(
    `SELECT __rl_row AS row, __rl_item AS item, detail FROM ${quoteIdent(relationNames(table).qa)} WHERE rule = ? ORDER BY 1, 2`,
    [rule],
  )
  return new Map(
    result.rows.map((r) => [
      r.item === null ? `${Number(r.row)}` : `${Number(r.row)}:${Number(r.item)}`,
      valueText(r.detail ?? null),
    ]),
  )
}

async function units(table: string, rule: string): Promise<string[]> {
  return [...(await tripped(table, rule)).keys()]
}

function ruleIds(summary: QaSummary): string[] {
  return summary.rules.map((r) => r.id)
}

// ---------------------------------------------------------------------------------------------

const FENCE = '```'
const EPSILON = 1e-6

/** A code-rlaif row that trips nothing: distinct prompt and code, reward = s / (t + 1e-6). */
function rlaif(i: number, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const student = (patch.student_score as number | undefined) ?? 0.5
  const teacher = (patch.teacher_score as number | undefined) ?? 0.9
  return {
    prompt: `Write function number ${i}.`,
    language: 'python',
    student_code: `${FENCE}python\ndef f${i}(x):\n    return x + ${i}\n${FENCE}`,
    teacher_code: `Here it is:\n${FENCE}python\ndef g${i}(x):\n    return x * ${i}\n${FENCE}`,
    student_score: student,
    teacher_score: teacher,
    reward: student / (teacher + EPSILON),
    ...patch,
  }
}

const expected = 0.5 / (0.9 + EPSILON)
const RLAIF_ROWS = [
  rlaif(0),
  rlaif(1, { reward: 0.5 / 0.9 }),
  rlaif(2, { reward: expected + 0.0009 }),
  rlaif(3, { reward: expected + 0.0011 }),
  rlaif(4, { teacher_score: 0, reward: 0 }),
  rlaif(5, { student_score: 1.2 }),
  rlaif(6, { student_score: 1.0 }),
  rlaif(7, { reward: null }),
  rlaif(8, { reward: 'INFINITY' }),
  rlaif(9, { student_code: '' }),
  rlaif(10, { student_code: '   ', student_score: 0, reward: 0 }),
  rlaif(11, {
    language: 'rust',
    student_code: `${FENCE}rust\nfn f11() -> i32 {\n    unimplemented!()\n}\n${FENCE}`,
    teacher_code: `${FENCE}rust\nfn g11() -> i32 {\n    11\n}\n${FENCE}`,
  }),
  rlaif(12, { student_code: `${FENCE}python\ndef f12(x):\n    pass\n${FENCE}` }),
  rlaif(13, {
    student_code: `${FENCE}python\ndef f13(x):\n    # TODO: handle negatives\n    return x * 2\n${FENCE}`,
  }),
  rlaif(14, {
    student_code: `${FENCE}python\ndef f14(x):\n    return x\n\ndef example():\n    pass\n${FENCE}`,
  }),
  rlaif(15, { student_code: `${FENCE}python\ndef f15(x):\n    return g(x,` }),
  rlaif(16, { student_code: 'def f16(x):\n    return g(x, 1' }),
  rlaif(17, {
    student_code: 'def f17(x):\n    return [g(x), {1: 2}]',
    teacher_code: `Note (the prose may leave brackets open:\n${FENCE}python\ndef g17(x):\n    return x\n${FENCE}`,
  }),
  rlaif(18, { student_code: `${FENCE}rust\nfn main() {\n    println!("18");\n}\n${FENCE}` }),
  rlaif(19, {
    language: 'cpp',
    student_code: '#include <stdio.h>\nint main(void) { printf("19"); return 0; }',
    teacher_code: `${FENCE}cpp\n#include <vector>\nint g19() { return 19; }\n${FENCE}`,
  }),
  rlaif(20, { teacher_code: `${FENCE}python\ndef same20():\n    return 20\n${FENCE}` }),
  rlaif(21, {
    student_score: 0.9,
    teacher_score: 0.9,
    teacher_code: `${FENCE}python\ndef same21():\n    return 21\n${FENCE}`,
  }),
  rlaif(22, { prompt: 'Duplicated prompt.' }),
  rlaif(23, { prompt: 'Duplicated prompt.' }),
  rlaif(24, { prompt: 'Spaced  prompt,\nsame words.' }),
  rlaif(25, { prompt: 'Spaced prompt, same words.' }),
  rlaif(26, { student_code: `${FENCE}python\ndef twin(x):\n    return x\n${FENCE}` }),
  rlaif(27, { student_code: `${FENCE}python\ndef twin(x):\n    return x\n${FENCE}` }),
  rlaif(28, { student_code: `${FENCE}python\ndef spaced(x):\n    return x\n${FENCE}` }),
  rlaif(29, { student_code: `${FENCE}python\ndef spaced(x):\r\n\treturn  x\n${FENCE}` }),
]
// Rows 20 and 21: the student wrote exactly what the teacher wrote.
RLAIF_ROWS[20]!.student_code = RLAIF_ROWS[20]!.teacher_code
RLAIF_ROWS[21]!.student_code = RLAIF_ROWS[21]!.teacher_code

describe('code-rlaif rules', () => {
  let rlaifData: Opened
  beforeAll(async () => {
    rlaifData = await open('rlaif.jsonl', jsonl(RLAIF_ROWS, { INFINITY: '1e999' }))
  }, HOOK_TIMEOUT)
  const table = () => rlaifData.dataset.table

  it('lists the rules that apply to code-rlaif, in panel order, and hides the others', () => {
    expect(rlaifData.profile.family).toBe('code-rlaif')
    expect(ruleIds(rlaifData.summary)).toEqual([
      'reward-ratio',
      'missing-value',
      'not-a-number',
      'out-of-range',
      'zero-divisor',
      'same-code-different-scores',
      'identical-sides',
      'repeated-answer-different-rewards',
      'empty-code',
      'stub-code',
      'truncated-code',
      'syntax-error',
      'wrong-language',
      'reward-hacking',
      'template-tokens',
      'constant-reward',
      'duplicate-prompt',
      'duplicate-prompt-whitespace',
      'duplicate-code',
      'duplicate-code-whitespace',
    ])
    const counts = Object.fromEntries(rlaifData.summary.rules.map((r) => [r.id, r.count]))
    expect(counts['reward-ratio']).toBe(1)
    expect(rlaifData.summary.rules.every((r) => r.label !== '' && r.description !== '')).toBe(true)
  })

  it('trips reward-ratio beyond 0.001 and accepts s/t, s/(t+1e-6) and 0.0009 off', async () => {
    const found = await tripped(table(), 'reward-ratio')
    expect([...found.keys()]).toEqual(['3'])
    expect(found.get('3')).toBe('reward 0.556655 but student_score / teacher_score = 0.555555')
  })

  it('trips zero-divisor on a teacher score of 0, which reward-ratio leaves alone', async () => {
    expect(await units(table(), 'zero-divisor')).toEqual(['4'])
    expect((await tripped(table(), 'zero-divisor')).get('4')).toMatch(/teacher_score is 0/)
  })

  it('trips out-of-range on a score of 1.2, not on exactly 1', async () => {
    const found = await tripped(table(), 'out-of-range')
    expect([...found.keys()]).toEqual(['5'])
    expect(found.get('5')).toBe('student_score 1.2 outside [0, 1]')
  })

  it('trips missing-value on a null reward and not-a-number on an infinite one', async () => {
    expect(await tripped(table(), 'missing-value')).toEqual(new Map([['7', 'reward missing']]))
    expect(await tripped(table(), 'not-a-number')).toEqual(new Map([['8', 'reward is inf']]))
  })

  it('trips empty-code on empty code that scored, not on blank code scored 0', async () => {
    const found = await tripped(table(), 'empty-code')
    expect([...found.keys()]).toEqual(['9'])
    expect(found.get('9')).toBe('student code: empty; student_score 0.5')
  })

  it('trips stub-code on unimplemented!() and a bare pass, not on a TODO in finished code or a later example stub', async () => {
    const found = await tripped(table(), 'stub-code')
    expect([...found.keys()]).toEqual(['11', '12'])
    expect(found.get('11')).toBe(
      'student code: stub at line 1: "fn f11() -> i32 {"; student_score 0.5',
    )
    expect(found.get('12')).toBe('student code: stub at line 1: "def f12(x):"; student_score 0.5')
  })

  it('trips truncated-code on an open fence and on bare code whose parse fails at its end', async () => {
    const found = await tripped(table(), 'truncated-code')
    // Row 17's brackets all close; its teacher's prose leaves one open, which is no code.
    expect([...found.keys()]).toEqual(['15', '16'])
    expect(found.get('15')).toBe('student code: fence left open; student_score 0.5')
    // The column is the bracket never closed (`g(`), not the statement's start.
    expect(found.get('16')).toBe(
      'student code: parse error at the end, line 2, column 13: "return g(x, 1"; student_score 0.5',
    )
    expect(await units(table(), 'syntax-error')).toEqual([])
  })

  it('trips wrong-language on Rust in a Python row, not on C in a C++ row', async () => {
    const found = await tripped(table(), 'wrong-language')
    expect([...found.keys()]).toEqual(['18'])
    expect(found.get('18')).toBe('student code: fenced as rust, labelled python; student_score 0.5')
  })

  it('trips same-code-different-scores when student and teacher wrote the same code', async () => {
    const found = await tripped(table(), 'same-code-different-scores')
    expect([...found.keys()]).toEqual(['20'])
    expect(found.get('20')).toMatch(/identical but student_score 0.5, teacher_score 0.9/)
  })

  it('finds exact and whitespace-only duplicates of prompt and code, apart', async () => {
    expect(await units(table(), 'duplicate-prompt')).toEqual(['22', '23'])
    expect(await units(table(), 'duplicate-prompt-whitespace')).toEqual(['24', '25'])
    // Rows 20 and 21 repeat their own teacher code, not another row's: no duplicate.
    expect(await units(table(), 'duplicate-code')).toEqual(['26', '27'])
    expect(await units(table(), 'duplicate-code-whitespace')).toEqual(['28', '29'])
    expect((await tripped(table(), 'duplicate-prompt')).get('22')).toBe(
      'the same prompt is in 2 rows',
    )
    expect((await tripped(table(), 'duplicate-code-whitespace')).get('28')).toBe(
      'the same student code appears 2 times spelled 2 ways (whitespace only)',
    )
  })

  it('does not trip constant-reward when rewards differ', async () => {
    expect(await units(table(), 'constant-reward')).toEqual([])
  })

  it('counts per rule among the units the filter shows, ignoring its own rule choice', async () => {
    const { view } = rlaifData
    const filter = (patch: Partial<Filter>): Filter => ({ ...EMPTY_FILTER, ...patch })
    const all = await qaCounts(engine, view, EMPTY_FILTER)
    expect(all['stub-code']).toBe(2)
    expect(all['chosen-below-rejected']).toBeUndefined()
    const rust = await qaCounts(engine, view, filter({ languages: ['rust'] }))
    expect(rust).toEqual({ 'stub-code': 1 })
    const chosen = await qaCounts(engine, view, filter({ rules: ['reward-ratio'] }))
    expect(chosen).toEqual(all)
  })

  it('narrows the filter to the units a rule trips, through the findings table', async () => {
    const source = rowSource(table(), rlaifData.view, {
      ...EMPTY_FILTER,
      rules: ['truncated-code', 'empty-code'],
    })
    expect(await countRows(engine, source)).toBe(3)
  })

  it('gives the reasons of the rows asked for, in panel order', async () => {
    const found = await qaFindings(engine, table(), [3, 11, 22, 999])
    expect([...found.keys()].sort()).toEqual([11, 22, 3])
    expect(found.get(3)?.map((f) => [f.item, f.rule])).toEqual([[null, 'reward-ratio']])
    expect(found.get(3)?.[0]?.detail).toMatch(/^reward 0.556655 but/)
    expect(found.get(11)?.map((f) => f.rule)).toEqual(['stub-code'])
    expect(await qaFindings(engine, table(), [])).toEqual(new Map())
  })

  it('replaces the findings when built again, and drops them', async () => {
    const { dataset, profile } = rlaifData
    await buildQa(engine, dataset, profile)
    const again = await buildQa(engine, dataset, profile, { parsed: true })
    expect(again.rules).toEqual(rlaifData.summary.rules)
    await dropQa(engine, table())
    await expect(qaFindings(engine, table(), [3])).rejects.toThrow()
    // The rules on parse trees alone, with no findings table left: the others' findings are gone.
    const parsedOnly = await buildQa(engine, dataset, profile, { parsed: true })
    expect(parsedOnly.rules.find((r) => r.id === 'stub-code')?.count).toBe(2)
    expect(parsedOnly.rules.find((r) => r.id === 'reward-ratio')?.count).toBe(0)
    await buildQa(engine, dataset, profile)
    await buildQa(engine, dataset, profile, { parsed: true })
  })
})

describe('code-rlaif reasons on both sides', () => {
  it('checks the teacher side with the teacher score, and joins two reasons of one unit', async () => {
    const { dataset } = await open(
      'teacher.jsonl',
      jsonl([
        rlaif(0, { student_code: '', teacher_code: '' }),
        rlaif(1, { student_code: '', teacher_code: '', teacher_score: 0, reward: 0 }),
      ]),
    )
    expect(await tripped(dataset.table, 'empty-code')).toEqual(
      new Map([
        ['0', 'student code: empty; student_score 0.5; teacher code: empty; teacher_score 0.9'],
        ['1', 'student code: empty; student_score 0.5'],
      ]),
    )
  })

  it('trips not-a-number on NaN read from a CSV', async () => {
    const csv = [
      'prompt,language,student_code,teacher_code,student_score,teacher_score,reward',
      'a,python,def a(): return 1,def b(): return 2,0.5,0.9,nan',
      'b,python,def c(): return 3,def d(): return 4,0.5,0.9,0.5',
    ].join('\n')
    const { dataset } = await open('nan.csv', `${csv}\n`)
    expect(await tripped(dataset.table, 'not-a-number')).toEqual(new Map([['0', 'reward is nan']]))
  })
})

// ---------------------------------------------------------------------------------------------

/** A preference pair with overall scores and their difference. */
function pair(
  i: number,
  chosen: number,
  rejected: number,
  difference = chosen - rejected,
  texts: { chosen?: string; rejected?: string } = {},
): Record<string, unknown> {
  return {
    prompt: `Make chart ${i}.`,
    chosen: texts.chosen ?? `<html><body>chosen ${i}</body></html>`,
    rejected: texts.rejected ?? `<html><body>rejected ${i}</body></html>`,
    metadata: {
      challenge: `challenge ${i}`,
      chosen_scores: { overall: chosen },
      rejected_scores: { overall: rejected },
      score_difference: difference,
    },
  }
}

describe('preference-pair rules', () => {
  let pairs: Opened
  beforeAll(async () => {
    const same = '<html><body>the same page</body></html>'
    pairs = await open(
      'pairs.jsonl',
      jsonl([
        pair(0, 5, 4),
        pair(1, 5, 4, 1.0009),
        pair(2, 5, 4, 1.0011),
        pair(3, 3, 4),
        pair(4, 4, 4),
        pair(5, 5, 4, 1, { chosen: `${same} 5`, rejected: `${same} 5` }),
        pair(6, 4, 4, 0, { chosen: `${same} 6`, rejected: `${same} 6` }),
        pair(7, 5, 4, 1, { chosen: '' }),
      ]),
    )
  }, HOOK_TIMEOUT)
  const table = () => pairs.dataset.table

  it('lists the pair rules and hides the ratio, range and pass-rate ones', () => {
    expect(pairs.profile.family).toBe('preference-pairs')
    const ids = ruleIds(pairs.summary)
    expect(ids).toContain('score-difference')
    expect(ids).toContain('chosen-below-rejected')
    expect(ids).not.toContain('reward-ratio')
    expect(ids).not.toContain('out-of-range')
    expect(ids).not.toContain('all-pass')
  })

  it('trips score-difference beyond 0.001, not at 0.0009', async () => {
    const found = await tripped(table(), 'score-difference')
    expect([...found.keys()]).toEqual(['2'])
    expect(found.get('2')).toBe(
      'metadata.score_difference 1.0011 but metadata.chosen_scores.overall − metadata.rejected_scores.overall = 1',
    )
  })

  it('trips chosen-below-rejected on 3 < 4, not on a tie', async () => {
    expect(await tripped(table(), 'chosen-below-rejected')).toEqual(
      new Map([['3', 'metadata.chosen_scores.overall 3 < metadata.rejected_scores.overall 4']]),
    )
  })

  it('trips same-code-different-scores on identical sides scored 5 and 4, not 4 and 4', async () => {
    expect(await units(table(), 'same-code-different-scores')).toEqual(['5'])
  })

  it('counts an empty chosen answer as suspicious: being chosen is its credit', async () => {
    expect(await tripped(table(), 'empty-code')).toEqual(new Map([['7', 'chosen code: empty']]))
  })

  it('relates the score difference to the length difference', () => {
    expect(pairs.summary.lengthMeasure).toEqual({
      reward: 'metadata.score_difference',
      length: 'chosen answer length − rejected answer length',
    })
  })
})

// ---------------------------------------------------------------------------------------------

function question(
  i: number,
  tests: number,
  completions: readonly (readonly [string, number])[],
): Record<string, unknown> {
  return {
    id: `q${i}`,
    question: `Question ${i}: write the function.`,
    test_cases: Array.from({ length: tests }, (_, t) => `assert f(${t}) == ${t}`),
    inferences: completions.map(([completion, passRate], c) => ({
      completion,
      completion_id: c,
      model_name: c % 2 === 0 ? 'model-a' : 'model-b',
      pass_rate: passRate,
    })),
  }
}

describe('AceCode rules', () => {
  let ace: Opened
  beforeAll(async () => {
    const code = (q: number, c: number) => `def f_${q}_${c}(x):\n    return x + ${c}`
    ace = await open(
      'acecode.jsonl',
      jsonl([
        question(0, 4, [
          [code(0, 0), 1],
          [code(0, 1), 0.75],
          [code(0, 2), 0.5],
          [code(0, 3), 0],
        ]),
        question(1, 3, [
          [code(1, 0), 0.5],
          [code(1, 1), 0.3334],
          [code(1, 2), 0.3335],
          [code(1, 3), 2 / 3],
        ]),
        question(2, 2, [
          [code(2, 0), 1],
          [code(2, 1), 1],
        ]),
        question(3, 2, [
          [code(3, 0), 0],
          [code(3, 1), 0],
        ]),
        question(4, 0, [[code(4, 0), 1]]),
        question(5, 2, [
          ['def same():\n    return 5', 1],
          ['def same():\n    return 5', 0],
          [code(5, 2), 0.5],
        ]),
        question(6, 2, [
          [code(6, 0), 1.5],
          [code(6, 1), 0.5],
        ]),
      ]),
    )
  }, HOOK_TIMEOUT)
  const table = () => ace.dataset.table

  it('is unnested: units are completions, named by row and item', () => {
    expect(ace.profile.family).toBe('acecode')
    expect(ruleIds(ace.summary)).toContain('pass-rate-steps')
    expect(ruleIds(ace.summary)).not.toContain('reward-ratio')
  })

  it('trips pass-rate-steps off k / tests beyond 0.0001 (0.5 of 3 tests, 0.3335), not 0.3334', async () => {
    const found = await tripped(table(), 'pass-rate-steps')
    expect([...found.keys()]).toEqual(['1:1', '1:3'])
    expect(found.get('1:1')).toBe('inferences.pass_rate 0.5 with 3 tests is 1.5 tests passed')
  })

  it('trips all-pass and all-fail on whole questions of at least two completions', async () => {
    expect(await units(table(), 'all-pass')).toEqual(['2:1', '2:2'])
    expect(await units(table(), 'all-fail')).toEqual(['3:1', '3:2'])
    expect((await tripped(table(), 'all-pass')).get('2:1')).toBe(
      'all 2 completions of this group pass (inferences.pass_rate 1)',
    )
  })

  it('trips zero-divisor on a pass rate over no tests', async () => {
    expect(await tripped(table(), 'zero-divisor')).toEqual(
      new Map([['4:1', 'inferences.pass_rate 1 over no tests']]),
    )
  })

  it('trips same-code-different-scores on identical completions with different pass rates', async () => {
    expect(await units(table(), 'same-code-different-scores')).toEqual(['5:1', '5:2'])
    expect(await units(table(), 'duplicate-code')).toEqual(['5:1', '5:2'])
  })

  it('trips out-of-range on a pass rate of 1.5', async () => {
    expect(await units(table(), 'out-of-range')).toEqual(['6:1'])
  })

  it('flags every completion of questions spelled apart only by whitespace, from one per question', async () => {
    const spelled = (i: number, text: string, completions: number) => ({
      ...question(
        i,
        1,
        Array.from({ length: completions }, (_, c) => [`return ${c}`, 1] as const),
      ),
      question: text,
    })
    const { dataset } = await open(
      'acecode-spaced.jsonl',
      jsonl([
        spelled(0, 'Write f(x):\n  return x twice.', 3),
        spelled(1, 'Write f(x): return x twice.', 2),
        spelled(2, 'Write g(x).', 2),
        spelled(3, 'Write f(x):\n  return x twice.', 1),
      ]),
    )
    const found = await tripped(dataset.table, 'duplicate-prompt-whitespace')
    expect([...found.keys()]).toEqual(['0:1', '0:2', '0:3', '1:1', '1:2', '3:1'])
    expect(new Set(found.values())).toEqual(
      new Set(['the prompt is in 3 rows spelled 2 ways (whitespace only)']),
    )
  })

  it('gives findings per completion, with their item', async () => {
    const found = await qaFindings(engine, table(), [1])
    expect(found.get(1)?.map((f) => [f.item, f.rule])).toEqual([
      [1, 'pass-rate-steps'],
      [3, 'pass-rate-steps'],
    ])
  })
})

// ---------------------------------------------------------------------------------------------

function kod(
  i: number,
  sequence: readonly number[],
  percentage: number,
  passes = sequence.filter((s) => s === 1).length,
): Record<string, unknown> {
  return {
    question_id: `Algorithm_${i}_I`,
    question: `Question ${i}.`,
    solution: `def solution_${i}(x):\n    return x * ${i}`,
    test_code: `def test_${i}():\n    assert solution_${i}(1) == ${i}`,
    gpt_pass_sequence: sequence,
    gpt_pass_trial_num: passes,
    gpt_pass_percentage: percentage,
  }
}

describe('KodCode rules', () => {
  let kodcode: Opened
  beforeAll(async () => {
    kodcode = await open(
      'kodcode.jsonl',
      jsonl([
        kod(0, [1, 0, 1], 0.667),
        kod(1, [1, 0, 0], 0.5),
        kod(2, [1, 1, 1], 1),
        kod(3, [0, 0], 0),
        kod(4, [1], 1),
        kod(5, [], 0.5),
        kod(6, [1, 1, 0], 0.667, 3),
        kod(7, [1, 0, 0, 0], 0.2509),
        kod(8, [0, 1, 0, 0], 0.2511),
      ]),
    )
  }, HOOK_TIMEOUT)
  const table = () => kodcode.dataset.table

  it('trips pass-percentage beyond 0.001 or on a wrong pass count; 0.667 for 2/3 is fine', async () => {
    const found = await tripped(table(), 'pass-percentage')
    expect([...found.keys()]).toEqual(['1', '6', '8'])
    expect(found.get('1')).toBe(
      'gpt_pass_percentage 0.5 but gpt_pass_sequence passes 1 of 3 (0.333333)',
    )
    expect(found.get('6')).toBe('gpt_pass_trial_num 3 but gpt_pass_sequence has 2 passes')
  })

  it('trips all-pass and all-fail on sequences of at least two trials', async () => {
    expect(await tripped(table(), 'all-pass')).toEqual(
      new Map([['2', 'all 3 trials in gpt_pass_sequence pass']]),
    )
    expect(await units(table(), 'all-fail')).toEqual(['3'])
  })

  it('trips zero-divisor on an empty pass sequence', async () => {
    expect(await units(table(), 'zero-divisor')).toEqual(['5'])
  })
})

// ---------------------------------------------------------------------------------------------

describe('rules over whole datasets', () => {
  const answer = (i: number) =>
    `def answer_${i}(values):\n${'    pass_through = values\n'.repeat(6)}    return ${i}`
  const generic = (rewards: readonly number[]) =>
    jsonl(rewards.map((reward, i) => ({ question: `Q${i}`, answer: answer(i), reward })))

  it('trips constant-reward on every unit when rewards differ by at most 1e-9', async () => {
    const same = await open('constant.jsonl', generic([0.5, 0.5, 0.5 + 5e-10]))
    expect(same.profile.family).toBe('generic')
    expect(await units(same.dataset.table, 'constant-reward')).toEqual(['0', '1', '2'])
    const apart = await open('varied.jsonl', generic([0.5, 0.5, 0.5 + 2e-9]))
    expect(await units(apart.dataset.table, 'constant-reward')).toEqual([])
  })

  it('gives generic code credit above the lowest reward', async () => {
    const rows = [
      { question: 'Q0', answer: '', reward: 0.1 },
      { question: 'Q1', answer: answer(1), reward: 0.9 },
      { question: 'Q2', answer: '', reward: 0.5 },
    ]
    const { dataset, profile } = await open('generic-empty.jsonl', jsonl(rows))
    expect(profile.codeA?.path).toEqual(['answer'])
    expect(await tripped(dataset.table, 'empty-code')).toEqual(
      new Map([['2', 'answer code: empty; reward 0.5']]),
    )
  })

  it('relates reward and code length per language: r = 1, r = -1, none for two units', async () => {
    const row = (language: string, length: number, reward: number) =>
      rlaif(length, { language, student_code: 'x'.repeat(length), reward })
    const { summary } = await open(
      'length.jsonl',
      jsonl([
        row('python', 10, 0.1),
        row('python', 20, 0.2),
        row('python', 40, 0.4),
        row('rust', 11, 0.3),
        row('rust', 21, 0.2),
        row('rust', 31, 0.1),
        row('cpp', 12, 0.1),
        row('cpp', 22, 0.2),
      ]),
    )
    const byLanguage = new Map(summary.lengthCorrelation.map((c) => [c.language, c]))
    expect(summary.lengthCorrelation[0]?.language).toBe('all')
    expect(byLanguage.get('all')?.n).toBe(8)
    expect(byLanguage.get('python')?.r).toBeCloseTo(1, 9)
    expect(byLanguage.get('rust')?.r).toBeCloseTo(-1, 9)
    expect(byLanguage.get('cpp')).toEqual({ language: 'cpp', n: 2, r: null })
    expect(summary.lengthMeasure).toEqual({ reward: 'reward', length: 'student answer length' })
  })

  it('applies only the prompt rules to a file with prompts alone', async () => {
    const { summary, dataset } = await open(
      'prompts.jsonl',
      jsonl([
        { prompt: 'a', language: 'c++' },
        { prompt: 'a', language: 'c++' },
        { prompt: 'b', language: 'rust' },
      ]),
    )
    expect(ruleIds(summary)).toEqual([
      'template-tokens',
      'duplicate-prompt',
      'duplicate-prompt-whitespace',
    ])
    expect(await units(dataset.table, 'duplicate-prompt')).toEqual(['0', '1'])
    expect(summary.lengthCorrelation).toEqual([])
    expect(summary.lengthMeasure).toBeNull()
  })

  it('builds in chunks of rows with the same result as in one statement', async () => {
    const rows = Array.from({ length: QA_CHUNK_UNITS + 900 }, (_, i) => ({
      prompt: `prompt ${i % 4500}`,
      reward: (i % 7) / 10,
    }))
    const { dataset, profile, summary } = await open('chunks.jsonl', jsonl(rows))
    expect(
      qaSql(dataset.table, qaContext(dataset, profile), dataset.rowCount).length,
    ).toBeGreaterThan(qaSql(dataset.table, qaContext(dataset, profile), 1).length)
    // With 80 units a row (AceCode), a statement takes 8192 / 80 = 102 rows: 1,000 rows in 10.
    const chunks = (rowCount: number, unitCount: number) =>
      qaSql(dataset.table, qaContext(dataset, profile), rowCount, unitCount).filter((sql) =>
        sql.includes(`${U.row} >= `),
      ).length
    expect(chunks(1000, 80_000)).toBe(10)
    expect(chunks(1000, 1000)).toBe(1)
    // Prompt i % 4500: rows 3691 and 8191 pair across the chunk boundary, 50 has two twins.
    expect(summary.rules.find((r) => r.id === 'duplicate-prompt')?.count).toBe(rows.length)
    const found = await tripped(dataset.table, 'duplicate-prompt')
    expect(found.get('8191')).toBe('the same prompt is in 2 rows')
    expect(found.get('50')).toBe('the same prompt is in 3 rows')
  })
})
