/**
 * Comparing two files in the browser build as a person would: a generated code-rlaif-shaped file
 * against a version with rows removed, added and rewards changed (the fixture knows which); and
 * code-rlaif against itself, where neither the prompt nor (prompt, code) is a key.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Download, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { comparePair } from '../fixtures/compare'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { selectRow } from '../support/dom'
import { describeRealdata, realPath } from '../support/realdata'

let session: Session
let folder: string
let page: Page
const downloads: Download[] = []

beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-compare-'))
  page = await session.newPage()
  page.on('download', (download) => downloads.push(download))
  await page.setViewportSize({ width: 1440, height: 900 })
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

const summary = () => page.getByTestId('compare-summary')

/** Opens `path` as B beside the open file and waits for the pairs. */
async function compareWith(path: string): Promise<void> {
  const input = page.getByTestId('compare-file-input')
  // The button waits for the open file's roles, as a person would see it enabled.
  await expect.poll(() => input.isEnabled(), { timeout: 60_000 }).toBe(true)
  await input.setInputFiles(path)
  await page.getByTestId('compare-panel').waitFor()
}

describe('a new version of a file: 60 rows removed, 40 added, 100 rewards changed', () => {
  const pair = comparePair()
  const v1 = () => join(folder, 'train-v1.jsonl')

  it('pairs the rows on id and counts them', async () => {
    await writeFile(v1(), `${pair.a.join('\n')}\n`)
    await writeFile(join(folder, 'train-v2.jsonl'), `${pair.b.join('\n')}\n`)
    await openFiles(page, v1())
    await expect.poll(() => page.getByTestId('row-count').textContent()).toContain('1,000')
    await compareWith(join(folder, 'train-v2.jsonl'))
    await expect
      .poll(() => summary().textContent(), { timeout: 60_000 })
      .toBe('940 in both · 60 A only · 40 B only · 100 changed')
    expect(await page.getByTestId('compare-key').locator('option:checked').textContent()).toBe('id')
    await expect
      .poll(() => page.getByTestId('compare-scatter').getAttribute('data-points'))
      .toBe('940')
    await screenshot(page, 'compare-summary')
  })

  it('shows exactly the 100 changed rows under "Changed", and a row beside its B version', async () => {
    await page.getByTestId('compare-facet').locator('[data-value="changed"]').click()
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('100 of 1,000 rows')
    await selectRow(page, 0)
    const compared = page.getByTestId('compared-row')
    await compared.getByTestId('compared-fields').waitFor()
    const differs = await compared
      .locator('tr[data-differs="true"]')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.field))
    expect(differs).toEqual(['reward'])
    await compared.getByTestId('compare-diff').scrollIntoViewIfNeeded()
    await screenshot(page, 'compare-row-diff')
  })

  it('exports the changed rows, each line the file’s own', async () => {
    const before = downloads.length
    await page.getByTestId('export-button').click()
    const dialog = page.getByTestId('export-dialog')
    await expect
      .poll(() => dialog.getByTestId('export-summary').textContent())
      .toBe('100 rows of 1,000, filter: compared: changed in B')
    await dialog.getByTestId('export-start').click()
    await expect.poll(() => downloads.length - before, { timeout: 60_000 }).toBe(2)
    const isMeta = (d: Download) => d.suggestedFilename().endsWith('.meta.json')
    const data = downloads.slice(before).find((d) => !isMeta(d))
    const file = await readFile(await data!.path())
    // The record names and hashes both files, and the key that paired them.
    const meta = JSON.parse(
      (await readFile(await downloads.slice(before).find(isMeta)!.path())).toString('utf8'),
    ) as { compared_with: { name: string; key: string; files: { sha256: string }[] } }
    const v2 = await readFile(join(folder, 'train-v2.jsonl'))
    expect(meta.compared_with).toMatchObject({
      name: 'train-v2.jsonl',
      key: 'id',
      files: [{ sha256: createHash('sha256').update(v2).digest('hex') }],
    })
    const expected = pair.a.filter((line) =>
      pair.changed.has((JSON.parse(line) as { id: string }).id),
    )
    expect(file.equals(Buffer.from(`${expected.join('\n')}\n`))).toBe(true)
    await page.keyboard.press('Escape')
  })

  it('exports B’s versions of the changed rows', async () => {
    const before = downloads.length
    await page.getByTestId('export-button').click()
    const dialog = page.getByTestId('export-dialog')
    await dialog.getByTestId('export-side').locator('input[value="B"]').check()
    await expect
      .poll(() => dialog.getByTestId('export-summary').textContent())
      .toBe('100 rows of 980, filter: compared: changed in B')
    await screenshot(page, 'compare-export-b')
    await dialog.getByTestId('export-start').click()
    await expect.poll(() => downloads.length - before, { timeout: 60_000 }).toBe(2)
    const data = downloads.slice(before).find((d) => !d.suggestedFilename().endsWith('.meta.json'))
    expect(data!.suggestedFilename()).toBe('train-v2.filtered.jsonl')
    const file = await readFile(await data!.path())
    const expected = pair.b.filter((line) =>
      pair.changed.has((JSON.parse(line) as { id: string }).id),
    )
    expect(file.equals(Buffer.from(`${expected.join('\n')}\n`))).toBe(true)
    await page.keyboard.press('Escape')
  })

  it('lists the rows only in B, and filters by the change of the reward', async () => {
    await page.getByTestId('compare-facet').locator('[data-value="b-only"]').click()
    const onlyB = page.getByTestId('compare-only-b')
    await expect.poll(() => onlyB.locator('tbody tr').count()).toBe(40)
    await page.getByTestId('compare-facet').locator('[data-value="all"]').click()
    await page.getByTestId('score-filter-__rl_delta_reward').waitFor()
    await screenshot(page, 'compare-delta')
  })

  it('edits B’s roles: another reward column for B pairs again and counts more changes', async () => {
    await page.getByTestId('compare-b-roles').click()
    const editor = page.getByTestId('compare-b-roles-editor')
    await editor.locator('[data-role="reward"]').selectOption({ label: 'student_score' })
    const changedCount = async () =>
      Number(
        /^940 in both · 60 A only · 40 B only · (\d+) changed$/.exec(
          (await summary().textContent()) ?? '',
        )?.[1],
      )
    await expect.poll(changedCount, { timeout: 60_000 }).not.toBe(100)
    const changed = await changedCount()
    expect(changed).toBeGreaterThan(100)
    expect(await editor.getByTestId('profile-origin').textContent()).toMatch(/edit|chose/i)
    await screenshot(page, 'compare-b-roles')
    await editor.getByRole('button', { name: 'Reset to detected' }).click()
    await expect
      .poll(() => summary().textContent(), { timeout: 60_000 })
      .toBe('940 in both · 60 A only · 40 B only · 100 changed')
    await editor.getByRole('button', { name: 'Close' }).click()
    expect(await editor.count()).toBe(0)
  })
})

