import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type BadInput,
  binaryFile,
  emptyFile,
  jsonlWithBadLines,
  latin1File,
  truncatedParquet,
  unknownExtension,
  utf16File,
  validParquet,
  whitespaceOnly,
} from '../fixtures/badInputs'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { itRealdata, realPath } from '../support/realdata'

let session: Session
let folder: string
let page: Page

beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-bad-'))
  page = await session.newPage()
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

async function write(input: BadInput): Promise<string> {
  const path = join(folder, input.name)
  await writeFile(path, input.bytes)
  return path
}

const cases: readonly { input: () => BadInput; message: RegExp }[] = [
  { input: emptyFile, message: /empty\.jsonl is empty \(0 bytes\)/ },
  { input: whitespaceOnly, message: /blank\.jsonl holds no rows/ },
  { input: binaryFile, message: /binary file/ },
  { input: utf16File, message: /UTF-16.*UTF-8/ },
  { input: latin1File, message: /No rows could be read.*Line 1: not valid UTF-8/ },
  { input: unknownExtension, message: /cannot open \.xlsx files/ },
  { input: truncatedParquet, message: /not a complete Parquet file/ },
]

describe('files that cannot be opened', () => {
  it.each(cases)('says why in the window: $message', async ({ input, message }) => {
    await openFiles(page, await write(input()))
    await expect.poll(() => page.getByTestId('load-error').textContent()).toMatch(message)
    await expect.poll(() => page.getByTestId('row-table').count()).toBe(0)
  })

  itRealdata('keeps the open dataset when the next file fails', async () => {
    await openFiles(page, realPath('vizhub-rlhf/training-dataset-v1.0.jsonl'))
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('9 of 9 rows')
    await openFiles(page, await write(binaryFile()))
    await expect.poll(() => page.getByTestId('load-error').textContent()).toMatch(/binary file/)
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('9 of 9 rows')
    await screenshot(page, 'load-error-over-dataset')
    await page.getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => page.getByTestId('load-error').count()).toBe(0)
  })
})

describe('files with some bad records', () => {
  it('loads the good lines and lists the skipped ones with their line numbers', async () => {
    await openFiles(page, await write(jsonlWithBadLines()))
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('8 of 8 rows')
    await expect.poll(() => page.getByTestId('skipped-count').textContent()).toBe('2 lines skipped')
    await page.getByTestId('skipped-count').click()
    const items = page.getByTestId('skipped-list').locator('li')
    await expect
      .poll(() => items.allTextContents())
      .toEqual([
        expect.stringMatching(/^line 3: not valid JSON/),
        expect.stringMatching(/^line 7: not valid JSON/),
      ])
    await screenshot(page, 'skipped-lines')
  })
})

describe('Parquet with nested columns', () => {
  it('opens and shows list and struct values in the detail pane', async () => {
    await openFiles(page, await write(validParquet()))
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('50 of 50 rows')
    await page.locator('[data-testid="row-table"] [data-row-index="2"]').click()
    const detail = page.getByTestId('row-detail')
    await expect
      .poll(() => detail.locator('[data-field="inferences"] .field-type').textContent())
      .toBe('list')
    await expect
      .poll(() => detail.locator('[data-field="inferences"] .tree-toggle').first().textContent())
      .toMatch(/list of \d+/)
    await screenshot(page, 'parquet-nested')
  })
})
