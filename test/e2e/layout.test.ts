/**
 * The workspace's layout as a person sees it at common window sizes: one Distributions section
 * whatever was opened before, a detail pane that follows the window, a diff readable without
 * Widen, distribution cards that show all they hold, a detail that says when its row is outside
 * the filter, one vocabulary of type labels; and screenshots of the demo at three sizes, light and dark.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { columnHeader, selectRow } from '../support/dom'
import { describeRealdata, itRealdata, realPath } from '../support/realdata'

const RLAIF = realPath('code-rlaif/train.jsonl')
const VIZHUB = realPath('vizhub-rlhf/training-dataset-v1.0.jsonl')
const KODCODE = realPath('kodcode/KodCode_algorithm_100_1741212598.json')

let session: Session
beforeAll(async () => {
  session = await startSession()
})
afterAll(async () => {
  await session?.close()
})

/** Opens the demo dataset from the start screen and waits until it shows. */
async function openDemo(page: Page): Promise<void> {
  await page.getByTestId('open-demo').click()
  await page.getByTestId('row-count').waitFor({ timeout: 80_000 })
  await page.getByTestId('load-progress').waitFor({ state: 'detached', timeout: 80_000 })
}

/** A box on screen, or an error naming what has none. */
async function box(page: Page, testId: string) {
  const found = await page.getByTestId(testId).first().boundingBox()
  if (!found) throw new Error(`${testId} is not on screen`)
  return found
}

/** Characters of monospace code one side of the split diff shows on a line, without scrolling. */
async function diffCharsPerSide(page: Page): Promise<number> {
  const diff = page.getByTestId('row-detail').getByTestId('code-diff')
  await diff.locator('.diff-split .diff-pane .diff-text').first().waitFor()
  return diff.evaluate((el) => {
    const pane = el.querySelector<HTMLElement>('.diff-split .diff-pane')!
    const text = pane.querySelector<HTMLElement>('.diff-text')!
    const probe = document.createElement('span')
    probe.textContent = 'x'.repeat(100)
    text.append(probe)
    const charWidth = probe.getBoundingClientRect().width / 100
    probe.remove()
    const textLeft = text.getBoundingClientRect().left - pane.getBoundingClientRect().left
    return Math.floor((pane.clientWidth - textLeft) / charWidth)
  })
}

describeRealdata('opening one file after another', () => {
  it('shows exactly one Distributions section, for the last file opened', async () => {
    const page = await session.newPage()
    const warnings: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') warnings.push(message.text())
    })
    const sections = page.getByRole('region', { name: 'Distributions' })
    // Each file is looked at (its charts drawn) before the next is opened.
    for (const file of [VIZHUB, KODCODE, RLAIF]) {
      await openFiles(page, file)
      await sections.first().getByTestId('summary-table').waitFor()
    }
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe('train.jsonl')
    await expect
      .poll(() => sections.locator('tr[data-language="all"] td').nth(1).textContent())
      .toBe('600')
    expect(await sections.count()).toBe(1)
    expect(await page.getByTestId('summary-table').count()).toBe(1)
    expect(await page.getByTestId('scatter-scores').count()).toBe(1)
    // The table ends above the status bar, at a height that shows rows.
    const table = await box(page, 'row-table')
    const status = await page.locator('.status-bar').boundingBox()
    expect(table.height).toBeGreaterThan(200)
    expect(table.y + table.height).toBeLessThanOrEqual(status!.y + 1)
    expect(warnings.filter((w) => w.includes('same key'))).toEqual([])
    await screenshot(page, 'layout-three-files')
    await page.context().close()
  })
})

