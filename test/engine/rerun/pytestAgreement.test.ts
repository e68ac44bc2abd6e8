/**
 * The app's small pytest-compatible runner against real pytest (python3 and pytest are on these
 * machines) on the KodCode files: for every solution and trial, the number of tests each collects
 * and the number that pass must be the same. Both sides run in CPython, so only the runner differs.
 * KodCode's test code often uses the solution's names without importing them; the harness imports
 * them, so pytest gets `from solution import *` above the test code.
 *
 * A spread sample of rows in `npm test`; every row with RL_RERUN_FULL=1.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect } from 'vitest'
import { rerunRequest } from '../../../renderer/data/rerun/kinds'
import { CPythonRerun } from '../../support/cpythonRerun'
import { describeRealdata, itRealdata, realPath } from '../../support/realdata'

const run = promisify(execFile)
const FULL = process.env.RL_RERUN_FULL === '1'
const ROWS = 8

const KODCODE = [
  'kodcode/KodCode_algorithm_100_1741212598.json',
  'kodcode/KodCode_leetcode_100_1741214688.json',
  'kodcode/KodCode_prefill_200_1741214325.json',
  'kodcode/SFT_KodCode_algorithm_100_1741212598.json',
]
/** Beyond the standard library: neither runtime of the app has them. */
const NEEDS_PACKAGES = /^\s*(import|from)\s+(numpy|scipy|pandas)\b/m

interface KodRow {
  question_id: string
  solution: string
  test_code: string
  trials?: Record<string, { solution_code: string; test_code: string } | null>
}

let harness: CPythonRerun
let folder: string
beforeAll(async () => {
  harness = new CPythonRerun(20_000)
  folder = await mkdtemp(join(tmpdir(), 'rl-pytest-'))
})
afterAll(async () => {
  harness?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

/** Tests collected and passed by real pytest. */
async function pytestCounts(code: string, tests: string, n: number) {
  const dir = join(folder, `u${n}`)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'solution.py'), code)
  await writeFile(join(dir, 'test_solution.py'), `from solution import *\n${tests}`)
  // pytest exits non-zero when a test fails; its summary line is what is read.
  const { stdout } = await run(
    'python3',
    ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--tb=no', '-rN'],
    { cwd: dir, timeout: 120_000 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(stdout)?.[1] ?? 0)
  const passed = count('passed')
  return { total: passed + count('failed') + count('error') + count('errors'), passed }
}

describeRealdata('the pytest-compatible runner against real pytest', () => {
  for (const file of KODCODE) {
    itRealdata(
      `${file.split('/')[1]}: each unit collects and passes as many tests as under pytest`,
      async () => {
        const rows = (JSON.parse(readFileSync(realPath(file), 'utf8')) as KodRow[]).filter(
          (r) => !NEEDS_PACKAGES.test(r.solution) && !NEEDS_PACKAGES.test(r.test_code),
        )
        const step = FULL ? 1 : Math.max(1, Math.floor(rows.length / ROWS))
        const units = rows
          .filter((_, i) => i % step === 0)
          .flatMap((r) => [
            { id: `${r.question_id} solution`, code: r.solution, tests: r.test_code },
            ...Object.entries(r.trials ?? {}).flatMap(([key, t]) =>
              t
                ? [{ id: `${r.question_id} ${key}`, code: t.solution_code, tests: t.test_code }]
                : [],
            ),
          ])
        const differ: string[] = []
        let tests = 0
        for (const [n, unit] of units.entries()) {
          const request = rerunRequest({ code: unit.code, language: 'python', tests: unit.tests })
          if (!request.ok) throw new Error(`${unit.id}: ${request.reason}`)
          const ours = await harness.run(request.request)
          const theirs = await pytestCounts(unit.code, unit.tests, n)
          tests += theirs.total
          if (ours.tests.length !== theirs.total || ours.passed !== theirs.passed)
            differ.push(
              `${unit.id}: harness ${ours.passed}/${ours.tests.length}, pytest ${theirs.passed}/${theirs.total}`,
            )
        }
        console.log(
          `pytest agreement, ${file}: ${units.length - differ.length} of ${units.length} units (${tests} tests) agree${differ.length > 0 ? `; ${differ.join('; ')}` : ''}`,
        )
        expect(differ).toEqual([])
      },
      600_000,
    )
  }
})
