/**
 * Flags and notes in the browser build: f flags the selected row, the note is kept as it is typed,
 * the table marks the row, the filter shows flagged rows or the others, and everything comes back
 * after a reload (the browser keeps flags in local storage, keyed by the file).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { selectRow, tableRow } from '../support/dom'
import { describeRealdata, realPath } from '../support/realdata'

const RLAIF = realPath('code-rlaif/train.jsonl')

let session: Session
let page: Page

beforeAll(async () => {
  session = await startSession()
  page = await session.newPage()
})
afterAll(async () => {
  await session?.close()
})

const rowCount = () => page.getByTestId('row-count').textContent()
const flagCount = () => page.getByTestId('flag-count').textContent()

describeRealdata('flags', () => {
  it('flags rows with f, keeps a note, marks them in the table and filters by them', async () => {
    await openFiles(page, RLAIF)
    await expect.poll(flagCount).toBe('0 flagged')
    await selectRow(page, 2)
    await page.keyboard.press('f')
    await expect.poll(flagCount).toBe('1 flagged')
    await page.getByTestId('flag-note').fill('reward too high for a stub')
    await page.getByTestId('flag-note').blur()
    await selectRow(page, 5)
    await page.getByTestId('flag-button').click()
    await expect.poll(flagCount).toBe('2 flagged')
    await expect.poll(() => tableRow(page, 2).getByTestId('row-flag').count()).toBe(1)
    expect(await tableRow(page, 2).getByTestId('row-flag').getAttribute('title')).toBe(
      'reward too high for a stub',
    )
    expect(await tableRow(page, 3).getByTestId('row-flag').count()).toBe(0)

    const filter = page.getByTestId('flags-filter')
    await filter.locator('[data-value="only"]').click()
    await expect.poll(rowCount).toBe('2 of 600 rows')
    await filter.locator('[data-value="exclude"]').click()
    await expect.poll(rowCount).toBe('598 of 600 rows')
    await filter.locator('[data-value="only"]').click()
    await expect.poll(rowCount).toBe('2 of 600 rows')
    // Unflagging under the "flagged" filter takes the row out at once.
    await selectRow(page, 1)
    await page.keyboard.press('f')
    await expect.poll(rowCount).toBe('1 of 600 rows')
    await expect.poll(flagCount).toBe('1 flagged')
    await selectRow(page, 0)
    await screenshot(page, 'flags-filtered')
    await filter.locator('[data-value="all"]').click()
    await expect.poll(rowCount).toBe('600 of 600 rows')
  })

  it('brings flags and notes back when the file is opened again after a reload', async () => {
    await page.reload()
    await openFiles(page, RLAIF)
    await expect.poll(flagCount).toBe('1 flagged')
    await expect
      .poll(() => page.getByTestId('flags-filter').textContent())
      .toContain("this browser's local storage")
    await selectRow(page, 2)
    expect(await page.getByTestId('flag-note').inputValue()).toBe('reward too high for a stub')
    // f in a text box types, it does not unflag.
    await page.getByTestId('flag-note').press('End')
    await page.getByTestId('flag-note').pressSequentially(' (f)')
    await page.getByTestId('flag-note').blur()
    await expect.poll(flagCount).toBe('1 flagged')
    // Saved as soon as the table shows it.
    await expect
      .poll(() => tableRow(page, 2).getByTestId('row-flag').getAttribute('title'))
      .toBe('reward too high for a stub (f)')
    await page.reload()
    await openFiles(page, RLAIF)
    await selectRow(page, 2)
    await expect
      .poll(() => page.getByTestId('flag-note').inputValue())
      .toBe('reward too high for a stub (f)')
    await screenshot(page, 'flags-note')
  })

  it('says which flags match no row after the file changed, and forgets them when asked', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'rewardlens-flags-'))
    const file = join(folder, 'edited.jsonl')
    const rows = (edited: string) =>
      ['alpha', 'beta', edited, 'delta']
        .map((name, i) => JSON.stringify({ prompt: name, reward: i / 4 }))
        .join('\n') + '\n'
    try {
      await writeFile(file, rows('gamma'))
      await openFiles(page, file)
      // Pressed as soon as the table shows: the flag waits for the saved flags, never dropped.
      await selectRow(page, 1)
      await page.keyboard.press('f')
      await expect.poll(flagCount).toBe('1 flagged')
      await selectRow(page, 2)
      await page.keyboard.press('f')
      await page.getByTestId('flag-note').fill('gamma looks wrong')
      await page.getByTestId('flag-note').blur()
      await expect
        .poll(() => tableRow(page, 2).getByTestId('row-flag').getAttribute('title'))
        .toBe('gamma looks wrong')

      // The same file, with row 3 edited and rows 1 and 2 swapped.
      await writeFile(
        file,
        [
          JSON.stringify({ prompt: 'beta', reward: 0.25 }),
          JSON.stringify({ prompt: 'alpha', reward: 0 }),
          JSON.stringify({ prompt: 'gamma, fixed', reward: 0.5 }),
          JSON.stringify({ prompt: 'delta', reward: 0.75 }),
        ].join('\n') + '\n',
      )
      await page.reload()
      await openFiles(page, file)
      await expect.poll(flagCount).toBe('1 flagged')
      const notice = await page.getByTestId('flags-notice').textContent()
      expect(notice).toContain('1 flag followed its row to a new position')
      expect(notice).toContain('1 flag no longer matches any row')
      // beta's flag followed beta to the first row.
      await expect.poll(() => tableRow(page, 0).getByTestId('row-flag').count()).toBe(1)
      expect(await tableRow(page, 2).getByTestId('row-flag').count()).toBe(0)
      const orphaned = page.getByTestId('orphaned-flags')
      await orphaned.locator('summary').click()
      expect(await orphaned.textContent()).toContain('was row 3: gamma looks wrong')
      await screenshot(page, 'flags-orphaned')
      await page.getByTestId('forget-orphaned-flags').click()
      await expect.poll(() => orphaned.count()).toBe(0)
      await page.reload()
      await openFiles(page, file)
      await expect.poll(flagCount).toBe('1 flagged')
      expect(await page.getByTestId('orphaned-flags').count()).toBe(0)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})

describe('reward checks in the detail pane', () => {
  it('lists six reasons of a row that trips many, and the rest on asking', async () => {
    // One question whose ten completions are the same code, all passing: each trips the checks.
    const folder = await mkdtemp(join(tmpdir(), 'rewardlens-reasons-'))
    const file = join(folder, 'same-answers.jsonl')
    const completion = '```python\ndef add(a, b):\n    return a + b\n```'
    const row = {
      id: 'q1',
      question: 'Write add(a, b).',
      test_cases: ['assert add(1, 2) == 3'],
      inferences: Array.from({ length: 10 }, (_, i) => ({
        completion,
        completion_id: i,
        model_name: 'm',
        pass_rate: 1,
      })),
    }
    await writeFile(file, `${JSON.stringify(row)}\n`)
    try {
      const fresh = await session.newPage()
      await openFiles(fresh, file)
      await selectRow(fresh, 0)
      const reasons = fresh.getByTestId('qa-reasons')
      const toggle = fresh.getByTestId('qa-reasons-toggle')
      await expect.poll(() => toggle.textContent(), { timeout: 30_000 }).toMatch(/^Show all \d+$/)
      const total = Number((await toggle.textContent())!.replace('Show all ', ''))
      expect(total).toBeGreaterThanOrEqual(10)
      expect(await reasons.locator('li').count()).toBe(6)
      await toggle.click()
      await expect.poll(() => reasons.locator('li').count()).toBe(total)
      expect(await toggle.textContent()).toBe('Show fewer')
      await fresh.context().close()
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })

  it('keeps the flags of two tabs on one file, each tab showing the other’s', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'rewardlens-tabs-'))
    const file = join(folder, `two-tabs-${Date.now()}.jsonl`)
    const rows = Array.from({ length: 8 }, (_, i) => JSON.stringify({ id: i, prompt: `p${i}` }))
    await writeFile(file, `${rows.join('\n')}\n`)
    try {
      const a = await session.newPage()
      const b = await a.context().newPage()
      await b.goto(a.url())
      await openFiles(a, file)
      await openFiles(b, file)
      const count = (tab: Page) => tab.getByTestId('flag-count').textContent()
      await selectRow(a, 1)
      await a.keyboard.press('f')
      await expect.poll(() => count(a)).toBe('1 flagged')
      // Tab B hears tab A's save and shows its flag.
      await expect.poll(() => count(b)).toBe('1 flagged')
      await selectRow(b, 3)
      await b.keyboard.press('f')
      await expect.poll(() => count(b)).toBe('2 flagged')
      await expect.poll(() => count(a)).toBe('2 flagged')
      await selectRow(a, 5)
      await a.keyboard.press('f')
      await expect.poll(() => count(a)).toBe('3 flagged')
      await expect.poll(() => count(b)).toBe('3 flagged')
      await expect.poll(() => tableRow(b, 5).getByTestId('row-flag').count()).toBe(1)
      await screenshot(b, 'flags-two-tabs')
      // What is saved is all three, whichever tab saved last.
      await b.reload()
      await openFiles(b, file)
      await expect.poll(() => count(b)).toBe('3 flagged')
      await a.context().close()
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