describe('the demo at 1440×900', () => {
  let page: Page
  beforeAll(async () => {
    page = await session.newPage()
    await openDemo(page)
    await selectRow(page, 3)
  })
  afterAll(async () => {
    await page?.context().close()
  })

  it('shows a selected row’s diff readably without Widen, and keeps the table usable', async () => {
    const chars = await diffCharsPerSide(page)
    console.log(`diff characters per side at 1440×900: ${chars}`)
    expect(chars).toBeGreaterThanOrEqual(40)
    expect((await box(page, 'row-table')).width).toBeGreaterThanOrEqual(400)
    await screenshot(page, 'layout-diff-1440')
  })

  it('shows the whole summary table and every chart title in full, or with its tooltip', async () => {
    const card = page.getByTestId('summary-table')
    await expect.poll(() => card.locator('tr[data-language="all"] td').count()).toBe(7)
    await card.scrollIntoViewIfNeeded()
    // Every column header is in view inside its card (the card wraps or scrolls, nothing hides).
    const cardBox = (await card.boundingBox())!
    for (const name of ['median', 'p5', 'p95', 'nulls']) {
      const th = (await card.getByRole('columnheader', { name, exact: true }).boundingBox())!
      expect(th.x + th.width, name).toBeLessThanOrEqual(cardBox.x + cardBox.width + 0.5)
    }
    const titles = await page.locator('.distributions .chart-card h4').evaluateAll((hs) =>
      hs.map((h) => ({
        text: h.textContent,
        cut: h.scrollWidth > h.clientWidth,
        title: h.getAttribute('title'),
      })),
    )
    expect(titles.length).toBeGreaterThanOrEqual(3)
    for (const t of titles) if (t.cut) expect(t.title, t.text ?? '').toBe(t.text)
    // No caption repeats a chart's title, cut short.
    expect(
      await page
        .locator('.distributions .chart-note')
        .evaluateAll((ps) => ps.filter((p) => p.scrollWidth > p.clientWidth).length),
    ).toBe(0)
  })

  it('prints axis ticks to 3 significant digits and keeps the scatter x-axis inside its card', async () => {
    for (const id of ['scatter-scores', 'scatter-length']) {
      const chart = page.getByTestId(id)
      await expect
        .poll(() => chart.locator('.recharts-cartesian-axis-tick-value').count())
        .toBeGreaterThan(3)
      const ticks = await chart.locator('.recharts-cartesian-axis-tick-value').allTextContents()
      for (const tick of ticks) {
        // Significant digits: leading zeros never count, trailing ones of a whole number neither.
        const number = tick.replace(/[^0-9.]/g, '')
        const digits = number.includes('.')
          ? number.replace('.', '').replace(/^0+/, '')
          : number.replace(/^0+/, '').replace(/0+$/, '')
        expect(digits.length, `${id} tick ${tick}`).toBeLessThanOrEqual(3)
      }
      const card = (await chart.boundingBox())!
      const axis = (await chart.locator('.recharts-xAxis').boundingBox())!
      expect(axis.x + axis.width, id).toBeLessThanOrEqual(card.x + card.width + 0.5)
      expect(axis.y + axis.height, id).toBeLessThanOrEqual(card.y + card.height + 0.5)
    }
    await page.getByTestId('scatter-scores').scrollIntoViewIfNeeded()
    await screenshot(page, 'layout-distributions-1440')
  })

  it('prints ticks of scores that are not round numbers to 3 significant digits', async () => {
    // Scores from 0.0731… to 3.2746…: the y = x chart's axes start and end on them.
    const folder = await mkdtemp(join(tmpdir(), 'rewardlens-layout-'))
    const rows = Array.from({ length: 40 }, (_, i) => {
      const student = 0.07317073170731707 + (i * 3.201483117585904) / 39
      const teacher = 3.274653849293221 - i * 0.05
      return JSON.stringify({
        prompt: `task ${i}`,
        language: i % 2 ? 'python' : 'rust',
        student_code: `x = ${i}`,
        teacher_code: `x = ${i} + 1`,
        student_score: student,
        teacher_score: teacher,
        reward: student / teacher,
      })
    })
    const file = join(folder, 'odd-scores.jsonl')
    await writeFile(file, rows.join('\n') + '\n')
    const odd = await session.newPage()
    try {
      await openFiles(odd, file)
      const ticks = odd.getByTestId('scatter-scores').locator('.recharts-cartesian-axis-tick-value')
      await expect.poll(() => ticks.count()).toBeGreaterThan(3)
      for (const tick of await ticks.allTextContents()) {
        expect(tick.replace(/[^0-9]/g, '').replace(/^0+/, '').length, tick).toBeLessThanOrEqual(3)
      }
    } finally {
      await odd.context().close()
      await rm(folder, { recursive: true, force: true })
    }
  })

  it('says when the selected row is outside the filter', async () => {
    await selectRow(page, 0)
    const language = (await page
      .getByTestId('row-detail')
      .locator('[data-field="language"] > dd')
      .textContent())!.trim()
    const other = ['cpp', 'python', 'rust'].find((l) => l !== language)!
    await page.locator(`[data-testid="language-facet"] [data-value="${other}"] input`).check()
    await expect.poll(() => page.getByTestId('row-count').textContent()).not.toBe('600 of 600 rows')
    const notice = page.getByTestId('row-detail').getByTestId('detail-outside-filter')
    await expect.poll(() => notice.isVisible()).toBe(true)
    expect(await notice.textContent()).toMatch(/outside the (current )?filter/)
    await screenshot(page, 'layout-outside-filter')
    await page.getByRole('button', { name: 'Clear all' }).click()
    await expect.poll(() => notice.count()).toBe(0)
  })

  it('labels a column’s type with one word in the header, the detail and the cell viewer', async () => {
    const header = (column: string) =>
      columnHeader(page, column).locator('.header-type').textContent()
    const detail = (column: string) =>
      page.getByTestId('row-detail').locator(`[data-field="${column}"] .field-type`).textContent()
    for (const column of ['scoring_breakdown', 'reward', 'language']) {
      expect(await detail(column), column).toBe(await header(column))
    }
    expect(await header('scoring_breakdown')).toBe('struct')
    expect(await header('reward')).toBe('float')
    await columnHeader(page, 'scoring_breakdown').scrollIntoViewIfNeeded()
    const cellAt = page
      .locator('[data-testid="row-table"] [data-row-index="0"] [role="gridcell"]')
      .nth(7)
    await cellAt.dblclick()
    const viewer = page.getByTestId('cell-viewer')
    await expect.poll(() => viewer.locator('.modal-head .muted').textContent()).toMatch(/· struct$/)
    await viewer.getByRole('button', { name: 'Close' }).click()
  })
})

