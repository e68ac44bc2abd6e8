/**
 * The Review section's pair: the B side of a group is never the A unit itself by default.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { selectRow } from '../support/dom'
import { codeSide, review } from '../support/profileUi'
import { realPath } from '../support/realdata'

const ACECODE = realPath('acecode-87k/acecode_sample.jsonl')

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

/** The unit a side shows: its label ends with the unit's number (`completion #7`). */
async function unitOf(page: Page, side: 'a' | 'b'): Promise<string> {
  return (await codeSide(page, side).locator('strong').textContent())?.replace(/^.*#/, '') ?? ''
}

describe('the B side of a group', () => {
  it('never compares an acecode completion with itself by default', async () => {
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
