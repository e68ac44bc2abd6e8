/**
 * The checks on parse trees in the browser build: the answers are parsed in the parse worker
 * (tree-sitter, grammars bundled) after the other checks, the panel says so while it runs, then
 * lists the new checks; a finding's evidence (line, text) shows in the detail pane.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'

let session: Session
let page: Page
let folder: string
beforeAll(async () => {
  session = await startSession()
  page = await session.newPage()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-parse-'))
})
afterAll(async () => {
  await session?.close()
  await rm(folder, { recursive: true, force: true })
})

const FENCE = '```'
const py = (code: string) => `${FENCE}python\n${code}\n${FENCE}`
const rule = (id: string) => page.locator(`[data-testid="qa-panel"] [data-rule="${id}"]`)

function row(i: number, student: string): Record<string, unknown> {
  return {
    prompt: `Write function number ${i}.`,
    language: 'python',
    student_code: student,
    teacher_code: `Here it is:\n${py(`def g${i}(x):\n    return x * ${i}`)}`,
    student_score: 0.5,
    teacher_score: 0.9,
    reward: 0.5 / (0.9 + 1e-6),
  }
}

describe('checks on parse trees', () => {
  beforeAll(async () => {
    const rows = [
      row(0, py('def f0(s):\n    return s.count("(")')),
      row(1, py('def solve(n):\n    """Solve it."""\n    pass')),
      row(2, py('def f2(x):\n    return x +* 2\n\ndef g():\n    return 1')),
      row(3, py('import sys\n\ndef f3(x):\n    return x\n\nsys.exit(0)')),
      row(4, `<|begin_of_text|>${py('def f4(x):\n    return 4')}`),
      row(5, `${FENCE}python\ndef f5(x):\n    return (x + 1`),
      ...Array.from({ length: 30 }, (_, i) => row(6 + i, py(`def h${i}(x):\n    return x - ${i}`))),
    ]
    const file = join(folder, 'parse-checks.jsonl')
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
    await openFiles(page, file)
  })

  it('parses in the background, then lists the checks on parse trees', async () => {
    await rule('stub-code').waitFor({ timeout: 60_000 })
    await expect.poll(() => rule('stub-code').getAttribute('data-count')).toBe('1')
    await expect.poll(() => rule('reward-hacking').getAttribute('data-count')).toBe('1')
    await expect.poll(() => rule('template-tokens').getAttribute('data-count')).toBe('1')
    await expect.poll(() => rule('truncated-code').getAttribute('data-count')).toBe('1')
    await expect.poll(() => rule('syntax-error').getAttribute('data-count')).toBe('1')
    expect(await page.getByTestId('qa-parsing').count()).toBe(0)
  })

  it("shows a finding's evidence, its line and text, in the detail pane", async () => {
    await rule('stub-code').click()
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('1 of 36 rows')
    await page.locator('[data-testid="row-table"] [data-row-index="0"]').click()
    const reason = page.locator('[data-testid="qa-reasons"] [data-rule="stub-code"]')
    await expect.poll(() => reason.textContent()).toContain('stub at line 1: "def solve(n):"')
    await screenshot(page, 'parse-checks-stub-evidence')
    await page.getByRole('button', { name: 'Clear all' }).click()
    await rule('reward-hacking').click()
    await page.locator('[data-testid="row-table"] [data-row-index="0"]').click()
    await expect
      .poll(() =>
        page.locator('[data-testid="qa-reasons"] [data-rule="reward-hacking"]').textContent(),
      )
      .toContain('exits with success before the tests run (sys.exit(0)) at line 6')
    await screenshot(page, 'parse-checks-hacking-evidence')
  })

  it('marks the line of a syntax error in the code diff, the reason as its title', async () => {
    await page.getByRole('button', { name: 'Clear all' }).click()
    await rule('syntax-error').click()
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('1 of 36 rows')
    await page.locator('[data-testid="row-table"] [data-row-index="0"]').click()
    const marked = page.locator('[data-testid="diff-pane-a"] .diff-line.diff-marked')
    await marked.first().waitFor()
    expect(await marked.count()).toBe(1)
    expect(await marked.locator('.diff-number').textContent()).toBe('2')
    expect(await marked.getByTestId('diff-error-mark').count()).toBe(1)
    expect(await marked.getAttribute('title')).toContain('Syntax error at line 2, column 15')
    expect(await page.locator('[data-testid="diff-pane-b"] .diff-marked').count()).toBe(0)
    await screenshot(page, 'parse-checks-syntax-mark')
  })
})
