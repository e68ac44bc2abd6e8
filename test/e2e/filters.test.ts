/**
 * The filters a person reaches for first: the SQL box (a placeholder that runs on the open file,
 * errors in words, cleared with the filter), the chips of ticked reward checks, and the checks'
 * severity (only warnings mark rows).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { describeRealdata, realPath } from '../support/realdata'

let session: Session
let page: Page
let folder: string
beforeAll(async () => {
  session = await startSession()
  page = await session.newPage()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-filters-'))
})
afterAll(async () => {
  await session?.close()
  await rm(folder, { recursive: true, force: true })
})

const rowCount = () => page.getByTestId('row-count').textContent()
const sqlBox = () => page.getByTestId('sql-where')
const sqlError = () => page.getByTestId('sql-error')
const rule = (id: string) => page.locator(`[data-testid="qa-panel"] [data-rule="${id}"]`)
const tableRow = (index: number) =>
  page.locator(`[data-testid="row-table"] [data-row-index="${index}"]`)

describeRealdata('the SQL box on a file without a reward column (LeetCodeDataset)', () => {
  beforeAll(async () => {
    await openFiles(page, realPath('leetcode/LeetCodeDataset-v0.3.1-test.jsonl'))
    await page.getByTestId('row-count').filter({ hasText: '228 of 228 rows' }).waitFor()
  })

  it('offers a placeholder that runs as typed', async () => {
    await screenshot(page, 'filters-sql-leetcode')
    // The language in it is the file's most common one, once the engine has counted them.
    await expect.poll(() => sqlBox().getAttribute('placeholder')).toContain('__rl_language = ')
    const example = (await sqlBox().getAttribute('placeholder')) ?? ''
    expect(example).not.toMatch(/\breward\b/)
    await sqlBox().fill(example)
    await sqlBox().press('Enter')
    await expect.poll(() => page.locator('[data-chip="where"]').textContent()).toContain(example)
    expect(await sqlError().count()).toBe(0)
    await expect.poll(rowCount).toMatch(/^[\d,]+ of 228 rows$/)
    await screenshot(page, 'filters-sql-placeholder')
  })

  it('names a missing column and the ones DuckDB suggests, without the engine jargon', async () => {
    await sqlBox().fill('questin_id > 3')
    await sqlBox().press('Enter')
    await expect
      .poll(() => sqlError().textContent())
      .toMatch(/^No column named questin_id; did you mean .*question_id.*\?$/)
    expect(await sqlError().textContent()).not.toMatch(/Binder|LINE|FROM/)
    await screenshot(page, 'filters-sql-error')
  })

  it('drops the message when the box is emptied', async () => {
    await sqlBox().fill('')
    await expect.poll(() => sqlError().count()).toBe(0)
  })

  it('keeps the message of the last condition applied when an earlier check ends after it', async () => {
    await sqlBox().fill('question_id > 7')
    await sqlBox().press('Enter')
    // Without waiting for that check: the next condition is the one that counts.
    await sqlBox().fill('questin_id > 7')
    await sqlBox().press('Enter')
    await expect.poll(() => sqlError().count()).toBe(1)
    await page.waitForTimeout(500)
    expect(await sqlError().count()).toBe(1)
    expect(await sqlBox().inputValue()).toBe('questin_id > 7')
    await sqlBox().fill('')
  })

  it('drops the message and the draft with Clear all', async () => {
    await sqlBox().fill('question_id > 3')
    await sqlBox().press('Enter')
    await expect
      .poll(() => page.locator('[data-chip="where"]').textContent())
      .toContain('question_id > 3')
    await sqlBox().fill('questin_id > 3')
    await sqlBox().press('Enter')
    await expect.poll(() => sqlError().count()).toBe(1)
    await page.getByRole('button', { name: 'Clear all' }).click()
    await expect.poll(rowCount).toBe('228 of 228 rows')
    await expect.poll(() => sqlError().count()).toBe(0)
    expect(await sqlBox().inputValue()).toBe('')
  })
})

describe('reward checks, ticked together (the demo dataset)', () => {
  beforeAll(async () => {
    await page.reload()
    await page.getByTestId('open-demo').click()
    await page.locator('[data-rule="truncated-code"][data-count="74"]').waitFor()
  })

  it('says the chips show the rows tripping any of them', async () => {
    await rule('truncated-code').click()
    await expect.poll(rowCount).toBe('74 of 360 rows')
    await rule('duplicate-prompt').click()
    await expect.poll(rowCount).not.toBe('74 of 360 rows')
    const group = page.locator('[data-testid="filter-chips"] [data-chip="rules"]')
    await expect.poll(() => group.textContent()).toMatch(/^any of checks/)
    expect(await group.locator('.chip').count()).toBe(2)
    await screenshot(page, 'filters-checks-any-of')
    await group.getByRole('button', { name: 'Remove Repeated prompt' }).click()
    await expect.poll(rowCount).toBe('74 of 360 rows')
    await expect
      .poll(() => page.locator('[data-chip="rule:truncated-code"]').textContent())
      .toMatch(/^check: /)
    await page.getByRole('button', { name: 'Clear all' }).click()
  })
})

describe('checks that describe the data get no badge', () => {
  /** Two prompts, three answers each (as group-sampled RL data is built), rewards all different. */
  const grouped = (reward: (i: number) => number | null) =>
    ['alpha', 'alpha', 'alpha', 'beta', 'beta', 'beta']
      .map((prompt, i) => JSON.stringify({ prompt, reward: reward(i) }))
      .join('\n') + '\n'

  it('marks no row of a file whose only finding is repeated prompts', async () => {
    const file = join(folder, 'grouped.jsonl')
    await writeFile(
      file,
      grouped((i) => (i + 1) / 10),
    )
    await page.reload()
    await openFiles(page, file)
    await expect.poll(() => rule('duplicate-prompt').getAttribute('data-count')).toBe('6')
    expect(await rule('duplicate-prompt').getAttribute('data-severity')).toBe('info')
    expect(
      await page.getByTestId('qa-info').locator('[data-rule="duplicate-prompt"]').count(),
    ).toBe(1)
    await expect.poll(() => tableRow(5).count()).toBe(1)
    expect(await page.locator('[data-testid="row-table"] [data-testid="row-qa"]').count()).toBe(0)
    // The detail names the finding as information, not in the alarm colour.
    await tableRow(2).click({ position: { x: 40, y: 12 } })
    const reasons = page.getByTestId('qa-reasons')
    await expect
      .poll(() => reasons.locator('h3').textContent())
      .toBe('Reward checks: information only')
    expect(await reasons.getAttribute('class')).toContain('info-only')
    expect(await reasons.locator('li').first().getAttribute('data-severity')).toBe('info')
    await screenshot(page, 'filters-info-no-badge')
  })

  it('still marks the row with a real defect, with the warning alone', async () => {
    const file = join(folder, 'grouped-missing.jsonl')
    await writeFile(
      file,
      grouped((i) => (i === 4 ? null : (i + 1) / 10)),
    )
    await page.reload()
    await openFiles(page, file)
    await expect.poll(() => rule('missing-value').getAttribute('data-count')).toBe('1')
    const badge = tableRow(4).getByTestId('row-qa')
    await expect.poll(() => badge.getAttribute('data-rules')).toBe('missing-value')
    expect(await badge.textContent()).toBe('1')
    expect(await page.locator('[data-testid="row-table"] [data-testid="row-qa"]').count()).toBe(1)
    await screenshot(page, 'filters-warning-badge')
  })
})
