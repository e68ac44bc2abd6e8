/**
 * What a person does in the window: the start screen, the demo, sorting, the keyboard, resizing
 * columns, reading long and nested values, opening a folder of shards, drag and drop, Cancel.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import {
  cell,
  columnHeader,
  columnTexts,
  detailField,
  detailHeading,
  ensureOpen,
  headerNames,
  rowNumbers,
  selectRow,
  table,
  tableRow,
} from '../support/dom'
import { writeRlaifJsonl } from '../support/generateFile'
import { describeRealdata, realPath } from '../support/realdata'

const RLAIF = realPath('code-rlaif/train.jsonl')
const KODCODE_SFT = realPath('kodcode/SFT_KodCode_algorithm_100_1741212598.json')
const ACECODE = realPath('acecode-87k/acecode_sample.jsonl')
const VIZHUB = realPath('vizhub-rlhf/training-dataset-v1.0.jsonl')

let session: Session
let folder: string
/** The light page most tests share: each new page starts DuckDB-WASM again (~3 s). */
let page: Page
/** A dark-scheme page for the start screen and the demo. */
let darkPage: Page

beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-interactions-'))
  ;[page, darkPage] = await Promise.all([
    session.newPage(),
    session.newPage({ colorScheme: 'dark' }),
  ])
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

const rowCount = (p: Page) => p.getByTestId('row-count').textContent()

/** The relative luminance (0 black .. 1 white) of an element's computed background. */
function backgroundLuminance(p: Page, selector: string): Promise<number> {
  return p.locator(selector).evaluate((el) => {
    const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(
      getComputedStyle(el).backgroundColor,
    )
    if (!match) return -1
    const [r, g, b] = match.slice(1, 4).map((v) => Number(v) / 255) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  })
}

describe('the start screen', () => {
  it('offers Open file, Open folder and the demo, and says no dataset is open', async () => {
    await expect.poll(() => page.locator('.start-screen h2').textContent()).toMatch(/code-RL/)
    const start = page.getByRole('main')
    await expect
      .poll(() => start.locator('label', { hasText: 'Open file…' }).isVisible())
      .toBe(true)
    await expect
      .poll(() => start.getByRole('button', { name: 'Open folder…' }).isVisible())
      .toBe(true)
    await expect.poll(() => start.getByTestId('open-demo').isVisible()).toBe(true)
    await expect.poll(() => page.locator('.status-bar').textContent()).toBe('No dataset open')
    expect(await page.getByTestId('dataset-name').count()).toBe(0)
    expect(await page.getByTestId('row-count').count()).toBe(0)
    expect(await table(page).count()).toBe(0)
    expect(await page.title()).toBe('RewardLens')
    expect(await backgroundLuminance(page, 'body')).toBeGreaterThan(0.8)
    await screenshot(page, 'start-screen')
  })

  it('follows a dark system colour scheme', async () => {
    await expect.poll(() => darkPage.getByTestId('open-demo').isVisible()).toBe(true)
    await expect.poll(() => darkPage.locator('.status-bar').textContent()).toBe('No dataset open')
    expect(await backgroundLuminance(darkPage, 'body')).toBeLessThan(0.15)
    await screenshot(darkPage, 'start-screen-dark')
  })
})

