/**
 * The browser build opens compressed files and Hugging Face dataset folders: a real .jsonl.gz as its
 * plain copy, a generated 20k-row .jsonl.zst (its open time measured beside the plain copy's), a
 * damaged .gz with a message while the open dataset stays, and a snapshot folder whose splits are
 * offered: one split, then all of them with a `split` column.
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { generatedRow, zstdCommand } from '../support/codeRows'
import { detailField, selectRow } from '../support/dom'
import { itRealdata, realPath } from '../support/realdata'

let session: Session
let folder: string

beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-compressed-'))
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

const rowCount = (page: Page) => page.getByTestId('row-count').textContent()
const statusText = (page: Page) => page.locator('.status-bar').textContent()

describe('compressed files in the browser build', () => {
  itRealdata('the real LeetCode .jsonl.gz shows the rows of its plain copy', async () => {
    const page = await session.newPage()
    const plain = realPath('leetcode/LeetCodeDataset-v0.3.1-test.jsonl')
    await openFiles(page, `${plain}.gz`)
    await expect.poll(() => rowCount(page)).toBe('228 of 228 rows')
    await expect.poll(() => statusText(page)).toMatch(/JSONL \(gzip\)/)
    await selectRow(page, 227)
    await expect.poll(() => detailField(page, 'task_id').textContent()).toMatch(/^[a-z-]+$/)
    const fromGzip = await detailField(page, 'task_id').textContent()
    await openFiles(page, plain)
    await expect
      .poll(() => page.getByTestId('dataset-name').textContent())
      .toBe('LeetCodeDataset-v0.3.1-test.jsonl')
    await selectRow(page, 227)
    await expect.poll(() => detailField(page, 'task_id').textContent()).toBe(fromGzip)
    await page.context().close()
  })

  it('a 20k-row .jsonl.zst opens like its plain copy (open times measured)', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => generatedRow(i)).join('\n') + '\n'
    const plain = join(folder, 'generated.jsonl')
    await writeFile(plain, text)
    execFileSync(zstdCommand(), ['-q', '-f', '-3', plain, '-o', `${plain}.zst`])
    // Each file in a page of its own, so one open does not share the engine with the checks
    // that run after the other.
    const seconds = async (file: string) => {
      const page = await session.newPage()
      await openFiles(page, file)
      await expect.poll(() => rowCount(page)).toBe('20,000 of 20,000 rows')
      return { page, loaded: /loaded in ([\d.]+) s/.exec((await statusText(page)) ?? '')?.[1] }
    }
    const plainOpen = await seconds(plain)
    await plainOpen.page.context().close()
    const { page, loaded } = await seconds(`${plain}.zst`)
    await expect.poll(() => statusText(page)).toMatch(/JSONL \(Zstandard\)/)
    await selectRow(page, 19_999)
    await expect.poll(() => detailField(page, 'id').textContent()).toBe('task-19999')
    console.log(
      `[measure] browser build, 20k rows (${(text.length / 1e6).toFixed(1)} MB of JSON Lines): ` +
        `.jsonl loaded in ${plainOpen.loaded} s, .jsonl.zst in ${loaded} s`,
    )
    await page.context().close()
  })

  it('a .json.gz array whose columns change far down opens whole (two passes in the worker)', async () => {
    const rows = Array.from({ length: 6000 }, (_, i) =>
      JSON.stringify(i < 5000 ? { id: i } : { id: i, late: `added at ${i}` }),
    )
    const file = join(folder, 'drift.json.gz')
    await writeFile(file, gzipSync(`[\n${rows.join(',\n')}\n]\n`))
    const page = await session.newPage()
    await openFiles(page, file)
    await expect.poll(() => rowCount(page)).toBe('6,000 of 6,000 rows')
    await selectRow(page, 5999)
    await expect.poll(() => detailField(page, 'late').textContent()).toBe('added at 5999')
    await page.context().close()
  })

  it('a truncated .gz says where it ends, and the dataset open before stays open', async () => {
    const page = await session.newPage()
    const good = join(folder, 'good.jsonl')
    const rows = Array.from({ length: 200 }, (_, i) => generatedRow(i)).join('\n') + '\n'
    await writeFile(good, rows)
    await openFiles(page, good)
    await expect.poll(() => rowCount(page)).toBe('200 of 200 rows')
    const gz = gzipSync(rows)
    const cut = join(folder, 'cut.jsonl.gz')
    await writeFile(cut, gz.subarray(0, Math.floor(gz.length / 2)))
    await openFiles(page, cut)
    await expect
      .poll(() => page.getByTestId('load-error').textContent())
      .toMatch(/cut\.jsonl\.gz ends before its gzip data does: the file stops at byte [\d,]+/)
    expect(await page.getByTestId('dataset-name').textContent()).toBe('good.jsonl')
    expect(await rowCount(page)).toBe('200 of 200 rows')
    await screenshot(page, 'compressed-truncated-gz')
    await page.context().close()
  })
})

/** Writes an HF-style snapshot: README, two train shards and a test shard of Parquet. */
async function writeSnapshot(root: string): Promise<void> {
  const data = join(root, 'data')
  await mkdir(data, { recursive: true })
  await writeFile(join(root, 'README.md'), '---\nlicense: mit\n---\n# A code-RL dataset\n')
  await writeFile(join(root, '.gitattributes'), '*.parquet filter=lfs\n')
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const shards: [string, number, number][] = [
    ['train-00000-of-00002.parquet', 0, 600],
    ['train-00001-of-00002.parquet', 600, 600],
    ['test-00000-of-00001.parquet', 5000, 300],
  ]
  for (const [name, first, rows] of shards) {
    await connection.run(`COPY (SELECT 'task-' || i AS task_id, 'Write solve_' || i || '(xs).' AS prompt,
        'def solve_' || i || '(xs):\n    return sum(xs) * ' || i AS solution, (i % 10) / 10.0 AS reward
      FROM range(${first}, ${first + rows}) t(i)) TO '${join(data, name)}' (FORMAT parquet)`)
  }
  connection.closeSync()
  instance.closeSync()
}

