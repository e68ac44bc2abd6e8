/**
 * The crash screen, driven through real uncaught errors in the page: an exception thrown from a
 * timer and a promise rejection nobody handles, which reach the window's own `error` and
 * `unhandledrejection` events exactly as a bug in the app would.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, screenshot, startSession } from '../support/browser'

let session: Session
let page: Page

beforeAll(async () => {
  session = await startSession()
  page = await session.newPage()
})
afterAll(async () => {
  await session?.close()
})

const crashScreen = () => page.getByTestId('crash-screen')
const crashShown = () => crashScreen().count()

async function openDemo(): Promise<void> {
  await page.getByTestId('open-demo').click()
  await page.getByTestId('row-count').waitFor({ timeout: 120_000 })
}

describe('the crash screen', () => {
  it('stays away while the app is used normally', async () => {
    await openDemo()
    await page.locator('[data-testid="row-table"] [data-row-index="0"]').click()
    await page.getByTestId('row-detail').waitFor()
    expect(await crashShown()).toBe(0)
  })

  it('shows an error thrown outside React with its message, and Try again keeps the dataset', async () => {
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('The reward column exploded')
      })
    })
    await crashScreen().waitFor()
    expect(await page.getByTestId('crash-message').textContent()).toBe('The reward column exploded')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Try again')
    await screenshot(page, 'crash-screen')

    await page.getByRole('button', { name: 'Try again' }).click()
    expect(await crashShown()).toBe(0)
    expect(await page.getByTestId('dataset-name').textContent()).toBe('code-rlaif-demo.jsonl')
    expect(await page.getByTestId('row-count').textContent()).toMatch(/^360 of 360 rows/)
  })

  it('shows a promise rejection nobody handled', async () => {
    await page.evaluate(() => {
      void Promise.reject(new TypeError('Cannot read the scores of undefined'))
    })
    await crashScreen().waitFor()
    expect(await page.getByTestId('crash-message').textContent()).toBe(
      'Cannot read the scores of undefined',
    )
    await page.getByRole('button', { name: 'Try again' }).click()
    expect(await crashShown()).toBe(0)
  })

  it('shows the first error when several arrive together', async () => {
    await page.evaluate(() => {
      void Promise.reject(new Error('first'))
      void Promise.reject(new Error('second, because of the first'))
    })
    await crashScreen().waitFor()
    expect(await page.getByTestId('crash-message').textContent()).toBe('first')
    await page.getByRole('button', { name: 'Try again' }).click()
  })

  it("ignores Chromium's ResizeObserver notice and cancelled requests", async () => {
    await page.evaluate(async () => {
      window.dispatchEvent(
        new ErrorEvent('error', {
          message: 'ResizeObserver loop completed with undelivered notifications.',
        }),
      )
      void Promise.reject(new DOMException('The user aborted a request.', 'AbortError'))
      await new Promise((resolve) => setTimeout(resolve, 100))
    })
    expect(await crashShown()).toBe(0)
  })

  it('remembers the open dataset for a reload, and forgets it when closed', async () => {
    const remembered = () =>
      page.evaluate(() => sessionStorage.getItem('rewardlens.session.openPath'))
    expect(await remembered()).toBe('code-rlaif-demo.jsonl')
    await page.getByRole('button', { name: 'Close' }).click()
    await expect.poll(remembered).toBeNull()
    await openDemo()
    expect(await remembered()).toBe('code-rlaif-demo.jsonl')
  })

  it('says in the browser that the file must be chosen again, and Reload starts the page afresh', async () => {
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('Something broke')
      })
    })
    await crashScreen().waitFor()
    expect(await crashScreen().textContent()).toContain(
      'the browser forgets the open file: choose it again afterwards. Your flags are kept in this browser',
    )
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Reload' }).click(),
    ])
    await page.getByTestId('open-demo').waitFor()
    expect(await crashShown()).toBe(0)
    expect(await page.getByTestId('dataset-name').count()).toBe(0)
  })
})