describeRealdata('code-rlaif against itself', () => {
  it('says neither the prompt nor (prompt, code) is a key, with the counts, and offers timestamp', async () => {
    await openFiles(page, realPath('code-rlaif/train.jsonl'))
    await compareWith(realPath('code-rlaif/train.jsonl'))
    const warning = page.getByTestId('compare-key-warning')
    await expect
      .poll(() => warning.textContent(), { timeout: 60_000 })
      .toContain('600 of its 600 units share 15 values with other rows')
    expect(await page.getByTestId('compare-same-file').isVisible()).toBe(true)
    await screenshot(page, 'compare-not-a-key')
    await warning.locator('[data-testid="compare-key-offer"][data-column="timestamp"]').click()
    await expect
      .poll(() => summary().textContent(), { timeout: 60_000 })
      .toBe('600 in both · 0 A only · 0 B only · 0 changed')
    expect(await page.getByTestId('compare-key-warning').count()).toBe(0)
  })
})

describeRealdata('the vizhub preference export against its results table', () => {
  it('joins on two fields of each file picked in the editor: (challenge, model)', async () => {
    await openFiles(page, realPath('vizhub-rlhf/training-dataset-v1.0.jsonl'))
    await compareWith(realPath('vizhub-rlhf/results.csv'))
    await page.getByTestId('compare-no-key').or(page.getByTestId('compare-key')).first().waitFor()
    await page.getByTestId('compare-key').selectOption('pick')
    const pairs = page.getByTestId('compare-key-pair')
    await pairs.nth(0).getByTestId('compare-key-field-a').selectOption('["metadata","challenge"]')
    await pairs.nth(0).getByTestId('compare-key-field-b').selectOption('["challenge"]')
    await page.getByTestId('compare-key-add').click()
    await pairs
      .nth(1)
      .getByTestId('compare-key-field-a')
      .selectOption('["metadata","rejected_model"]')
    await pairs.nth(1).getByTestId('compare-key-field-b').selectOption('["model"]')
    await page.getByTestId('compare-key-apply').click()
    await expect
      .poll(() => summary().textContent(), { timeout: 60_000 })
      .toContain('9 in both · 0 A only · 81 B only')
    // Paired now: the notice asking for a key is gone.
    expect(await page.getByTestId('compare-no-key').count()).toBe(0)
    await screenshot(page, 'compare-two-field-key')
  })
})
