/**
 * The code diff in the browser build: each family's pair side by side and unified, highlighted by
 * shiki in its worker, in light and dark; groups and trials; next and previous row from the diff;
 * a 5,000-line pair that only draws what is on screen; a 44k-character answer.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { detailHeading, selectRow } from '../support/dom'
import { diffText, readCodeSide, review } from '../support/profileUi'
import { describeRealdata, realPath } from '../support/realdata'

const RLAIF = realPath('code-rlaif/train.jsonl')
const ACECODE = realPath('acecode-87k/acecode_sample.jsonl')
const VIZHUB = realPath('vizhub-rlhf/training-dataset-v1.0.jsonl')
const KODCODE = realPath('kodcode/KodCode_algorithm_100_1741212598.json')
const KODCODE_SFT = realPath('kodcode/SFT_KodCode_algorithm_100_1741212598.json')

let session: Session
let folder: string

beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-diff-'))
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

async function readJsonl<T>(path: string): Promise<T[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T)
}

const diff = (page: Page) => review(page).getByTestId('code-diff')

/** Waits until both sides are highlighted, and returns the colours of the tokens drawn. */
async function tokenColours(page: Page): Promise<Set<string>> {
  await expect.poll(() => diff(page).getAttribute('data-highlighted')).toBe('true')
  const colours = await diff(page)
    .locator('.diff-text span[style], .diff-text mark[style]')
    .evaluateAll((spans) => spans.map((s) => (s as HTMLElement).style.color))
  return new Set(colours.filter(Boolean))
}

/** The colour of the first drawn token with exactly this text. */
async function colourOf(page: Page, text: string): Promise<string> {
  return diff(page)
    .locator('.diff-text span[style]', { hasText: text })
    .first()
    .evaluate((s) => getComputedStyle(s).color)
}

describeRealdata('code-rlaif pairs', () => {
  let page: Page
  let rows: { language: string; student_code: string; teacher_code: string }[]

  beforeAll(async () => {
    rows = await readJsonl(RLAIF)
    page = await session.newPage()
    await openFiles(page, RLAIF)
  })

  for (const language of ['python', 'cpp', 'rust'] as const) {
    it(`highlights ${language} on both sides, in light and dark`, async () => {
      const index = rows.findIndex((r) => r.language === language)
      await selectRow(page, index)
      await page.getByTestId('detail-wide').click()
      const colours = await tokenColours(page)
      // A real grammar paints keywords, strings and names in several colours, not one.
      expect(colours.size).toBeGreaterThanOrEqual(3)
      const keyword = { python: 'def', cpp: 'return', rust: 'fn' }[language]
      const plain = await diff(page)
        .locator('.diff-text')
        .first()
        .evaluate((s) => getComputedStyle(s).color)
      expect(await colourOf(page, keyword)).not.toBe(plain)
      await screenshot(page, `diff-${language}-light`)
      const light = await colourOf(page, keyword)
      await page.getByTestId('theme-select').selectOption('dark')
      await expect.poll(() => colourOf(page, keyword)).not.toBe(light)
      await screenshot(page, `diff-${language}-dark`)
      await page.getByTestId('theme-select').selectOption('light')
      await page.getByTestId('detail-wide').click()
    })
  }

  it('shows the pair unified, without whitespace changes when asked, and the raw answers', async () => {
    const index = rows.findIndex((r) => r.language === 'python')
    await selectRow(page, index)
    const student = await readCodeSide(page, 'a')
    expect(student.label).toBe('student')
    await page.getByTestId('diff-mode-unified').click()
    const unified = review(page).getByTestId('diff-pane-unified')
    await unified.waitFor()
    const signs = await unified.locator('.diff-sign').allTextContents()
    const kinds = await unified
      .locator('.diff-line')
      .evaluateAll((ls) => ls.map((l) => (l as HTMLElement).dataset.lineKind))
    expect(signs.filter((s) => s === '−').length).toBe(kinds.filter((k) => k === 'removed').length)
    expect(signs.filter((s) => s === '+').length).toBe(kinds.filter((k) => k === 'added').length)
    // Removed lines are A's, added lines B's: together they hold both sides whole.
    const stats = await review(page).getByTestId('diff-stats').textContent()
    expect(stats).toMatch(/−\d+ \+\d+ ~\d+/)
    await page.getByTestId('diff-mode-split').click()
    await review(page).getByTestId('diff-pane-a').waitFor()

    await review(page).getByTestId('diff-raw').check()
    await expect.poll(() => diffText(page, 'a')).toBe(rows[index]!.student_code.replace(/\n$/, ''))
    await review(page).getByTestId('diff-raw').uncheck()
  })

  it('moves to the next and previous row with j and k without leaving the diff', async () => {
    await selectRow(page, 3)
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 4')
    await review(page).getByTestId('diff-pane-a').click()
    await page.keyboard.press('j')
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 5')
    await page.keyboard.press('j')
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 6')
    await page.keyboard.press('k')
    await expect.poll(() => detailHeading(page).textContent()).toBe('Row 5')
    expect(
      await page.evaluate(
        () => document.activeElement?.closest('[data-testid="row-detail"]') !== null,
      ),
    ).toBe(true)
    expect(await page.getByTestId('row-detail').getByTestId('code-diff').count()).toBe(1)
  })
})

