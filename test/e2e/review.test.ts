/**
 * The Review section's pair: alternatives (preference pairs, completions) in neutral A/B colours
 * with the chosen side named, versions (student → teacher) as removed/added; the B side of a group
 * never the A unit itself by default; a prose answer left without code colours.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { selectRow } from '../support/dom'
import { codeSide, review } from '../support/profileUi'
import { describeRealdata, itRealdata, realPath } from '../support/realdata'

const RLAIF = realPath('code-rlaif/train.jsonl')
const ACECODE = realPath('acecode-87k/acecode_sample.jsonl')
const VIZHUB = realPath('vizhub-rlhf/training-dataset-v1.0.jsonl')

let session: Session
let folder: string

beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-review-'))
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

async function writeJsonl(name: string, rows: readonly object[]): Promise<string> {
  const file = join(folder, name)
  await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  return file
}

const diff = (page: Page) => review(page).getByTestId('code-diff')

/** The background of the first changed line drawn in a pane of the split view. */
function changedBackground(page: Page, side: 'a' | 'b'): Promise<string> {
  return review(page)
    .getByTestId(`diff-pane-${side}`)
    .locator('.diff-line:is(.diff-removed, .diff-added, .diff-changed)')
    .first()
    .evaluate((line) => getComputedStyle(line).backgroundColor)
}

/** The colours of the drawn tokens of one pane, once both sides are highlighted. */
async function paneColours(page: Page, side: 'a' | 'b'): Promise<string[]> {
  await expect.poll(() => diff(page).getAttribute('data-highlighted')).toBe('true')
  const colours = await review(page)
    .getByTestId(`diff-pane-${side}`)
    .locator('.diff-text span[style], .diff-text mark[style]')
    .evaluateAll((spans) => spans.map((s) => (s as HTMLElement).style.color))
  return colours.filter(Boolean)
}

// The palettes of styles.css: red/green for versions, blue/orange (safe for colour-blind readers) for alternatives.
const RED = { light: 'rgb(255, 235, 233)', dark: 'rgb(58, 29, 31)' }
const GREEN = { light: 'rgb(230, 255, 236)', dark: 'rgb(23, 48, 36)' }
const SIDE_A = { light: 'rgb(221, 235, 251)', dark: 'rgb(22, 43, 71)' }
const SIDE_B = { light: 'rgb(253, 236, 209)', dark: 'rgb(61, 41, 14)' }

describeRealdata('which way a pair reads', () => {
  it('shows a preference pair as two alternatives in neutral colours, the chosen side named', async () => {
    const page = await session.newPage({ width: 1600 })
    await openFiles(page, VIZHUB)
    expect(await page.getByTestId('profile-family').textContent()).toBe('preference-pairs')
    await selectRow(page, 0)
    await page.getByTestId('detail-wide').click()
    await expect.poll(() => diff(page).getAttribute('data-reading')).toBe('alternatives')
    expect(await changedBackground(page, 'a')).toBe(SIDE_A.light)
    expect(await changedBackground(page, 'b')).toBe(SIDE_B.light)
    expect(await codeSide(page, 'a').getByTestId('diff-chosen').textContent()).toContain(
      'preferred',
    )
    expect(await codeSide(page, 'b').getByTestId('diff-chosen').count()).toBe(0)
    await screenshot(page, 'review-preference-light')
    await page.getByTestId('diff-mode-unified').click()
    await review(page).getByTestId('diff-pane-unified').waitFor()
    const signs = await review(page)
      .getByTestId('diff-pane-unified')
      .locator('.diff-sign')
      .allTextContents()
    expect(signs).toContain('A')
    expect(signs).toContain('B')
    expect(signs).not.toContain('−')
    await page.getByTestId('theme-select').selectOption('dark')
    await screenshot(page, 'review-preference-unified-dark')
    await page.getByTestId('diff-mode-split').click()
    await expect.poll(() => changedBackground(page, 'a')).toBe(SIDE_A.dark)
    expect(await changedBackground(page, 'b')).toBe(SIDE_B.dark)
    await screenshot(page, 'review-preference-dark')
    await page.getByTestId('theme-select').selectOption('light')
    await page.context().close()
  })

  it('keeps removed and added for a student against its teacher', async () => {
    const page = await session.newPage({ width: 1600 })
    await openFiles(page, RLAIF)
    await selectRow(page, 0)
    await expect.poll(() => diff(page).getAttribute('data-reading')).toBe('versions')
    expect(await changedBackground(page, 'a')).toBe(RED.light)
    expect(await changedBackground(page, 'b')).toBe(GREEN.light)
    expect(await review(page).getByTestId('diff-chosen').count()).toBe(0)
    await page.getByTestId('diff-mode-unified').click()
    const signs = await review(page)
      .getByTestId('diff-pane-unified')
      .locator('.diff-sign')
      .allTextContents()
    expect(signs).toContain('−')
    expect(signs).toContain('+')
    await page.getByTestId('diff-mode-split').click()
    await page.context().close()
  })
})

