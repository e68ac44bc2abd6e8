/**
 * How often the language found from the code (fence label, then the code's own signs) is right,
 * measured on the real files: against the label code-rlaif carries, and against files known to be
 * all Python. The figures are in the README; these bounds keep them from sliding.
 */
import { beforeAll, expect } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { extractCodeSql } from '../../renderer/data/profile/code'
import {
  UNKNOWN_LANGUAGE,
  codeLanguageSql,
  fenceLanguageSql,
  foldLanguageSql,
} from '../../renderer/data/profile/languages'
import { quoteIdent } from '../../shared/sql'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { describeRealdata, itRealdata, realPath } from '../support/realdata'

let engine: Engine
beforeAll(async () => {
  engine = await createNodeEngine()
})

/** The language detection gives a non-empty text, as the units table computes it without a label. */
const detected = (textSql: string) =>
  `coalesce(${fenceLanguageSql(textSql)}, ${codeLanguageSql(textSql)}, ${codeLanguageSql(extractCodeSql(textSql))}, '${UNKNOWN_LANGUAGE}')`

async function measure(file: string, code: string, truth: string | null) {
  const dataset = await loadFiles(engine, realPath(file))
  const t = quoteIdent(dataset.table)
  const expected = truth ?? `'python'`
  const [row] = (
    await engine.query(`SELECT count(*) AS n,
        count(*) FILTER (WHERE ${detected(code)} = ${expected}) AS right,
        count(*) FILTER (WHERE ${detected(code)} = '${UNKNOWN_LANGUAGE}') AS unknown
      FROM ${t} WHERE trim(${code}) <> ''`)
  ).rows
  // Empty answers (109 of LeetCode's responses) have no language to find.
  const [n, right, unknown] = [Number(row!.n), Number(row!.right), Number(row!.unknown)]
  console.log(
    `language from the code, ${file}: ${right} of ${n} right (${((100 * right) / n).toFixed(1)}%), ${unknown} unknown`,
  )
  return right / n
}

describeRealdata('language detection from the code', () => {
  itRealdata('agrees with code-rlaif’s own labels on the student code', async () => {
    const share = await measure(
      'code-rlaif/train.jsonl',
      'student_code',
      foldLanguageSql('language'),
    )
    expect(share).toBeGreaterThan(0.9)
  })

  itRealdata(
    'finds Python in CodePrefBench answers, LeetCode responses and among non-empty LeetCode responses',
    async () => {
      expect(
        await measure('preference-code/correctness-alignment.jsonl', 'choices[1]', null),
      ).toBeGreaterThan(0.99)
      expect(
        await measure('leetcode/LeetCodeDataset-v0.3.1-test.jsonl', 'completion', null),
      ).toBeGreaterThan(0.95)
      expect(
        await measure('leetcode/LeetCodeDataset-v0.3.1-test.jsonl', 'response', null),
      ).toBeGreaterThan(0.95)
    },
  )
})