describeRealdata('other families', () => {
  it('diffs a vizhub preference pair: chosen against rejected, html inside markdown', async () => {
    const page = await session.newPage({ width: 1600 })
    await openFiles(page, VIZHUB)
    await selectRow(page, 0)
    await page.getByTestId('detail-wide').click()
    const chosen = await readCodeSide(page, 'a')
    const rejected = await readCodeSide(page, 'b')
    expect(chosen.label).toBe('chosen')
    expect(rejected.label).toBe('rejected')
    expect(await review(page).getByTestId('review-language').textContent()).toBe('html')
    const colours = await tokenColours(page)
    expect(colours.size).toBeGreaterThanOrEqual(3)
    await screenshot(page, 'diff-vizhub-light')
    await review(page).getByTestId('diff-raw').check()
    await expect.poll(() => diff(page).getAttribute('data-highlighted')).toBe('true')
    await screenshot(page, 'diff-vizhub-raw-light')
    await page.getByTestId('theme-select').selectOption('dark')
    await screenshot(page, 'diff-vizhub-raw-dark')
    await page.context().close()
  })

  it('diffs two acecode completions with their pass rates, and lists the tests', async () => {
    const page = await session.newPage({ width: 1600 })
    await openFiles(page, ACECODE)
    await selectRow(page, 0)
    await page.getByTestId('detail-wide').click()
    await tokenColours(page)
    const [row] = await readJsonl<{ test_cases: string[] }>(ACECODE)
    const tests = review(page).getByTestId('review-tests')
    await expect.poll(() => tests.locator('li').count()).toBe(row!.test_cases.length)
    await screenshot(page, 'diff-acecode-light')
    await page.getByTestId('theme-select').selectOption('dark')
    await tokenColours(page)
    await screenshot(page, 'diff-acecode-dark')
    await page.context().close()
  })

  it('diffs a kodcode solution against any trial, with the trial’s test result', async () => {
    const rows = JSON.parse(await readFile(KODCODE, 'utf8')) as {
      solution: string
      trials: Record<string, { solution_code: string; test_result: string }>
    }[]
    const page = await session.newPage({ width: 1600 })
    await openFiles(page, KODCODE)
    await selectRow(page, 0)
    await page.getByTestId('detail-wide').click()
    const keys = Object.keys(rows[0]!.trials)
    const picker = review(page).getByTestId('alternative-picker')
    await picker.waitFor()
    expect(await picker.locator('option').allTextContents()).toEqual(keys)
    const last = keys.at(-1)!
    await picker.selectOption(last)
    await expect
      .poll(() => review(page).getByTestId('trial-result').textContent())
      .toBe(rows[0]!.trials[last]!.test_result)
    await expect
      .poll(() => diffText(page, 'b'))
      .toBe(rows[0]!.trials[last]!.solution_code.replace(/\n$/, ''))
    expect(await diffText(page, 'a')).toBe(rows[0]!.solution.replace(/\n$/, ''))
    await tokenColours(page)
    await screenshot(page, 'diff-kodcode-light')
    await page.getByTestId('theme-select').selectOption('dark')
    await tokenColours(page)
    await screenshot(page, 'diff-kodcode-dark')
    await page.context().close()
  })

  it('shows the 44k-character reasoning trace of the KodCode SFT file', async () => {
    const rows = JSON.parse(await readFile(KODCODE_SFT, 'utf8')) as {
      conversations: { value: string }[]
    }[]
    const index = rows.findIndex((r) => r.conversations.some((c) => c.value.length > 44_000))
    expect(index).toBeGreaterThanOrEqual(0)
    const page = await session.newPage()
    await openFiles(page, KODCODE_SFT)
    await selectRow(page, index)
    await review(page).getByTestId('code-diff').waitFor()
    const field = page.getByTestId('row-detail').locator('[data-field="conversations"]')
    await expect.poll(() => field.textContent().then((t) => (t ?? '').length)).toBeGreaterThan(1000)
    await page.context().close()
  })
})

