/**
 * How right the code checks are on real data: every answer of the real files in a language with
 * a grammar, labelled by other parsers (CPython's `ast`, g++ and rustc: `test/fixtures/
 * codeOracle.py`), and each check's precision and recall against those labels, before (the
 * substring rules this replaced, kept below as they were) and after (parse trees). The numbers
 * are the ones docs/QA-RULES.md reports; a check under 90% precision on real data must be info.
 *
 * Checks are measured on every answer, scored or not: on the real files few broken answers
 * scored, and the question is whether the check is right about the code.
 */
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { QA_RULES } from '../../renderer/data/qa'
import { quoteString } from '../../shared/sql'
import { ENGINE_KIND, createNodeEngine } from '../support/nodeEngine'
import { nodeParser } from '../support/parseNode'
import { describeRealdata, itRealdata, realPath } from '../support/realdata'

interface Answer {
  readonly file: string
  readonly language: string
  readonly text: string
}

interface Labels {
  readonly code: boolean
  readonly truncated: boolean
  readonly syntax: boolean
  readonly stub: boolean
}

type Check = 'truncated-code' | 'syntax-error' | 'stub-code' | 'wrong-language'
const CHECKS: readonly Check[] = ['truncated-code', 'syntax-error', 'stub-code', 'wrong-language']

/** The stub rule before parse trees (RE2, as it ran in the engine). */
const OLD_STUB = [
  String.raw`\bunimplemented!\s*\(`,
  String.raw`\btodo!\s*\(`,
  String.raw`\bNotImplemented(Error|Exception)\b`,
  String.raw`(?i:(#|//|/\*)\s*(TODO|FIXME)\b)`,
  String.raw`(?i:your code (goes )?here)`,
  String.raw`\A\s*(pass|\.\.\.)\s*\z`,
]
  .map((p) => `(${p})`)
  .join('|')
const OLD_FIRST_DEF = String.raw`(?m)^[ \t]*def\s+\w+\s*\([^)]*\)[^:\n]*:\s*("""[^"]*"""\s*|'''[^']*'''\s*)?\S+`
const OLD_EMPTY_BODY = String.raw`(\bpass|\.\.\.)$`
const unclosed = (o: string, c: string) =>
  `((strlen(text) - strlen(replace(text, '${o}', ''))) - (strlen(text) - strlen(replace(text, '${c}', ''))))`
const FENCE_OPEN = "(len(string_split(text, '```')) % 2 = 0)"
/** The old rules as SQL over a table of answers (`text`). */
const OLD_SQL: Record<'truncated-code' | 'stub-code', string> = {
  'truncated-code': `${FENCE_OPEN} OR (NOT contains(text, '\`\`\`') AND (${unclosed('(', ')')} > 0 OR ${unclosed('[', ']')} > 0 OR ${unclosed('{', '}')} > 0))`,
  'stub-code': `regexp_matches(text, ${quoteString(OLD_STUB)}) OR (contains(text, 'def ') AND regexp_matches(regexp_extract(text, ${quoteString(OLD_FIRST_DEF)}, 0), ${quoteString(OLD_EMPTY_BODY)}))`,
}

