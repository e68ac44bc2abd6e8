/**
 * docs/screenshot.png, the picture at the top of the README, taken from the real UI on every
 * end-to-end run so it cannot drift from what the app looks like: the demo dataset at 1440×900
 * in the light theme, with a row selected and read in the detail pane.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, startSession } from '../support/browser'
import { detailHeading } from '../support/dom'

/** The README's screenshot. */
const README_SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url))
/** The row shown selected: a C++ pair whose two sides both fit the detail pane. */
const SELECTED_ROW = 4

let session: Session
let page: Page

beforeAll(async () => {
  session = await startSession()
  page = await session.newPage({ width: 1440, height: 900, colorScheme: 'light' })
})
afterAll(async () => {
  await session?.close()
})

/** Waits until everything the screenshot shows is drawn: charts, checks, row detail, colours. */
async function settled(p: Page): Promise<void> {
  await p.getByTestId('load-progress').waitFor({ state: 'detached', timeout: 60_000 })
  await expect.poll(() => p.locator('.recharts-rectangle').count()).toBeGreaterThan(0)
  // The reward checks run after the open; their counts (and the row's reasons) come in last.
  await p.getByTestId('qa-panel').waitFor()
  await expect
    .poll(() => p.getByTestId('qa-panel').getByText('Checking…').count(), { timeout: 60_000 })
    .toBe(0)
  await p.getByTestId('review').waitFor()
  // The code in the Review section (a diff or a block), coloured by the highlighting worker.
  const code = p.getByTestId('review').locator('[data-highlighted]')
  await expect.poll(() => code.count()).toBeGreaterThan(0)
  await expect
    .poll(() =>
      code.evaluateAll((all) =>
        all.every((el) => (el as HTMLElement).dataset.highlighted === 'true'),
      ),
    )
    .toBe(true)
  await p.evaluate(() => document.fonts.ready.then(() => undefined))
}

describe('the README screenshot', () => {
  it('is the demo dataset with a row selected, at 1440×900 in the light theme', async () => {
    await page.getByTestId('open-demo').click()
    await expect
      .poll(() => page.getByTestId('row-count').textContent(), { timeout: 60_000 })
      .toMatch(/^360 of 360 rows/)
    // Near its left end, as a person clicks a row: a click at the middle of the wide row would
    // scroll the table sideways first.
    await page
      .locator(`[data-testid="row-table"] [data-row-index="${SELECTED_ROW}"]`)
      .click({ position: { x: 40, y: 12 } })
    await expect.poll(() => detailHeading(page).textContent()).toBe(`Row ${SELECTED_ROW + 1}`)
    // No hover highlight on the row under the pointer.
    await page.mouse.move(1439, 899)
    await settled(page)
    await page.screenshot({ path: README_SCREENSHOT })

    const png = await readFile(README_SCREENSHOT)
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1440, 900])
  })
})
