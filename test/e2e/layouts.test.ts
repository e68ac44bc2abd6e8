/**
 * The layouts RL trainers use, in the browser build as a person meets them: a verl Parquet file
 * (chat prompt, JSON ground truth) and CodePrefBench's list of answers; how many clicks mapping a
 * list of answers by hand takes.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { passFailRow, verlRow, writeJsonl, writeParquet } from '../fixtures/layouts'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { selectRow } from '../support/dom'
import {
  chooseRole,
  closeEditor,
  familyBadge,
  openEditor,
  readCodeSide,
  review,
  roleControl,
  roleText,
} from '../support/profileUi'
import { describeRealdata, realPath } from '../support/realdata'

let session: Session
let folder: string
let page: Page

beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-layouts-'))
  page = await session.newPage()
  await page.setViewportSize({ width: 1440, height: 900 })
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

describe('a verl Parquet file', () => {
  it('opens as verl: the prompt as a conversation, tests per test, the reference solution as code A', async () => {
    await openFiles(page, await writeParquet(folder, 'verl-train', 10_000, verlRow))
    await expect.poll(() => familyBadge(page).textContent()).toBe('verl')
    await expect.poll(() => page.getByTestId('row-count').textContent()).toContain('10,000')
    await selectRow(page, 0)
    const prompt = review(page).getByTestId('review-prompt')
    await prompt.waitFor()
    // The system message is folded; the user's message is shown whole.
    expect(await prompt.locator('li').evaluateAll((li) => li.map((l) => l.dataset.role))).toEqual([
      'system',
      'user',
    ])
    expect(await prompt.locator('li[data-role="system"] details').getAttribute('open')).toBeNull()
    expect(await prompt.locator('li[data-role="user"]').textContent()).toContain(
      'Write a function add_numbers(a, b)',
    )
    const tests = review(page).getByTestId('review-tests')
    await expect.poll(() => tests.locator('summary').textContent()).toBe('Tests (3)')
    expect((await tests.locator('.test-cases li').allTextContents()).map((t) => t.trim())).toEqual([
      'assert add_numbers(1, 2) == 3',
      'assert add_numbers(5, 7) == 12',
      'assert add_numbers(-1, 1) == 0',
    ])
    const single = review(page).getByTestId('code-single')
    expect(await single.locator('h4').textContent()).toBe('reference solution')
    const lines = await single.locator('.code-line').allTextContents()
    expect(lines.map((l) => l.replace(/\n$/, '')).join('\n')).toBe(
      'def add_numbers(a, b):\n    return a + b',
    )
    expect(await review(page).getByTestId('review-language').textContent()).toBe('python')
    await screenshot(page, 'layouts-verl-row')
    // The ground truth, JSON in a text field, reads as its tree among the row's fields.
    const truth = page.getByTestId('row-detail').getByTestId('json-text')
    await truth.first().scrollIntoViewIfNeeded()
    expect(await truth.first().textContent()).toContain('test_list')
    await screenshot(page, 'layouts-verl-ground-truth')

    // An APPS-style row: stdin/stdout cases.
    await selectRow(page, 1)
    await expect.poll(() => tests.locator('summary').textContent()).toBe('Tests (3)')
    expect(await tests.locator('.test-io tbody tr').count()).toBe(3)
    expect(await tests.locator('.test-io th').allTextContents()).toEqual(['#', 'stdin', 'stdout'])
    expect(await review(page).getByTestId('code-single').textContent()).toContain(
      'This row has no reference solution.',
    )

    // The ground truth's fields are offered for roles under the text field that holds them.
    await openEditor(page)
    expect(await roleText(page, 'tests')).toBe('reward_model.ground_truth → (JSON)')
    const options = await roleControl(page, 'tests').locator('option').allTextContents()
    expect(options).toContain('reward_model.ground_truth → test_list')
    await closeEditor(page)
  })
})

describe('pass/fail flags', () => {
  it('drive the histogram, the summary (share passing per language) and the checks', async () => {
    const path = join(folder, 'completions.jsonl')
    await writeJsonl(path, 3_000, passFailRow)
    await openFiles(page, path)
    const histogram = page.getByTestId('histogram-passed')
    await histogram.locator('.recharts-rectangle').first().waitFor()
    const summary = page.getByTestId('summary-table')
    await expect
      .poll(() => summary.locator('th').allTextContents())
      .toEqual(['language', 'count', 'passing', 'share passing', 'nulls'])
    const cells = (language: string) =>
      summary.locator(`tr[data-language="${language}"] td`).allTextContents()
    // Every third row fails; cpp is every fourth row.
    expect((await cells('all')).map((t) => t.trim())).toEqual([
      'all',
      '3,000',
      '2,000',
      '66.7%',
      '0',
    ])
    expect((await cells('cpp')).slice(1)).toEqual(['750', '500', '66.7%', '0'])
    // The checks read the flag as the reward: they finish, and none reads execution_time instead.
    const panel = page.getByTestId('qa-panel')
    await expect.poll(() => panel.textContent(), { timeout: 60_000 }).not.toContain('Checking')
    expect(await panel.textContent()).not.toContain('execution_time')
    await screenshot(page, 'layouts-pass-fail')
  })
})

describeRealdata('CodePrefBench (a list of answers)', () => {
  const FILE = realPath('preference-code/correctness-alignment.jsonl')

  it('opens with each answer a unit and diffs the other answer against the correct one', async () => {
    await openFiles(page, FILE)
    await expect.poll(() => page.getByTestId('row-count').textContent()).toContain('660')
    await selectRow(page, 0)
    // Row 0 has gt_choice 0: the correct answer is the first.
    const [a, b] = [await readCodeSide(page, 'a'), await readCodeSide(page, 'b')]
    expect(a.label).toBe('answer #2')
    expect(b.label).toBe('correct answer #1')
    expect(a.code).not.toBe(b.code)
    await expect
      .poll(() => review(page).getByTestId('review-language').textContent())
      .toBe('python')
    // gt_choice is an index, not a score: no score and no reward.
    expect(await review(page).getByTestId('review-scores').count()).toBe(0)
    await screenshot(page, 'layouts-codeprefbench-row')
  })

  it('takes four choices in the roles editor to map by hand from rows as units', async () => {
    await openFiles(page, FILE)
    await openEditor(page)
    // As a file of no known layout would start: each row a unit, no code.
    await chooseRole(page, 'unnest', 'each row')
    await chooseRole(page, 'codeA', '— none —')
    await chooseRole(page, 'codeB', '— none —')
    let choices = 0
    await chooseRole(page, 'unnest', 'each element of choices')
    choices++
    await chooseRole(page, 'codeA', 'choices')
    choices++
    await chooseRole(page, 'codeB', 'choices')
    choices++
    await chooseRole(page, 'codeB-from', 'the unit gt_choice points at (0 = first)')
    choices++
    expect(choices).toBe(4)
    await closeEditor(page)
    await selectRow(page, 0)
    const [a, b] = [await readCodeSide(page, 'a'), await readCodeSide(page, 'b')]
    expect(b.label).toMatch(/ #1$/)
    expect(a.label).toMatch(/ #2$/)
    expect(a.code).not.toBe(b.code)
  })
})