/** Every answer of the real files in Python, C++ or Rust, each (language, text) once. */
async function realAnswers(): Promise<Answer[]> {
  const out = new Map<string, Answer>()
  const add = (file: string, language: string, text: unknown) => {
    if (typeof text === 'string' && text.trim() !== '') {
      out.set(`${language}\0${text}`, { file, language, text })
    }
  }
  const lines = async (path: string) =>
    (await readFile(realPath(path), 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
  const array = async (path: string) =>
    JSON.parse(await readFile(realPath(path), 'utf8')) as Record<string, unknown>[]
  for (const r of await lines('code-rlaif/train.jsonl')) {
    add('code-rlaif', String(r.language), r.student_code)
    add('code-rlaif', String(r.language), r.teacher_code)
  }
  for (const r of await lines('acecode-87k/acecode_sample.jsonl')) {
    for (const c of r.inferences as { completion: string }[]) add('acecode', 'python', c.completion)
  }
  for (const name of [
    'KodCode_algorithm_100_1741212598',
    'KodCode_leetcode_100_1741214688',
    'KodCode_prefill_200_1741214325',
    'SFT_KodCode_algorithm_100_1741212598',
  ]) {
    for (const r of await array(`kodcode/${name}.json`)) {
      add('kodcode', 'python', r.solution)
      for (const t of Object.values((r.trials ?? {}) as Record<string, { solution_code?: string }>))
        add('kodcode', 'python', t?.solution_code)
    }
  }
  for (const r of await lines('leetcode/LeetCodeDataset-v0.3.1-test.jsonl')) {
    add('leetcode', 'python', r.completion)
    add('leetcode', 'python', r.response)
  }
  for (const r of await lines('preference-code/correctness-alignment.jsonl')) {
    for (const c of r.choices as string[]) add('codeprefbench', 'python', c)
  }
  return [...out.values()]
}

/** The oracle's labels of the answers, in order. */
function oracle(answers: readonly Answer[]): Labels[] {
  const script = fileURLToPath(new URL('../fixtures/codeOracle.py', import.meta.url))
  const input = answers
    .map((a) => JSON.stringify({ language: a.language, text: a.text }))
    .join('\n')
  const output = execFileSync('python3', [script], { input, maxBuffer: 1 << 28 }).toString()
  return output
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Labels)
}

/** What the new checks say of each answer: the same facts the rules read. */
async function after(answers: readonly Answer[]): Promise<Record<Check, boolean>[]> {
  const parser = await nodeParser()
  const out = []
  for (const a of answers) {
    const f = await parser.facts({ language: a.language, text: a.text, tests: null })
    const fenceOpen = a.text.split('```').length % 2 === 0
    out.push({
      'truncated-code': fenceOpen || f.errorAtEnd,
      'syntax-error': f.error !== null && !f.errorAtEnd && !fenceOpen && f.otherLanguage === null,
      'stub-code': f.stub !== null,
      'wrong-language': f.otherLanguage !== null,
    })
  }
  return out
}

/** What the old rules said of each answer (wrong-language read signs; none tripped here). */
async function before(
  engine: Engine,
  answers: readonly Answer[],
): Promise<Partial<Record<Check, boolean>>[]> {
  await engine.exec('CREATE OR REPLACE TABLE precision_answers (id INTEGER, text VARCHAR)')
  for (let i = 0; i < answers.length; i += 200) {
    const values = answers
      .slice(i, i + 200)
      .map((a, j) => `(${i + j}, ${quoteString(a.text)})`)
      .join(', ')
    await engine.exec(`INSERT INTO precision_answers VALUES ${values}`)
  }
  const result = await engine.query(
    `SELECT id, ${OLD_SQL['truncated-code']} AS truncated, ${OLD_SQL['stub-code']} AS stub
       FROM precision_answers ORDER BY id`,
  )
  return result.rows.map((r) => ({
    'truncated-code': r.truncated === true,
    'stub-code': r.stub === true,
  }))
}

/** Precision and recall of predictions against labels. */
function score(predicted: readonly boolean[], actual: readonly boolean[]) {
  let tp = 0
  let fp = 0
  let fn = 0
  predicted.forEach((p, i) => {
    if (p && actual[i]) tp++
    else if (p) fp++
    else if (actual[i]) fn++
  })
  return {
    flagged: tp + fp,
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? null : Math.round((1000 * tp) / (tp + fp)) / 1000,
    recall: tp + fn === 0 ? null : Math.round((1000 * tp) / (tp + fn)) / 1000,
  }
}

/**
 * The labels (the oracle's compilers) and the new checks (the parser) are the same whatever the
 * engine, and the old rules are plain DuckDB SQL: measured once, on DuckDB-WASM. The rules' SQL
 * over parse facts runs on both engines in qaParsed.test.ts and qaRealdata.test.ts.
 */
const describePrecision = ENGINE_KIND === 'native' ? describe.skip : describeRealdata

describePrecision('precision and recall of the code checks on the real files', () => {
  let answers: Answer[]
  let labels: Labels[]
  let now: Record<Check, boolean>[]
  let then: Partial<Record<Check, boolean>>[]
  beforeAll(async () => {
    answers = await realAnswers()
    labels = oracle(answers)
    now = await after(answers)
    then = await before(await createNodeEngine(), answers)
  }, 600_000)

  const truth = (check: Check, l: Labels) =>
    check === 'truncated-code'
      ? l.truncated
      : check === 'syntax-error'
        ? l.syntax
        : check === 'stub-code'
          ? l.stub
          : false

  itRealdata('labels every distinct answer', () => {
    expect(answers.length).toBe(labels.length)
    expect(answers.length).toBe(1762)
  })

  itRealdata('scores each check as docs/QA-RULES.md reports it', () => {
    const table = Object.fromEntries(
      CHECKS.map((check) => {
        const actual = labels.map((l) => truth(check, l))
        const old = then.map((t) => t[check])
        return [
          check,
          {
            before: old.every((v) => v === undefined) ? null : score(old.map(Boolean), actual),
            after: score(
              now.map((n) => n[check]),
              actual,
            ),
          },
        ]
      }),
    )
    const s = (
      flagged: number,
      tp: number,
      fp: number,
      fn: number,
      precision: number | null,
      recall: number | null,
    ) => ({ flagged, tp, fp, fn, precision, recall })
    expect(table).toEqual({
      'truncated-code': { before: s(20, 11, 9, 5, 0.55, 0.688), after: s(15, 15, 0, 1, 1, 0.938) },
      'syntax-error': { before: null, after: s(7, 6, 1, 0, 0.857, 1) },
      'stub-code': { before: s(4, 1, 3, 0, 0.25, 1), after: s(1, 1, 0, 0, 1, 1) },
      'wrong-language': { before: null, after: s(0, 0, 0, 0, null, null) },
    })
  })

  itRealdata('keeps every check under 90% precision on real data at info severity', () => {
    for (const check of CHECKS) {
      const s = score(
        now.map((n) => n[check]),
        labels.map((l) => truth(check, l)),
      )
      const severity = QA_RULES.find((r) => r.id === check)?.severity
      if (s.precision !== null && s.precision < 0.9) expect(severity, check).toBe('info')
    }
  })
})