describe('the demo dataset', () => {
  const demoColumns = [
    'prompt',
    'language',
    'student_code',
    'teacher_code',
    'student_score',
    'teacher_score',
    'reward',
    'scoring_breakdown',
    'timestamp',
  ]

  async function openDemo(p: Page): Promise<void> {
    await p.getByTestId('open-demo').click()
    await p.getByTestId('row-count').waitFor({ timeout: 60_000 })
    await p.getByTestId('load-progress').waitFor({ state: 'detached', timeout: 60_000 })
  }

  it('opens from the start screen with its name, 360 rows and the RLAIF columns', async () => {
    await openDemo(page)
    await expect
      .poll(() => page.getByTestId('dataset-name').textContent())
      .toBe('code-rlaif-demo.jsonl')
    await expect.poll(() => rowCount(page)).toBe('360 of 360 rows')
    await expect.poll(() => headerNames(page)).toEqual(demoColumns)
    expect(await page.getByTestId('load-error').count()).toBe(0)
    expect(await page.title()).toBe('code-rlaif-demo.jsonl — RewardLens')
    await selectRow(page, 1)
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 2')
    await detailField(page, 'student_code').waitFor()
    await screenshot(page, 'demo-light')
  })

  it('reads well in the dark scheme with a row selected', async () => {
    await openDemo(darkPage)
    await expect.poll(() => rowCount(darkPage)).toBe('360 of 360 rows')
    await selectRow(darkPage, 1)
    await expect.poll(() => detailHeading(darkPage).textContent()).toBe('Row 2')
    await detailField(darkPage, 'student_code').waitFor()
    expect(await backgroundLuminance(darkPage, '[data-testid="row-detail"]')).toBeLessThan(0.15)
    await screenshot(darkPage, 'demo-dark')
    await darkPage.context().close()
  })
})

describeRealdata('sorting by a column header', () => {
  it('cycles ascending, descending and file order, and says so with aria-sort', async () => {
    const rewards = (await readFile(RLAIF, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { reward: number }).reward)
    const min = Math.min(...rewards)
    const max = Math.max(...rewards)
    await openFiles(page, RLAIF)
    await expect.poll(() => rowCount(page)).toBe('600 of 600 rows')
    const header = columnHeader(page, 'reward')
    const firstTen = async () => (await columnTexts(page, 'reward', 10)).map(Number)
    expect(await header.getAttribute('aria-sort')).toBe('none')

    await header.click()
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending')
    await expect.poll(async () => (await cell(page, 0, 'reward')).textContent()).toBe('0.210526')
    expect(Number((await firstTen())[0])).toBeCloseTo(min, 5)
    const ascending = await firstTen()
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b))

    await header.click()
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending')
    await expect.poll(async () => (await cell(page, 0, 'reward')).textContent()).toBe('0.999999')
    expect((await firstTen())[0]).toBeCloseTo(max, 5)
    const descending = await firstTen()
    expect(descending).toEqual([...descending].sort((a, b) => b - a))
    expect(descending.every((r) => r > ascending[9]!)).toBe(true)

    await header.click()
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('none')
    await expect
      .poll(() => rowNumbers(page, 10))
      .toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    const fileOrder = await firstTen()
    fileOrder.forEach((shown, i) => expect(shown).toBeCloseTo(rewards[i]!, 5))
  })
})