/** The unit a side shows: its label ends with the unit's number (`completion #7`). */
async function unitOf(page: Page, side: 'a' | 'b'): Promise<string> {
  return (await codeSide(page, side).locator('strong').textContent())?.replace(/^.*#/, '') ?? ''
}

describe('the B side of a group', () => {
  itRealdata('never compares an acecode completion with itself by default', async () => {
    const page = await session.newPage({ width: 1600 })
    await openFiles(page, ACECODE)
    await selectRow(page, 0)
    await review(page).getByTestId('unit-picker').waitFor()
    expect(await unitOf(page, 'a')).not.toBe(await unitOf(page, 'b'))
    // A set to the unit B showed: B moves to another one.
    const worst = await unitOf(page, 'b')
    await review(page)
      .getByTestId('unit-picker')
      .selectOption({ index: Number(worst) - 1 })
    await expect.poll(() => unitOf(page, 'a')).toBe(worst)
    expect(await unitOf(page, 'b')).not.toBe(worst)
    expect(await review(page).getByTestId('diff-stats').textContent()).not.toContain('identical')
    await screenshot(page, 'review-acecode-pair')
    await page.context().close()
  })

  it('picks another unit for B when one completion is uniquely best or all tie', async () => {
    const completion = (n: number) => `\ndef add(a, b):\n    return a + b + ${n}\n`
    const file = await writeJsonl('groups.jsonl', [
      {
        id: 'only-one-scored',
        question: 'Add two numbers',
        inferences: [1, 2, 3].map((n, i) => ({
          completion: completion(n),
          completion_id: i,
          model_name: 'm',
          pass_rate: i === 0 ? 1.0 : null,
        })),
      },
      {
        id: 'all-tie',
        question: 'Add two numbers',
        inferences: [1, 2, 3].map((n, i) => ({
          completion: completion(n),
          completion_id: i,
          model_name: 'm',
          pass_rate: 0.5,
        })),
      },
    ])
    const page = await session.newPage({ width: 1600 })
    await openFiles(page, file)
    expect(await page.getByTestId('profile-family').textContent()).toBe('acecode')
    for (const row of [0, 1]) {
      await selectRow(page, row)
      await review(page).getByTestId('unit-picker-b').waitFor()
      expect(await unitOf(page, 'a')).toBe('1')
      expect(await unitOf(page, 'b')).not.toBe('1')
      expect(await review(page).getByTestId('diff-stats').textContent()).not.toContain('identical')
    }
    await page.context().close()
  })
})

describe('prose answers', () => {
  it('colours the code answer and leaves the prose answer plain', async () => {
    const file = await writeJsonl('prose.jsonl', [
      {
        prompt: 'Is 3 in the list?',
        language: 'python',
        chosen: '```python\ndef contains(xs, x):\n    return x in xs\n```',
        rejected:
          'It is not possible to say whether it is in the list.\nThe answer is in the question, and it is not code.',
      },
    ])
    const page = await session.newPage({ width: 1600 })
    await openFiles(page, file)
    expect(await page.getByTestId('profile-family').textContent()).toBe('preference-pairs')
    await selectRow(page, 0)
    await page.getByTestId('detail-wide').click()
    expect((await paneColours(page, 'a')).length).toBeGreaterThan(0)
    expect(await paneColours(page, 'b')).toEqual([])
    await screenshot(page, 'review-prose-light')
    await page.context().close()
  })
})
