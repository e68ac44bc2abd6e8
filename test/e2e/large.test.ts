import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { writeRlaifJsonl } from '../support/generateFile'
import { sampleSessionPeak } from '../support/memory'

let session: Session
let folder: string
beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-large-'))
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

describe('a 100k-row generated JSONL (~200 MB, ~1 KB code strings)', () => {
  it('opens, shows all rows, scrolls to the end and reads the last row', async () => {
    const path = join(folder, 'rlaif-100k.jsonl')
    const bytes = await writeRlaifJsonl(path, 100_000, { seed: 11, codeChars: 1000 })
    expect(bytes).toBeGreaterThan(150e6)

    const page = await session.newPage()
    // Let the engine finish starting, as it does while a person picks a file.
    await page.waitForFunction(() => document.querySelector('[data-testid="open-demo"]') !== null)
    await page.waitForTimeout(4000)
    const baseline = await sampleSessionPeak(session.marker).stop()
    const memory = sampleSessionPeak(session.marker)
    const started = Date.now()
    await openFiles(page, path)
    await page
      .locator('[data-testid="row-table"] [data-row-index="0"] .cell-text')
      .first()
      .waitFor()
    const firstPageMs = Date.now() - started
    await expect
      .poll(() => page.getByTestId('row-count').textContent())
      .toBe('100,000 of 100,000 rows')

    await page.getByTestId('row-table').focus()
    await page.keyboard.press('End')
    await page.locator('[data-row-index="99999"][aria-selected="true"]').waitFor()
    await expect
      .poll(() => page.getByTestId('row-detail').locator('h2').textContent())
      .toBe('Row 100,000')

    const peak = await memory.stop()
    const status = await page.locator('.status-bar').textContent()
    // Figures for the closing note and the benchmark; no assertion on time (the machines are noisy).
    console.log(
      `[measure] 100k rows, ${(bytes / 1e6).toFixed(0)} MB: first table page after ${firstPageMs} ms; ` +
        `browser memory (all its processes) ${(baseline / 1e6).toFixed(0)} MB before, ` +
        `${(peak / 1e6).toFixed(0)} MB at peak; status bar: ${status}`,
    )
    await screenshot(page, 'large-100k')
    await page.context().close()
  })
})