describe('window sizes', () => {
  itRealdata('keeps the widened detail pane inside a window made smaller', async () => {
    const page = await session.newPage()
    await openFiles(page, RLAIF)
    await selectRow(page, 1)
    await page.getByTestId('detail-wide').click()
    await page.setViewportSize({ width: 1024, height: 700 })
    await expect
      .poll(async () => {
        const detail = await box(page, 'row-detail')
        return detail.x + detail.width
      })
      .toBeLessThanOrEqual(1024)
    expect((await box(page, 'row-table')).width).toBeGreaterThanOrEqual(300)
    // The filter bar's words stay on a line or two, not one word per line.
    const said = await page.getByTestId('filter-chips').locator('> .muted').boundingBox()
    expect(said!.height).toBeLessThanOrEqual(40)
    await screenshot(page, 'layout-widen-then-1024')
    await page.context().close()
  })

  it('shows the dataset name in full at 800×600', async () => {
    const page = await session.newPage({ width: 800, height: 600 })
    await openDemo(page)
    // The roles button takes its room in the top bar once the roles are detected.
    await page.getByTestId('profile-family').waitFor()
    // The text's own width (an ellipsis hides it from scrollWidth) against the room it is given.
    const fits = await page.getByTestId('dataset-name').evaluate((el) => {
      const probe = document.createElement('span')
      probe.style.font = getComputedStyle(el).font
      probe.style.whiteSpace = 'nowrap'
      probe.style.position = 'absolute'
      probe.textContent = el.textContent
      document.body.append(probe)
      const text = probe.getBoundingClientRect().width
      probe.remove()
      const style = getComputedStyle(el)
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      return { text, room }
    })
    expect(fits.text).toBeLessThanOrEqual(fits.room + 0.5)
    await page.context().close()
  })
})

describe('screenshots of the demo with a row selected', () => {
  const sizes = [
    [1440, 900],
    [1024, 700],
    [800, 600],
  ] as const
  for (const scheme of ['light', 'dark'] as const) {
    for (const [width, height] of sizes) {
      it(`${width}×${height}, ${scheme}`, async () => {
        const page = await session.newPage({ width, height, colorScheme: scheme })
        await openDemo(page)
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme)
        await selectRow(page, 2)
        await page.getByTestId('row-detail').getByTestId('code-diff').waitFor()
        await expect
          .poll(() => page.getByTestId('code-diff').getAttribute('data-highlighted'))
          .toBe('true')
        const detail = await box(page, 'row-detail')
        expect(detail.x + detail.width).toBeLessThanOrEqual(width)
        await screenshot(page, `layout-demo-${width}x${height}-${scheme}`)
        await page.context().close()
      })
    }
  }
})
