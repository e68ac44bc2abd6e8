/**
 * The reward checks read on parse trees and the new text and run checks, on small generated files
 * whose answers are known: each rule trips where it should, with its evidence (line, token,
 * matching row), and stays quiet on the look-alikes that fooled the old substring rules (brackets
 * inside strings, an empty `__init__`, a TODO in finished code). The files go through the app's
 * own pipeline: load, profile, checks, parse, checks on parse trees.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { buildParseFacts } from '../../renderer/data/parse/facts'
import { detectProfile } from '../../renderer/data/profile/detect'
import { createUnitsView } from '../../renderer/data/profile/units'
import { relationNames } from '../../renderer/data/relations'
import { type QaSummary, buildQa } from '../../renderer/data/qa'
import { sampleTextLengths } from '../../renderer/data/rows'
import { valueText } from '../../renderer/data/values'
import { quoteIdent } from '../../shared/sql'
import type { Profile } from '../../shared/profile'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { nodeParseService } from '../support/parseNode'

let engine: Engine
let dir: string
let files = 0

beforeAll(async () => {
  engine = await createNodeEngine()
  dir = await mkdtemp(join(tmpdir(), 'rewardlens-qa-parsed-'))
}, 60_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

interface Opened {
  readonly dataset: LoadedDataset
  readonly profile: Profile
  readonly before: QaSummary
  readonly after: QaSummary
}

/** Loads rows as JSON Lines and runs the checks before and after parsing, as the app does. */
async function open(name: string, rows: readonly object[]): Promise<Opened> {
  const path = join(dir, `${++files}-${name}`)
  await writeFile(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  const dataset = await loadFiles(engine, path)
  const profile = detectProfile(dataset.columns, await sampleTextLengths(engine, dataset))
  await createUnitsView(engine, dataset, profile)
  const before = await buildQa(engine, dataset, profile)
  await buildParseFacts(engine, dataset, profile, nodeParseService)
  const after = await buildQa(engine, dataset, profile, { parsed: true })
  return { dataset, profile, before, after }
}

/** A rule's findings: row → reason. */
async function tripped(table: string, rule: string): Promise<Map<number, string>> {
  const result = await engine.query(
    `SELECT __rl_row AS row, detail FROM ${quoteIdent(relationNames(table).qa)} WHERE rule = ? ORDER BY 1`,
    [rule],
  )
  return new Map(result.rows.map((r) => [Number(r.row), valueText(r.detail ?? null)]))
}

const rows = async (table: string, rule: string) => [...(await tripped(table, rule)).keys()]

const FENCE = '```'
const py = (code: string) => `${FENCE}python\n${code}\n${FENCE}`

/** A code-rlaif row with a finished student answer of its own. */
function rlaif(i: number, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    prompt: `Write function number ${i}.`,
    language: 'python',
    student_code: py(`def f${i}(x):\n    return x + ${i}`),
    teacher_code: `Here it is:\n${py(`def g${i}(x):\n    return x * ${i}`)}`,
    student_score: 0.5,
    teacher_score: 0.9,
    reward: 0.5 / (0.9 + 1e-6),
    ...patch,
  }
}

const ECHOED =
  'Write a function that returns the sum of the squares of a list of integers, ignoring negatives.'

