import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { describeRealdata, realPath } from '../support/realdata'

let session: Session
let page: Page
beforeAll(async () => {
  session = await startSession()
  page = await session.newPage()
  await openFiles(page, realPath('code-rlaif/train.jsonl'))
})
afterAll(async () => {
  await session?.close()
})

const rowCount = () => page.getByTestId('row-count').textContent()
const facetOption = (value: string) =>
  page.locator(`[data-testid="language-facet"] [data-value="${value}"]`)

describeRealdata('exploring code-rlaif/train.jsonl', () => {
  it('shows cpp 210, python 210, rust 180 in the language facet', async () => {
    await expect
      .poll(
        async () =>
          await page
            .locator('[data-testid="language-facet"] [data-value]')
            .evaluateAll((els) =>
              els.map(
                (el) =>
                  `${el.getAttribute('data-value')} ${el.querySelector('.facet-count')?.textContent}`,
              ),
            ),
      )
      .toEqual(['cpp 210', 'python 210', 'rust 180'])
  })

  it('shows 180 of 600 rows for rust, and every visible row is rust', async () => {
    await facetOption('rust').locator('input').check()
    await expect.poll(rowCount).toBe('180 of 600 rows')
    const languages = await page
      .locator('[data-testid="row-table"] [data-row-index] .cell:nth-child(3)')
      .allTextContents()
    expect(languages.length).toBeGreaterThan(10)
    expect(new Set(languages)).toEqual(new Set(['rust']))
    await expect.poll(() => page.locator('[data-chip="language:rust"]').count()).toBe(1)
    await page.locator('[data-testid="row-table"] [data-row-index="0"]').click()
    await screenshot(page, 'explore-rust-light')
  })

  it('undoes and redoes the language choice', async () => {
    await page.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(rowCount).toBe('600 of 600 rows')
    await page.getByRole('button', { name: 'Redo' }).click()
    await expect.poll(rowCount).toBe('180 of 600 rows')
    await page.getByRole('button', { name: 'Clear all' }).click()
    await expect.poll(rowCount).toBe('600 of 600 rows')
  })

  it('keeps 390 of 600 rows for reward > 0.5 typed in the SQL box', async () => {
    await page.getByTestId('sql-where').fill('reward > 0.5')
    await page.getByTestId('sql-where').press('Enter')
    await expect.poll(rowCount).toBe('390 of 600 rows')
  })

  it('explains a bad SQL condition inline and keeps the rows', async () => {
    await page.getByTestId('sql-where').fill('rewrd > 0.5')
    await page.getByTestId('sql-where').press('Enter')
    await expect.poll(() => page.getByTestId('sql-error').textContent()).toMatch(/rewrd/)
    expect(await rowCount()).toBe('390 of 600 rows')
    await page.locator('[data-chip="where"] button').click()
    await expect.poll(rowCount).toBe('600 of 600 rows')
  })

  it('draws the reward histogram over 0.21 to 1.0', async () => {
    const histogram = page.getByTestId('histogram-reward')
    await expect.poll(() => histogram.getByTestId('histogram-min').textContent()).toBe('0.210526')
    await expect.poll(() => histogram.getByTestId('histogram-max').textContent()).toBe('0.999999')
    await expect.poll(() => histogram.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(3)
  })

  it('sets the reward range by dragging across the histogram', async () => {
    const chart = page.getByTestId('histogram-reward').locator('.recharts-wrapper')
    const box = await chart.boundingBox()
    if (!box) throw new Error('no chart')
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2, { steps: 5 })
    await page.mouse.move(box.x + box.width * 0.98, box.y + box.height / 2, { steps: 5 })
    await page.mouse.up()
    await expect.poll(() => page.locator('[data-chip="range:reward"]').count()).toBe(1)
    const shown = async () => Number((await rowCount())?.split(' ')[0]?.replace(/,/g, ''))
    await expect.poll(shown).toBeGreaterThan(0)
    await expect.poll(shown).toBeLessThan(600)
    const from = Number(await page.getByLabel('reward from').inputValue())
    expect(from).toBeGreaterThan(0.55)
    await page.locator('[data-chip="range:reward"] button').click()
    await expect.poll(rowCount).toBe('600 of 600 rows')
  })

  it('focuses the search box with / and finds text in prompts and code', async () => {
    await page.getByTestId('row-table').click()
    await page.keyboard.press('/')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('search-input')
    await page.keyboard.type('sieve')
    await page.keyboard.press('Enter')
    await expect.poll(async () => Number((await rowCount())?.split(' ')[0])).toBeLessThan(600)
    await page.getByRole('button', { name: 'Clear all' }).click()
    await expect.poll(rowCount).toBe('600 of 600 rows')
  })
})

