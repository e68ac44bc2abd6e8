/**
 * Run tests in the browser build: the tests of the units a filter shows run in the app's own
 * Python (Pyodide in a worker), the summary counts them, `rerun-mismatch` then finds the unit
 * whose stored pass rate the run does not reproduce, and the detail shows its failing test with
 * the traceback.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { selectRow } from '../support/dom'

let session: Session
let page: Page
let folder: string
let file: string

const completion = (model: string, code: string, pass_rate: number) => ({
  model_name: model,
  completion: code,
  pass_rate,
})

/** AceCode-shaped: questions with assert lists and completions with stored pass rates. */
const ROWS = [
  {
    id: 'q1',
    question: 'Write add(a, b).',
    test_cases: ['assert add(1, 2) == 3', 'assert add(2, 2) == 4', 'assert add(0, 3) == 3'],
    inferences: [
      completion('m1', 'def add(a, b):\n    return a + b\n', 1),
      // Stored as passing everything; it passes one test of three.
      completion('m2', 'def add(a, b):\n    return 3\n', 1),
      completion('m3', 'def add(a, b):\n    return b + a\n', 1),
    ],
  },
  {
    id: 'q2',
    question: 'Write mul(a, b).',
    test_cases: ['assert mul(2, 3) == 6', 'assert mul(0, 5) == 0'],
    inferences: [
      completion('m1', 'def mul(a, b):\n    return a * b\n', 1),
      completion('m2', 'def mul(a, b):\n    return sum(a for _ in range(b))\n', 1),
      completion('m3', 'def mul(a, b):\n    return a * b + 1\n', 0),
    ],
  },
  {
    id: 'q3',
    question: 'Write half(n).',
    test_cases: ['assert half(4) == 2', 'assert half(10) == 5'],
    inferences: [
      completion('m1', 'def half(n):\n    return n // 2\n', 1),
      completion('m2', 'def half(n):\n    return n / 0\n', 0),
      completion('m3', 'def half(n):\n    return n >> 1\n', 1),
    ],
  },
  {
    id: 'q4',
    question: 'Fetch a page.',
    test_cases: ['assert fetch() == 200'],
    inferences: [
      completion('m1', 'def fetch():\n    return 200\n', 1),
      completion('m2', 'import socket\n\ndef fetch():\n    return 200\n', 0),
      completion('m3', 'def fetch():\n    return 404\n', 0),
    ],
  },
  {
    id: 'q5',
    question: 'Write add in C++.',
    test_cases: ['assert add(1, 2) == 3'],
    inferences: ['m1', 'm2', 'm3'].map((m) =>
      completion(m, '```cpp\nint add(int a, int b) { return a + b; }\n```\n', 1),
    ),
  },
]

beforeAll(async () => {
  session = await startSession()
  page = await session.newPage()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-rerun-'))
  file = join(folder, 'acecode-rerun.jsonl')
  await writeFile(file, ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n')
  await openFiles(page, file)
  await page.getByTestId('row-count').filter({ hasText: '5 of 5 rows' }).waitFor()
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

const rule = (id: string) => page.locator(`[data-testid="qa-panel"] [data-rule="${id}"]`)

describe('Run tests', () => {
  it('runs the tests of the filtered units and counts how they ended', async () => {
    await page.getByTestId('sql-where').fill(`__rl_model = 'm2'`)
    await page.getByTestId('sql-where').press('Enter')
    // As a person would: once the condition is applied (its chip shows), not while it is checked.
    await page.getByTestId('filter-chips').filter({ hasText: "where __rl_model = 'm2'" }).waitFor()
    await page.getByTestId('run-tests').click()
    const progress = page.getByTestId('run-tests-progress')
    await progress.waitFor()
    const done = page.getByTestId('run-tests-done')
    // The progress counts the 5 units (a busy machine may show it only briefly before the end).
    const seen = { units: false }
    await expect
      .poll(async () => {
        const text = await progress.textContent({ timeout: 1_000 }).catch(() => '')
        seen.units ||= /of 5 units/.test(text ?? '')
        return seen.units || (await done.count()) > 0
      })
      .toBe(true)
    await done.waitFor({ timeout: 120_000 })
    expect(await done.textContent()).toBe(
      '4 run: 1 pass, 2 fail, 1 error, 0 timeout (1 cannot run here)',
    )
    // The re-run pass rate is charted and filtered like any score.
    // q3's m2 passes nothing, q2's everything: the axis spans 0 to 1 once every result is in.
    await page
      .locator('[data-testid="histogram-__rl_rerun_pass_rate"][data-min="0"][data-max="1"]')
      .waitFor()
    await page.locator('[data-testid="qa-panel"] [data-rule="rerun-mismatch"]').waitFor()
    await screenshot(page, 'rerun-summary')
  })

  it('the results are columns the SQL condition reads', async () => {
    await page.getByTestId('sql-where').fill(`__rl_rerun_status = 'fail'`)
    await page.getByTestId('sql-where').press('Enter')
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('2 of 5 rows')
  })

  it('rerun-mismatch finds the unit whose stored pass rate is wrong', async () => {
    await page.getByTestId('sql-where').fill('')
    await page.getByTestId('sql-where').press('Enter')
    await page
      .locator('[data-testid="qa-panel"] [data-rule="rerun-mismatch"][data-count="1"]')
      .waitFor()
    await rule('rerun-mismatch').click()
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('1 of 5 rows')
  })

  it('the detail shows the failing test with its traceback', async () => {
    await selectRow(page, 0)
    const panel = page.getByTestId('rerun-panel')
    await panel.waitFor()
    expect(await panel.getByTestId('rerun-kind').textContent()).toMatch(/^3 assert statements/)
    const result = panel.getByTestId('rerun-result')
    await result.waitFor()
    expect(await result.getAttribute('data-status')).toBe('fail')
    const failing = panel.locator('[data-testid="rerun-test"][data-status="fail"]')
    expect(await failing.count()).toBe(1)
    expect(await failing.first().getByTestId('rerun-traceback').textContent()).toMatch(
      /AssertionError/,
    )
    await panel.scrollIntoViewIfNeeded()
    await screenshot(page, 'rerun-failing-unit')
  })

  it('a non-Python unit says plainly it cannot run here', async () => {
    await page.getByRole('button', { name: 'Clear all' }).click()
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('5 of 5 rows')
    await selectRow(page, 4)
    const reason = page.getByTestId('rerun-panel').getByTestId('rerun-not-runnable')
    await reason.waitFor()
    expect(await reason.textContent()).toMatch(/is cpp: RewardLens runs Python tests only/)
  })

  it('reopening the file shows the saved results without running again', async () => {
    await page.reload()
    await openFiles(page, file)
    await page.getByTestId('row-count').filter({ hasText: '5 of 5 rows' }).waitFor()
    await page
      .locator('[data-testid="qa-panel"] [data-rule="rerun-mismatch"][data-count="1"]')
      .waitFor()
    expect(await page.getByTestId('run-tests-progress').count()).toBe(0)
    await selectRow(page, 0)
    const result = page.getByTestId('rerun-panel').getByTestId('rerun-result')
    await result.waitFor()
    expect(await result.getAttribute('data-status')).toBe('fail')
  })
})