describe('code rules on parse trees (code-rlaif)', () => {
  let data: Opened
  const table = () => data.dataset.table
  beforeAll(async () => {
    data = await open('rlaif.jsonl', [
      rlaif(0),
      rlaif(1, { student_code: py('def f1(x):\n    return x +* 2\n\ndef g():\n    return 1') }),
      rlaif(2, { student_code: "def opens(s):\n    return s.count('(') - s.count(')')\n" }),
      rlaif(3, {
        student_code: py(
          'class Stack:\n    def __init__(self):\n        pass\n\n    def push(self, x):\n        self.items.append(x)',
        ),
      }),
      rlaif(4, { student_code: py('def f4(x):\n    # TODO: handle overflow\n    return x * 4') }),
      rlaif(5, { student_code: py('import sys\n\ndef f5(x):\n    return x\n\nsys.exit(0)') }),
      rlaif(6, { student_code: `<|begin_of_text|>${py('def f6(x):\n    return 6')}` }),
      rlaif(7, { prompt: '[INST] Write function number 7. [/INST]' }),
      rlaif(8, { prompt: 'Repeated task.', student_code: py('def twin():\n    return 1') }),
      rlaif(9, {
        prompt: 'Repeated task.',
        student_code: py('def twin():\n    return 1'),
        student_score: 0.8,
        reward: 0.8 / (0.9 + 1e-6),
      }),
      rlaif(10, {
        student_code: '#include <vector>\nint main() {\n  std::vector<int> v;\n  return 0;\n}\n',
      }),
      rlaif(11, { prompt: ECHOED, student_code: `${ECHOED}\n${py('def f11(x):\n    return 11')}` }),
      rlaif(12, { student_code: py('def f12(x):\n    raise NotImplementedError()') }),
      rlaif(13, { student_code: `${FENCE}python\ndef f13(x):\n    return (x + 1` }),
    ])
  }, 120_000)

  it('shows the rules on parse trees only once the answers are parsed', () => {
    const ids = (s: QaSummary) => s.rules.map((r) => r.id)
    expect(ids(data.before)).not.toContain('syntax-error')
    expect(ids(data.before)).not.toContain('stub-code')
    expect(ids(data.after)).toEqual(
      expect.arrayContaining(['syntax-error', 'stub-code', 'reward-hacking']),
    )
  })

  it('finds a syntax error with its line, column and text, not brackets inside strings', async () => {
    const found = await tripped(table(), 'syntax-error')
    expect([...found.keys()]).toEqual([1])
    expect(found.get(1)).toBe(
      'student code: python syntax error at line 2, column 15: "return x +* 2"; student_score 0.5',
    )
    expect(await rows(table(), 'truncated-code')).toEqual([13])
  })

  it('finds stubs, not an empty __init__ beside real methods nor a TODO in finished code', async () => {
    const found = await tripped(table(), 'stub-code')
    expect([...found.keys()]).toEqual([12])
    expect(found.get(12)).toBe('student code: stub at line 1: "def f12(x):"; student_score 0.5')
  })

  it('finds sys.exit(0) before the tests run, with its line', async () => {
    const found = await tripped(table(), 'reward-hacking')
    expect([...found.keys()]).toEqual([5])
    expect(found.get(5)).toBe(
      'student code: exits with success before the tests run (sys.exit(0)) at line 6: "sys.exit(0)"; student_score 0.5',
    )
  })

  it('finds leaked template tokens in an answer or the prompt, and an echoed prompt', async () => {
    const found = await tripped(table(), 'template-tokens')
    expect([...found.keys()]).toEqual([6, 7, 11])
    expect(found.get(6)).toBe('student holds the token <|begin_of_text|>')
    expect(found.get(7)).toBe('prompt holds the token [INST]')
    expect(found.get(11)).toMatch(/^student repeats the prompt: "Write a function that returns/)
  })

  it('finds the same prompt and code with different rewards, naming the rows', async () => {
    const found = await tripped(table(), 'repeated-answer-different-rewards')
    expect([...found.keys()]).toEqual([8, 9])
    expect(found.get(9)).toBe(
      'the same prompt and student is in 2 rows (#9, #10) with student_score from 0.5 to 0.8; this one 0.8',
    )
  })

  it('finds code in another language than the label when that grammar parses it cleanly', async () => {
    const found = await tripped(table(), 'wrong-language')
    expect([...found.keys()]).toEqual([10])
    expect(found.get(10)).toMatch(
      /labelled python: its grammar fails at line \d+.*the cpp grammar parses it cleanly/,
    )
  })
})

/** A preference pair with a score each. */
function pair(i: number, chosen: string, rejected: string): Record<string, unknown> {
  return {
    prompt: `Task ${i}: write the function.`,
    chosen,
    rejected,
    chosen_score: 5,
    rejected_score: 3,
  }
}

describe('identical sides and template echoes (preference pairs)', () => {
  let data: Opened
  const table = () => data.dataset.table
  beforeAll(async () => {
    const code = 'def area(r):\n    return 3.14159 * r * r\n'
    data = await open('pairs.jsonl', [
      pair(0, code, 'def area(r):\n    return r * r\n'),
      pair(1, code, code),
      pair(2, code, 'def area(r):\r\n\treturn 3.14159 * r * r\r\n'),
      pair(3, `Here is the answer:\n${py(code.trim())}\nIt squares r.`, code),
      pair(4, code, '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nTask 4'),
    ])
  }, 120_000)

  it('finds sides identical exactly, up to whitespace, or in their extracted code', async () => {
    expect(data.profile.family).toBe('preference-pairs')
    const found = await tripped(table(), 'identical-sides')
    expect([...found.keys()]).toEqual([1, 2, 3])
    expect(found.get(1)).toBe('chosen and rejected are identical: "def area(r):"')
    expect(found.get(2)).toBe('chosen and rejected are identical up to whitespace: "def area(r):"')
    expect(found.get(3)).toBe(
      'chosen and rejected are the same code once extracted: "Here is the answer:"',
    )
  })

  it('finds a rejected answer that is a chat template echo', async () => {
    expect((await tripped(table(), 'template-tokens')).get(4)).toBe(
      'rejected holds the token <|begin_of_text|>',
    )
  })
})

describe('passed at the timeout', () => {
  it('trips a passing unit whose time is the time failing units stopped at', async () => {
    const run = (i: number, passed: boolean, time: number) => ({
      prompt: `Task ${i}`,
      completion: `def f${i}():\n    return ${i}\n`,
      reward: passed ? 1 : 0,
      passed,
      execution_time: time,
    })
    const { dataset } = await open('runs.jsonl', [
      run(0, false, 10),
      run(1, false, 10),
      run(2, false, 10),
      run(3, true, 0.25),
      run(4, true, 10),
      run(5, false, 1.5),
    ])
    const found = await tripped(dataset.table, 'timeout-pass')
    expect([...found.keys()]).toEqual([4])
    expect(found.get(4)).toBe(
      'passed is true with execution_time 10 = the time 3 failing units stopped at (as row #1)',
    )
  })

  it('reads the timeout from its column when the file has one', async () => {
    const run = (i: number, passed: boolean, time: number) => ({
      prompt: `Task ${i}`,
      completion: `def f${i}():\n    return ${i}\n`,
      reward: passed ? 1 : 0,
      passed,
      execution_time: time,
      timeout: 4,
    })
    const { dataset } = await open('runs-limit.jsonl', [
      run(0, true, 4),
      run(1, true, 3.9),
      run(2, false, 4),
      run(3, true, 10),
    ])
    const found = await tripped(dataset.table, 'timeout-pass')
    expect([...found.keys()]).toEqual([0])
    expect(found.get(0)).toBe('passed is true with execution_time 4 = the timeout (timeout)')
  })
})