describeRealdata('distributions and the other filters', () => {
  it('summarises the reward per language', async () => {
    const row = (language: string) =>
      page
        .locator(`[data-testid="summary-table"] tr[data-language="${language}"] td`)
        .allTextContents()
    await expect.poll(async () => (await row('all')).slice(1, 2)).toEqual(['600'])
    await expect.poll(async () => (await row('rust')).slice(1, 2)).toEqual(['180'])
    await expect.poll(async () => (await row('python')).slice(1, 2)).toEqual(['210'])
  })

  it('plots every unit of student against teacher score, with the y = x line', async () => {
    const scatter = page.getByTestId('scatter-scores')
    await expect.poll(() => scatter.getAttribute('data-points')).toBe('600')
    await expect.poll(() => scatter.locator('.recharts-reference-line').count()).toBe(1)
    // One path of dots per language, each holding that language's units (a dot is "M x y h0").
    await expect
      .poll(() =>
        scatter
          .locator('.scatter-dots')
          .evaluateAll((paths) =>
            paths.map(
              (p) =>
                `${p.getAttribute('data-language')} ${(p.getAttribute('d') ?? '').split('M').length - 1}`,
            ),
          ),
      )
      .toEqual(['cpp 210', 'python 210', 'rust 180'])
    // The pointer on a dot shows that unit's language and values (dots of several languages overlap).
    await scatter.scrollIntoViewIfNeeded()
    const dot = await scatter
      .locator('.scatter-dots')
      .first()
      .evaluate((path) => {
        const [, x, y] = /M([\d.]+) ([\d.]+)/.exec(path.getAttribute('d') ?? '') ?? []
        const box = (path as SVGPathElement).ownerSVGElement!.getBoundingClientRect()
        return { x: box.left + Number(x), y: box.top + Number(y) }
      })
    await page.mouse.move(dot.x + 1, dot.y + 1)
    await expect
      .poll(() => page.getByTestId('scatter-scores-tip').textContent())
      .toMatch(/^(cpp|python|rust)teacher_score: [\d.]+student_score: [\d.]+$/)
    await page.mouse.move(0, 0)
    await expect.poll(() => page.getByTestId('scatter-scores-tip').count()).toBe(0)
    await expect
      .poll(() => page.getByTestId('scatter-length').getAttribute('data-points'))
      .toBe('600')
  })

  it('keeps the prompts asked at least 40 times with the group-size filter', async () => {
    await page.getByLabel('group size from').fill('40')
    await page.getByLabel('group size from').press('Enter')
    await expect.poll(rowCount).toBe('588 of 600 rows')
    await page.locator('[data-chip="groupSize"] button').click()
    await expect.poll(rowCount).toBe('600 of 600 rows')
  })

  it('filters AceCode completions by model and charts the pass rate by model', async () => {
    const ace = await session.newPage()
    await openFiles(ace, realPath('acecode-87k/acecode_sample.jsonl'))
    const models = ace.locator('[data-testid="model-facet"] [data-value]')
    await expect.poll(() => models.count()).toBe(5)
    await expect
      .poll(() => ace.locator('[data-testid="model-facet"] .facet-count').allTextContents())
      .toEqual(['16', '16', '16', '16', '16'])
    await expect
      .poll(() => ace.getByTestId('chart-by-model').locator('.recharts-bar-rectangle').count())
      .toBe(5)
    await ace.locator('[data-testid="model-facet"] [data-value="qwen_coder_2.5"] input').check()
    await expect
      .poll(() =>
        ace.getByTestId('summary-table').locator('tr[data-language="all"] td').nth(1).textContent(),
      )
      .toBe('16')
    await expect.poll(() => ace.getByTestId('row-count').textContent()).toBe('1 of 1 rows')
    await ace.locator('[data-testid="row-table"] [data-row-index="0"]').click()
    await screenshot(ace, 'explore-acecode-by-model')
    await ace.context().close()
  })
})

describeRealdata('KodCode', () => {
  it('charts the mean pass percentage by difficulty', async () => {
    const kod = await session.newPage()
    await openFiles(kod, realPath('kodcode/KodCode_prefill_200_1741214325.json'))
    const chart = kod.getByTestId('chart-by-difficulty')
    await expect.poll(() => chart.locator('.recharts-bar-rectangle').count()).toBe(2)
    await expect
      .poll(() => chart.locator('.recharts-cartesian-axis-tick-value').allTextContents())
      .toEqual(expect.arrayContaining(['easy', 'medium']))
    await kod.context().close()
  })
})

describeRealdata('keyboard, theme and histogram layout', () => {
  it('opens the detail with Enter after moving through rows with j', async () => {
    await page.getByTestId('row-table').focus()
    await page.keyboard.press('Home')
    await page.keyboard.press('j')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('row-detail')
    await expect
      .poll(() => page.getByTestId('row-detail').locator('h2').textContent())
      .toBe('Row 2')
  })

  it('puts languages side by side in the histograms when asked, and stacks them again', async () => {
    const bars = page.getByTestId('histogram-reward').locator('.recharts-bar-rectangle')
    const xs = async () =>
      new Set(
        await bars.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().x))),
      )
    await expect.poll(async () => (await xs()).size).toBeGreaterThan(3)
    const stacked = (await xs()).size
    await page.getByTestId('histogram-split').check()
    await expect.poll(async () => (await xs()).size).toBeGreaterThan(stacked)
    await page.getByTestId('histogram-split').uncheck()
    await expect.poll(async () => (await xs()).size).toBe(stacked)
  })

  it('switches between light and dark, and back to the system theme', async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme)
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    await expect.poll(theme).toBe('light')
    const light = await background()
    await page.getByTestId('theme-select').selectOption('dark')
    await expect.poll(theme).toBe('dark')
    await expect.poll(background).not.toBe(light)
    await page.reload()
    await expect.poll(theme).toBe('dark')
    await page.getByTestId('theme-select').selectOption('system')
    await expect.poll(theme).toBe('light')
    await expect.poll(background).toBe(light)
  })
})

describeRealdata('in dark mode', () => {
  it('renders the filters and histograms', async () => {
    const dark = await session.newPage({ colorScheme: 'dark' })
    await openFiles(dark, realPath('code-rlaif/train.jsonl'))
    await dark.locator('[data-testid="language-facet"] [data-value="python"] input').check()
    await expect.poll(() => dark.getByTestId('row-count').textContent()).toBe('210 of 600 rows')
    await dark.locator('[data-testid="row-table"] [data-row-index="0"]').click()
    await dark.getByTestId('histogram-reward').locator('.recharts-bar-rectangle').first().waitFor()
    await screenshot(dark, 'explore-python-dark')
    await dark.context().close()
  })
})