describe('a Hugging Face dataset folder in the browser build', () => {
  it('offers its splits: one opens alone, all open with a split column', async () => {
    const root = join(folder, 'code-rl-snapshot')
    await writeSnapshot(root)
    const page = await session.newPage()
    const chooser = page.getByTestId('split-chooser')

    await page.getByTestId('open-folder-input').setInputFiles(root)
    await chooser.waitFor()
    const options = chooser.locator('.split-option')
    await expect
      .poll(() => options.allTextContents())
      .toEqual([
        expect.stringMatching(/^train\s*2 files · /),
        expect.stringMatching(/^test\s*1 file · /),
        expect.stringMatching(/^All splits\s*3 files · .* a split column says which$/),
      ])
    await screenshot(page, 'split-chooser')
    await chooser.locator('[data-split="test"]').click()
    await expect.poll(() => rowCount(page), { timeout: 60_000 }).toBe('300 of 300 rows')
    expect(await page.getByTestId('dataset-name').textContent()).toBe('code-rl-snapshot · test')
    expect(await chooser.count()).toBe(0)

    // Cancel keeps the open split.
    await page.getByTestId('open-folder-input').setInputFiles(root)
    await chooser.waitFor()
    await chooser.getByRole('button', { name: 'Cancel' }).click()
    expect(await chooser.count()).toBe(0)
    expect(await rowCount(page)).toBe('300 of 300 rows')

    await page.getByTestId('open-folder-input').setInputFiles(root)
    await chooser.locator('[data-split="all"]').click()
    await expect.poll(() => rowCount(page), { timeout: 60_000 }).toBe('1,500 of 1,500 rows')
    expect(await page.getByTestId('dataset-name').textContent()).toBe('code-rl-snapshot')
    await selectRow(page, 0)
    await expect.poll(() => detailField(page, 'split').textContent()).toMatch(/train/)
    await selectRow(page, 1200)
    await expect.poll(() => detailField(page, 'split').textContent()).toMatch(/test/)
    await screenshot(page, 'split-all')
    await page.context().close()
  })

  it('dropping the folder on the window walks into data/ and offers the same splits', async () => {
    const root = join(folder, 'dropped-snapshot')
    await writeSnapshot(root)
    const page = await session.newPage()
    // A real drag of the folder from the file manager, as Chromium's DevTools protocol makes it.
    const cdp = await page.context().newCDPSession(page)
    const data = { items: [], files: [root], dragOperationsMask: 1 }
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
      await cdp.send('Input.dispatchDragEvent', { type, x: 400, y: 300, data })
    }
    const chooser = page.getByTestId('split-chooser')
    await chooser.waitFor()
    expect(await chooser.locator('.split-option').allTextContents()).toEqual([
      expect.stringMatching(/^train\s*2 files · /),
      expect.stringMatching(/^test\s*1 file · /),
      expect.stringMatching(/^All splits\s*3 files · /),
    ])
    await chooser.locator('[data-split="train"]').click()
    await expect.poll(() => rowCount(page), { timeout: 60_000 }).toBe('1,200 of 1,200 rows')
    expect(await page.getByTestId('dataset-name').textContent()).toBe('dropped-snapshot · train')
    await page.context().close()
  })
})