describeRealdata('the keyboard in the table', () => {
  it('moves the selection with j, k, End and Home and shows the row in the detail pane', async () => {
    await openFiles(page, RLAIF)
    await tableRow(page, 0).getByRole('gridcell').first().locator('.cell-text').waitFor()
    await table(page).focus()
    for (let i = 0; i < 3; i++) await page.keyboard.press('j')
    await expect.poll(() => tableRow(page, 2).getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 3')
    expect(await page.locator('[role="row"][aria-selected="true"]').count()).toBe(1)

    await page.keyboard.press('k')
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 2')
    await expect.poll(() => tableRow(page, 1).getAttribute('aria-selected')).toBe('true')

    await page.keyboard.press('End')
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 600')
    await expect.poll(() => tableRow(page, 599).getAttribute('aria-selected')).toBe('true')
    expect(await tableRow(page, 599).isVisible()).toBe(true)

    await page.keyboard.press('Home')
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 1')
    await expect.poll(() => tableRow(page, 0).getAttribute('aria-selected')).toBe('true')
    expect(await tableRow(page, 0).isVisible()).toBe(true)
  })
})

describeRealdata('resizing a column', () => {
  /** Drags the prompt column's resize handle 120 px right from `grabX` px into the handle. */
  async function dragPromptHandle(grabX: (box: { width: number }) => number) {
    await ensureOpen(page, RLAIF)
    // Earlier tests may have left the table scrolled to the right: bring prompt into view.
    await table(page).evaluate((el) => el.scrollTo({ left: 0 }))
    const header = columnHeader(page, 'prompt')
    const before = (await header.boundingBox())!.width
    const handle = table(page).getByRole('separator', { name: 'Resize prompt' })
    // A widened column's border may lie past the table's right edge: scroll it into view, as a person would.
    await handle.scrollIntoViewIfNeeded()
    const box = (await handle.boundingBox())!
    const x = box.x + grabX(box)
    const y = box.y + box.height / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + 60, y, { steps: 5 })
    await page.mouse.move(x + 120, y, { steps: 5 })
    await page.mouse.up()
    return { header, before }
  }

  it('widens the prompt column by the distance its handle is dragged', async () => {
    // Grabbed inside the prompt header, where the handle can be hit today (see the next test).
    const { header, before } = await dragPromptHandle(() => 2)
    await expect.poll(async () => (await header.boundingBox())!.width).toBeGreaterThan(before + 116)
    const after = (await header.boundingBox())!.width
    expect(after).toBeLessThan(before + 124)
    // The column's cells follow their header.
    const body = await (await cell(page, 0, 'prompt')).boundingBox()
    expect(Math.abs(body!.width - after)).toBeLessThan(1)
    // The drag does not sort.
    expect(await header.getAttribute('aria-sort')).toBe('none')
    expect(await columnHeader(page, 'language').getAttribute('aria-sort')).toBe('none')
  })

  it('resizes when grabbed on the column border itself', async () => {
    const { header, before } = await dragPromptHandle((box) => box.width / 2)
    await expect
      .poll(async () => (await header.boundingBox())!.width, { timeout: 2_000 })
      .toBeGreaterThan(before + 116)
  })
})

describeRealdata('opening another dataset', () => {
  it('starts the new table scrolled to its first column, not where the last one was left', async () => {
    await ensureOpen(page, RLAIF)
    await tableRow(page, 0).locator('.cell-text').first().waitFor()
    await table(page).evaluate((el) => el.scrollTo({ left: 800 }))
    await expect.poll(() => table(page).evaluate((el) => el.scrollLeft)).toBe(800)
    await openFiles(page, KODCODE_SFT)
    await expect.poll(() => rowCount(page)).toBe('31 of 31 rows')
    await expect.poll(() => table(page).evaluate((el) => el.scrollLeft)).toBe(0)
  })
})

describeRealdata('scrolling the table sideways', () => {
  it('keeps the # header cell above the row numbers, which stay pinned to the left', async () => {
    await ensureOpen(page, RLAIF)
    await tableRow(page, 0).locator('.cell-text').first().waitFor()
    await table(page).evaluate((el) => el.scrollTo({ left: 400 }))
    await expect.poll(() => table(page).evaluate((el) => el.scrollLeft)).toBe(400)
    const tableX = (await table(page).boundingBox())!.x
    const rowNumberX = (await tableRow(page, 0).getByRole('rowheader').boundingBox())!.x
    expect(rowNumberX).toBeCloseTo(tableX, 0)
    const hashHeader = table(page).getByRole('columnheader', { name: '#', exact: true })
    await expect.poll(async () => (await hashHeader.boundingBox())!.x).toBeCloseTo(tableX, 0)
  })
})

