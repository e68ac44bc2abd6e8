/**
 * Near-duplicates in the browser build as a person meets them: code-rlaif's prompts found as 15
 * groups behind the views, a group chosen in the facet, a row's near-duplicates listed with their
 * similarity and diffed, and a reference set of reworded prompts marking exactly their rows.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { selectRow } from '../support/dom'
import { describeRealdata, realPath } from '../support/realdata'

let session: Session
let folder: string
let page: Page

beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-neardup-'))
  page = await session.newPage()
  await page.setViewportSize({ width: 1440, height: 900 })
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

const rowCount = () => page.getByTestId('row-count').textContent()
const facet = () => page.getByTestId('near-duplicates')

describeRealdata('code-rlaif', () => {
  let prompts: string[] = []
  beforeAll(async () => {
    const text = await readFile(realPath('code-rlaif/train.jsonl'), 'utf8')
    prompts = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { prompt: string }).prompt)
  })
  const rowsOf = (chosen: readonly string[]) => prompts.filter((p) => chosen.includes(p)).length

  it('finds 15 groups of prompts and shows the largest', async () => {
    await openFiles(page, realPath('code-rlaif/train.jsonl'))
    await expect
      .poll(() => page.getByTestId('near-duplicates-summary').textContent(), { timeout: 60_000 })
      .toBe('15 groups of prompts · 600 units in them')
    const sizes = [...new Set(prompts)].map((p) => rowsOf([p])).sort((a, b) => b - a)
    await facet().locator('[data-value="1"]').click()
    await expect.poll(rowCount).toContain(`${sizes[0]} of 600 rows`)
    await screenshot(page, 'near-duplicates-facet')
  })

  it('lists a row’s near-duplicates with their similarity, opens and diffs one', async () => {
    await selectRow(page, 0)
    const group = page.getByTestId('near-dup-group-prompt')
    await group.waitFor()
    expect(await group.locator('p').first().textContent()).toMatch(
      /near-duplicate group 1 · \d+ rows/,
    )
    const members = group.locator('.near-dup-member')
    await expect.poll(() => members.count()).toBeGreaterThan(1)
    // Exact repeats of the prompt: similarity 1.
    expect(await members.first().locator('.sim').textContent()).toBe('1.00')
    await group.getByTestId('near-dup-diff').first().click()
    await page.getByTestId('near-dup-code-diff').waitFor()
    await screenshot(page, 'near-duplicates-detail')
    const other = Number(await members.first().getAttribute('data-row'))
    await group.getByTestId('near-dup-open').first().click()
    await expect
      .poll(() => page.getByTestId('row-detail').locator('h2').textContent())
      .toBe(`Row ${other + 1}`)
  })

  it('marks exactly the rows of 5 prompts a reworded reference set holds', async () => {
    await facet().locator('[data-value="all"]').click()
    const chosen = [...new Set(prompts)].slice(0, 5)
    const path = join(folder, 'benchmark.jsonl')
    await writeFile(
      path,
      chosen.map((p) => JSON.stringify({ question: `Please, ${p.toLowerCase()}!` })).join('\n') +
        '\n',
    )
    await page.getByTestId('reference-file-input').setInputFiles(path)
    await expect
      .poll(() => page.getByTestId('reference-summary').textContent(), { timeout: 60_000 })
      .toContain(`${rowsOf(chosen)} units match a row of benchmark.jsonl (5 rows)`)
    await page.getByTestId('reference-set').locator('[data-value="only"]').click()
    await expect.poll(rowCount).toContain(`${rowsOf(chosen)} of 600 rows`)
    await selectRow(page, 0)
    await page.getByTestId('near-dup-ref-prompt').locator('summary').click()
    expect(await page.getByTestId('near-dup-ref-prompt').textContent()).toContain('Please, ')
    await screenshot(page, 'near-duplicates-reference')
    await page.getByTestId('reference-set').locator('[data-value="exclude"]').click()
    await expect.poll(rowCount).toContain(`${600 - rowsOf(chosen)} of 600 rows`)
  })
})
