import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { REAL_FILES, describeRealdata, realPath } from '../support/realdata'

let session: Session
beforeAll(async () => {
  session = await startSession()
})
afterAll(async () => {
  await session?.close()
})

describeRealdata('opening the real data samples in the browser build', () => {
  it.each(REAL_FILES)('shows $rows rows for $path', async ({ path, rows }) => {
    const page = await session.newPage()
    await openFiles(page, realPath(path))
    await expect.poll(() => page.getByTestId('load-error').count()).toBe(0)
    const name = path.split('/').pop()!
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe(name)
    const n = rows.toLocaleString('en-US')
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe(`${n} of ${n} rows`)
    // The browser build's engine; the desktop app's is native DuckDB.
    expect(await page.getByTestId('engine-name').textContent()).toBe('DuckDB-WASM')
    await page.locator('[data-testid="row-table"] [data-row-index="0"]').click()
    await page.getByTestId('row-detail').locator('.field').first().waitFor()
    await screenshot(page, `open-${name.replace(/\W+/g, '-')}`)
    await page.context().close()
  })
})