describeRealdata('long cell values', () => {
  it('shows a 10,938-character conversation turn in full in the cell viewer, closed by Escape', async () => {
    const rows = JSON.parse(await readFile(KODCODE_SFT, 'utf8')) as {
      conversations: { from: string; value: string }[]
    }[]
    const longest = rows[0]!.conversations
      .map((c) => c.value)
      .sort((a, b) => b.length - a.length)[0]!
    expect(longest.length).toBeGreaterThan(10_000)

    await openFiles(page, KODCODE_SFT)
    await expect.poll(() => rowCount(page)).toBe('31 of 31 rows')
    const conversations = await cell(page, 0, 'conversations')
    await conversations.locator('.cell-badge').waitFor()
    await conversations.dblclick()
    const viewer = page.getByTestId('cell-viewer')
    await expect.poll(() => viewer.getAttribute('aria-label')).toBe('conversations of row 1')
    // Chat messages read as a conversation: who speaks, then the message as markdown, whole.
    const messages = viewer.locator('.conversation > li')
    await expect.poll(() => messages.count()).toBe(2)
    expect(await messages.evaluateAll((li) => li.map((l) => l.dataset.role))).toEqual([
      'user',
      'assistant',
    ])
    // The last line of code of the longest turn is there: nothing was cut.
    const lastCode = longest
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^[\w(][\w\s().,=:'"[\]+*-]{12,}$/.test(l))
      .at(-1)!
    const message = messages.filter({ hasText: longest.slice(0, 40) })
    expect(await message.textContent()).toContain(lastCode)
    expect(await viewer.getByRole('button', { name: /^Show all / }).count()).toBe(0)
    // The viewer shows the whole message without a scroll box of its own.
    const sizes = await message
      .locator('.markdown')
      .first()
      .evaluate((el) => ({ client: el.clientHeight, scroll: el.scrollHeight }))
    expect(sizes.scroll - sizes.client).toBeLessThan(2)
    await screenshot(page, 'cell-viewer-long')

    await page.keyboard.press('Escape')
    await expect.poll(() => viewer.count()).toBe(0)
  })

  it('shows no "Show all" toggle in the cell viewer, where text is never folded', async () => {
    await ensureOpen(page, KODCODE_SFT)
    await (await cell(page, 0, 'conversations')).dblclick()
    const viewer = page.getByTestId('cell-viewer')
    await viewer.locator('.conversation').first().waitFor()
    const toggles = viewer.getByRole('button', { name: /^Show all / })
    const count = await toggles.count()
    await page.keyboard.press('Escape')
    await expect.poll(() => viewer.count()).toBe(0)
    expect(count).toBe(0)
  })

  it('folds a long text field in the detail pane until "Show all" is clicked', async () => {
    await ensureOpen(page, KODCODE_SFT)
    const rows = JSON.parse(await readFile(KODCODE_SFT, 'utf8')) as { test_code: string }[]
    const testCode = rows[0]!.test_code
    const lines = testCode.split('\n').length
    expect(lines).toBeGreaterThan(14)
    await selectRow(page, 0)
    const field = detailField(page, 'test_code')
    const pre = field.locator('pre')
    const button = field.getByRole('button', {
      name: `Show all ${lines} lines, ${testCode.length.toLocaleString('en-US')} characters`,
    })
    await button.waitFor()
    const folded = (await pre.textContent()) ?? ''
    expect(folded).toBe(`${testCode.split('\n').slice(0, 14).join('\n')}…`)

    await button.click()
    await expect.poll(() => pre.textContent()).toBe(testCode)
    expect(await field.getByRole('button', { name: 'Fold' }).count()).toBe(1)
  })
})

describeRealdata('nested values', () => {
  it('counts the 80 inferences in the table and reveals all of them in the detail pane', async () => {
    await openFiles(page, ACECODE)
    await expect.poll(() => rowCount(page)).toBe('1 of 1 rows')
    const inferences = await cell(page, 0, 'inferences')
    await expect.poll(() => inferences.locator('.cell-badge').textContent()).toBe('80 items')

    await selectRow(page, 0)
    const field = detailField(page, 'inferences')
    const items = field.locator(':scope > .tree > ol > li > .tree-key')
    await expect
      .poll(() => field.locator('.tree-toggle').first().textContent())
      .toBe('▾ list of 80')
    await expect.poll(() => items.count()).toBe(20)
    const showAll = field.getByRole('button', { name: 'Show all 80 items' })
    await showAll.click()
    await expect.poll(() => items.count()).toBe(80)
    expect(await items.last().textContent()).toBe('[79]')
    expect(await showAll.count()).toBe(0)
  })
})

describe('a folder of JSONL shards', () => {
  it('opens part-1, part-2 and part-10 as one 300-row dataset in natural shard order', async () => {
    const shards = join(folder, 'shards-2024')
    await mkdir(shards)
    for (const shard of [1, 2, 10]) {
      const lines = Array.from({ length: 100 }, (_, i) =>
        JSON.stringify({ id: `s${shard}-${i}`, shard }),
      )
      await writeFile(join(shards, `part-${shard}.jsonl`), `${lines.join('\n')}\n`)
    }
    await page.getByTestId('open-folder-input').setInputFiles(shards)
    await expect.poll(() => rowCount(page), { timeout: 60_000 }).toBe('300 of 300 rows')
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe('shards-2024')
    await expect.poll(() => page.locator('.status-bar').textContent()).toMatch(/3 files/)

    await selectRow(page, 100)
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 101')
    await expect.poll(() => detailField(page, 'shard').textContent()).toBe('2')
    await expect.poll(() => detailField(page, 'id').textContent()).toBe('s2-0')
    expect(await (await cell(page, 99, 'id')).textContent()).toBe('s1-99')
    await selectRow(page, 200)
    await expect.poll(() => detailField(page, 'id').textContent()).toBe('s10-0')
  })
})

describe('drag and drop', () => {
  it('shows the drop overlay while a file is dragged in and opens the dropped file', async () => {
    const jsonl = Array.from({ length: 7 }, (_, i) => JSON.stringify({ n: i, text: `row ${i}` }))
      .join('\n')
      .concat('\n')
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([text], 'dropped.jsonl', { type: 'application/jsonl' }))
      return transfer
    }, jsonl)
    const overlay = page.getByText('Drop a dataset file or folder to open it')
    await page.dispatchEvent('body', 'dragenter', { dataTransfer })
    await expect.poll(() => overlay.isVisible()).toBe(true)
    await page.dispatchEvent('body', 'dragover', { dataTransfer })
    await page.dispatchEvent('body', 'drop', { dataTransfer })
    await expect.poll(() => rowCount(page), { timeout: 60_000 }).toBe('7 of 7 rows')
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe('dropped.jsonl')
    expect(await overlay.count()).toBe(0)
    await dataTransfer.dispose()
  })

  it('hides the overlay again when the drag leaves the window', async () => {
    const dataTransfer = await page.evaluateHandle(() => {
      const transfer = new DataTransfer()
      transfer.items.add(new File(['{"a":1}\n'], 'left.jsonl'))
      return transfer
    })
    const overlay = page.getByText('Drop a dataset file or folder to open it')
    await page.dispatchEvent('body', 'dragenter', { dataTransfer })
    await expect.poll(() => overlay.isVisible()).toBe(true)
    await page.dispatchEvent('body', 'dragleave', { dataTransfer })
    await expect.poll(() => overlay.count()).toBe(0)
    await dataTransfer.dispose()
  })
})

describeRealdata('cancelling a load', () => {
  it('keeps the open dataset when the load of a 60 MB file is cancelled', async () => {
    const big = join(folder, 'rlaif-25k.jsonl')
    const bytes = await writeRlaifJsonl(big, 25_000, { seed: 5, codeChars: 1000 })
    expect(bytes).toBeGreaterThan(50e6)

    await openFiles(page, VIZHUB)
    await expect.poll(() => rowCount(page)).toBe('9 of 9 rows')
    await page.getByTestId('open-file-input').setInputFiles(big)
    const progress = page.getByTestId('load-progress')
    await progress.getByRole('button', { name: 'Cancel' }).click({ timeout: 30_000 })
    await expect.poll(() => progress.count()).toBe(0)
    await expect.poll(() => rowCount(page)).toBe('9 of 9 rows')
    expect(await page.getByTestId('dataset-name').textContent()).toBe(basename(VIZHUB))
    expect(await page.getByTestId('load-error').count()).toBe(0)
    // The cancelled load does not finish behind the person's back.
    await page.waitForTimeout(3_000)
    expect(await rowCount(page)).toBe('9 of 9 rows')
    expect(await page.getByTestId('load-error').count()).toBe(0)
    expect(await progress.count()).toBe(0)
  })
})