describe('large pairs', () => {
  it('draws only the visible lines of a 5,000-line pair and scrolls to its end', async () => {
    const lines = Array.from(
      { length: 5000 },
      (_, i) => `    total_${i} = compute(${i}) + ${i % 7}`,
    )
    const teacher = lines.map((l, i) => (i % 50 === 0 ? l.replace('compute', 'calculate') : l))
    const big = teacher.join('\n') + '\n' + 'x'.repeat(44_000)
    const file = join(folder, 'big-pair.jsonl')
    await writeFile(
      file,
      JSON.stringify({
        prompt: 'Sum everything',
        language: 'python',
        student_code: '```python\n' + lines.join('\n') + '\n```',
        teacher_code: big,
        student_score: 0.5,
        teacher_score: 0.9,
        reward: 0.5 / (0.9 + 1e-6),
      }) + '\n',
    )
    const page = await session.newPage()
    await openFiles(page, file)
    await selectRow(page, 0)
    const pane = review(page).getByTestId('diff-pane-a')
    await pane.waitFor()
    const drawn = await pane.locator('.diff-line').count()
    expect(drawn).toBeGreaterThan(20)
    expect(drawn).toBeLessThan(200)
    expect(await review(page).getByTestId('diff-stats').textContent()).toBe('−0 +1 ~100')
    await pane.evaluate((el) => {
      el.scrollTop = el.scrollHeight
    })
    // The other side follows, and the last lines are drawn.
    await expect
      .poll(() =>
        review(page)
          .getByTestId('diff-pane-b')
          .evaluate((el) => el.scrollTop),
      )
      .toBeGreaterThan(90_000)
    await expect.poll(() => pane.locator('.diff-number', { hasText: /^5000$/ }).count()).toBe(1)
    expect(await pane.locator('.diff-line').count()).toBeLessThan(200)
    const longLine = review(page).getByTestId('diff-pane-b').locator('.diff-line').last()
    expect(((await longLine.textContent()) ?? '').length).toBeGreaterThan(44_000)
    await screenshot(page, 'diff-5000-lines')
    await page.context().close()
  })

  it('colours the top of a 3,000-line pair first, then every line', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `def f_${i}(x):\n    return x + ${i}`)
    const file = join(folder, 'long-pair.jsonl')
    await writeFile(
      file,
      JSON.stringify({
        prompt: 'Define them',
        language: 'python',
        student_code: lines.join('\n'),
        teacher_code: lines.map((l) => l.replace('x + ', 'x * ')).join('\n'),
        student_score: 0.5,
        teacher_score: 0.9,
        reward: 0.5,
      }) + '\n',
    )
    const page = await session.newPage()
    await openFiles(page, file)
    await selectRow(page, 0)
    const coloured = (side: 'a' | 'b') =>
      review(page).getByTestId(`diff-pane-${side}`).locator('.diff-text span[style]').count()
    // The moment the top is in colour, the 6,000 lines of each side are not all tokenised yet.
    const whenTop = await page.waitForFunction(
      () => {
        const diff = document.querySelector('[data-testid="code-diff"]')
        return diff?.getAttribute('data-highlighted-top') === 'true'
          ? diff.getAttribute('data-highlighted')
          : null
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    )
    expect(await whenTop.jsonValue()).toBe('false')
    expect(await coloured('a')).toBeGreaterThan(20)
    expect(await coloured('b')).toBeGreaterThan(20)
    await expect
      .poll(() => diff(page).getAttribute('data-highlighted'), { timeout: 60_000 })
      .toBe('true')
    const pane = review(page).getByTestId('diff-pane-a')
    await pane.evaluate((el) => {
      el.scrollTop = el.scrollHeight
    })
    await expect.poll(() => pane.locator('.diff-number', { hasText: /^6000$/ }).count()).toBe(1)
    await expect.poll(() => coloured('a')).toBeGreaterThan(20)
    await page.context().close()
  })
})
