/**
 * The browser build keeps its DuckDB database in the browser's private storage (OPFS), so a
 * dataset's blocks can leave memory; each window has its own database, and a window that starts
 * removes the ones of windows that closed, so the storage does not fill up with old datasets.
 * These run in a browser with a profile on disk, as a person's is.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { WEB_BUILD, launchWithProfile, openFiles, screenshot } from '../support/browser'
import { describeRealdata, realPath } from '../support/realdata'
import { type StaticServer, serveFolder } from '../../scripts/webServer'

const FILE = realPath('code-rlaif/train_head_prompt_language_only.jsonl')

let server: StaticServer
let context: BrowserContext
beforeAll(async () => {
  server = await serveFolder(WEB_BUILD)
  context = await launchWithProfile()
})
afterAll(async () => {
  await context?.close()
  await server?.close()
})

/** The app's database files in the page's storage, with their sizes, by name. */
function storedDatabases(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const out: Record<string, number> = {}
    const root = await navigator.storage.getDirectory()
    for await (const [name, handle] of root as unknown as AsyncIterable<
      [string, FileSystemHandle]
    >) {
      if (name.startsWith('rewardlens-') && handle.kind === 'file') {
        out[name] = (await (handle as FileSystemFileHandle).getFile()).size
      }
    }
    return out
  })
}

async function openApp(page: Page): Promise<void> {
  await page.goto(server.url)
  await openFiles(page, FILE)
  await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('1,000 of 1,000 rows')
}

describeRealdata('the database in the browser storage', () => {
  it('holds the open dataset, one database per window, and old windows’ are removed', async () => {
    const first = context.pages()[0] ?? (await context.newPage())
    await openApp(first)
    const own = await storedDatabases(first)
    const names = Object.keys(own)
    expect(names).toHaveLength(2)
    const database = names.find((n) => n.endsWith('.duckdb'))!
    expect(names).toContain(`${database}.wal`)
    // The dataset is in the database's file or its log: 1,000 prompts (363 KB of JSON Lines).
    expect(own[database]! + own[`${database}.wal`]!).toBeGreaterThan(100_000)

    const second = await context.newPage()
    await openApp(second)
    const both = Object.keys(await storedDatabases(second)).filter((n) => n.endsWith('.duckdb'))
    expect(both).toHaveLength(2)
    expect(both).toContain(database)

    // The first window closes; the next window to start removes its database, keeps the open one.
    await first.close()
    const third = await context.newPage()
    await openApp(third)
    const after = Object.keys(await storedDatabases(third)).filter((n) => n.endsWith('.duckdb'))
    expect(after).toHaveLength(2)
    expect(after).not.toContain(database)
    expect(after.filter((n) => both.includes(n))).toHaveLength(1)
    // The second window still works on its own database.
    await second.locator('[data-testid="row-table"] [data-row-index="0"]').click()
    await second.getByTestId('row-detail').locator('.field').first().waitFor()
    await screenshot(second, 'storage-second-window')
  })
})
