/**
 * The parse step in the browser build (headless Chromium, `node bench/parse.mjs --browser
 * --rows=1000000`): opens a generated code-rlaif file as a person would, then, while the answers
 * are parsed in the background, clicks a row every few seconds and times until its detail shows;
 * prints the parse time (from the progress line's first showing to its going) and the clicks.
 * Needs `npm run build:web` first.
 */
import { join } from 'node:path'
import { type Page, chromium } from 'playwright-core'
import { serveFolder } from '../scripts/webServer'
import { CHROMIUM_ARGS, chromiumPath } from '../test/support/browser'

/** Time from a click on a table row to its detail's heading naming it, in the page's clock. */
async function clickRow(page: Page, index: number): Promise<number | null> {
  return page.evaluate(async (i) => {
    const line = document.querySelector<HTMLElement>(
      `[data-testid="row-table"] [data-row-index="${i}"]`,
    )
    if (!line) return null
    const heading = () =>
      document.querySelector('[data-testid="row-detail"] h2')?.textContent?.trim() ?? ''
    const before = heading()
    const started = performance.now()
    line.click()
    for (;;) {
      const now = heading()
      if (now !== before && now !== '') return performance.now() - started
      if (performance.now() - started > 60_000) return null
      await new Promise((r) => requestAnimationFrame(r))
    }
  }, index)
}

/** Runs the measurement on `file`; resolves to what it measured. */
export async function measureParseInBrowser(file: string, rows: number): Promise<object> {
  const server = await serveFolder(join(process.cwd(), 'dist', 'web'))
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(server.url)
    const opened = performance.now()
    await page.getByTestId('open-file-input').first().setInputFiles(file)
    await page.getByTestId('row-count').waitFor({ timeout: 30 * 60_000 })
    await page.getByTestId('load-progress').waitFor({ state: 'detached', timeout: 30 * 60_000 })
    const loadMs = performance.now() - opened
    console.log(`loaded in ${Math.round(loadMs / 1000)} s`)
    const progress = page.getByTestId('qa-parsing')
    await progress.waitFor({ timeout: 10 * 60_000 })
    const parseStarted = performance.now()
    const clicks: number[] = []
    let index = 0
    let lastLog = 0
    while ((await progress.count()) > 0) {
      const ms = await clickRow(page, index)
      index = (index + 1) % 20
      if (ms !== null) clicks.push(ms)
      const now = performance.now()
      if (now - lastLog > 30_000) {
        lastLog = now
        const text = (await progress.textContent().catch(() => '')) ?? ''
        console.log(`  ${Math.round((now - parseStarted) / 1000)} s: ${text.replace(/\s+/g, ' ')}`)
      }
      await page.waitForTimeout(3000)
    }
    const parseMs = performance.now() - parseStarted
    await page.screenshot({ path: 'node_modules/.cache/rewardlens-bench/parse-done.png' })
    const idle: number[] = []
    for (let i = 0; i < 6; i++) {
      const ms = await clickRow(page, 20 + i)
      if (ms !== null) idle.push(Math.round(ms))
      await page.waitForTimeout(500)
    }
    const sorted = [...clicks].sort((a, b) => a - b)
    const at = (p: number) => Math.round(sorted[Math.floor(p * (sorted.length - 1))] ?? 0)
    return {
      rows,
      loadMs: Math.round(loadMs),
      parseAndChecksMs: Math.round(parseMs),
      clicks: clicks.length,
      clickMedianMs: at(0.5),
      clickP95Ms: at(0.95),
      clickMaxMs: Math.round(sorted.at(-1) ?? 0),
      clicksAfterParsingMs: idle,
      cores: await page.evaluate(() => navigator.hardwareConcurrency),
    }
  } finally {
    await browser.close()
    await server.close()
  }
}
