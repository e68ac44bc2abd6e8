/**
 * Profiles in the browser: the family each real file is recognised as, the roles the editor shows,
 * the Review section read through those roles, mapping a file of no family by hand (kept per file
 * across a reload), a role that changes the unit of review, and the editor in the dark scheme.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { ensureOpen, selectRow } from '../support/dom'
import {
  checkedScores,
  chooseRole,
  closeEditor,
  codeLabel,
  diffText,
  familyBadge,
  openEditor,
  originText,
  profileEditor,
  rawAnswers,
  readCodeSide,
  review,
  reviewScores,
  roleText,
  setCodeLabel,
  setScores,
} from '../support/profileUi'
import { REAL_FILES, describeRealdata, itRealdata, realPath } from '../support/realdata'

const RLAIF = realPath('code-rlaif/train.jsonl')
const RLAIF_HEAD = realPath('code-rlaif/train_head_prompt_language_only.jsonl')
const ACECODE = realPath('acecode-87k/acecode_sample.jsonl')
const VIZHUB = realPath('vizhub-rlhf/training-dataset-v1.0.jsonl')
const KODCODE_SFT = realPath('kodcode/SFT_KodCode_algorithm_100_1741212598.json')

/** What the editor says about where the roles come from. */
const ORIGIN = {
  detected: 'Detected from the columns.',
  saved: 'Your roles for this file, saved earlier.',
  edited: 'Edited; saved for this file.',
}

let session: Session
let folder: string
/** The light page the tests share: each new page starts DuckDB-WASM again (~3 s). */
let page: Page

beforeAll(async () => {
  session = await startSession()
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-profile-'))
  page = await session.newPage()
})
afterAll(async () => {
  await session?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

/** A number as the app shows it: integers whole, others to at most 6 significant digits. */
const shown = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6))))

async function readJsonl<T>(path: string): Promise<T[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T)
}

const reviewLanguage = (p: Page) => review(p).getByTestId('review-language').textContent()
const reviewHead = (p: Page) => review(p).locator('.review-head').textContent()
const unitPicker = (p: Page) => review(p).getByTestId('unit-picker')
/** Text as the diff shows it: its lines, without a final line break. */
const lines = (text: string) =>
  text
    .split(/\r\n|\r|\n/)
    .join('\n')
    .replace(/\n$/, '')

describeRealdata('the family of each real file', () => {
  const FAMILY: Readonly<Record<string, string>> = {
    'code-rlaif/train.jsonl': 'code-rlaif',
    'code-rlaif/train_head_prompt_language_only.jsonl': 'generic',
    'acecode-87k/acecode_sample.jsonl': 'acecode',
    'vizhub-rlhf/training-dataset-v1.0.jsonl': 'preference-pairs',
    'vizhub-rlhf/training-dataset-v1.0.meta.json': 'generic',
    'vizhub-rlhf/grades/ej-fox.csv': 'generic',
    'vizhub-rlhf/results.csv': 'generic',
    'kodcode/KodCode_algorithm_100_1741212598.json': 'kodcode',
    'kodcode/KodCode_leetcode_100_1741214688.json': 'kodcode',
    'kodcode/KodCode_prefill_200_1741214325.json': 'kodcode',
    'kodcode/SFT_KodCode_algorithm_100_1741212598.json': 'kodcode',
    'preference-code/correctness-alignment.jsonl': 'generic',
    'leetcode/LeetCodeDataset-v0.3.1-test.jsonl': 'generic',
  }
  const files = [...REAL_FILES.map((f) => f.path), 'vizhub-rlhf/training-dataset-v1.0.meta.json']

  it('has an expected family for every real file', () => {
    expect(Object.keys(FAMILY).sort()).toEqual([...files].sort())
  })

  it.each(files)('shows %s as its family in the top bar and in the editor', async (file) => {
    await openFiles(page, realPath(file))
    await expect.poll(() => familyBadge(page).textContent()).toBe(FAMILY[file])
    await selectRow(page, 0)
    await review(page).waitFor()
    await openEditor(page)
    expect(await roleText(page, 'family')).toBe(FAMILY[file])
    expect(await originText(page)).toBe(ORIGIN.detected)
    await screenshot(page, `profile-${file.replace(/\.[^.]+$/, '').replaceAll('/', '-')}`)
    await closeEditor(page)
  })
})

describeRealdata('the roles the editor shows', () => {
  it('maps student and teacher code, both scores and the reward of code-rlaif', async () => {
    await ensureOpen(page, RLAIF)
    await openEditor(page)
    expect(await roleText(page, 'unnest')).toBe('each row')
    expect(await roleText(page, 'prompt')).toBe('prompt')
    expect(await roleText(page, 'language')).toBe('language')
    expect(await roleText(page, 'codeA')).toBe('student_code')
    expect(await codeLabel(page, 'codeA')).toBe('student')
    expect(await roleText(page, 'codeB')).toBe('teacher_code')
    expect(await codeLabel(page, 'codeB')).toBe('teacher')
    expect(await roleText(page, 'codeB-from')).toBe('from this unit')
    expect(await checkedScores(page)).toEqual(['student_score', 'teacher_score'])
    expect(await roleText(page, 'reward')).toBe('reward')
    expect(await roleText(page, 'breakdown')).toBe('scoring_breakdown')
    await closeEditor(page)
  })

  it('reviews each element of inferences in acecode against the best of its group by pass rate', async () => {
    await ensureOpen(page, ACECODE)
    await openEditor(page)
    expect(await roleText(page, 'unnest')).toBe('each element of inferences')
    expect(await roleText(page, 'prompt')).toBe('question')
    expect(await roleText(page, 'codeA')).toBe('inferences.completion')
    expect(await roleText(page, 'codeB')).toBe('inferences.completion')
    expect(await codeLabel(page, 'codeB')).toBe('best completion')
    expect(await roleText(page, 'codeB-from')).toBe('best of its group by inferences.pass_rate')
    expect(await checkedScores(page)).toEqual(['inferences.pass_rate'])
    expect(await roleText(page, 'reward')).toBe('inferences.pass_rate')
    expect(await roleText(page, 'tests')).toBe('test_cases')
    expect(await roleText(page, 'model')).toBe('inferences.model_name')
    await closeEditor(page)
  })
})

describeRealdata('the Review section of the selected row', () => {
  it('shows code-rlaif row 1 as rust, with its scores and the student answer cut off mid-fence', async () => {
    const [row] = await readJsonl<{
      student_code: string
      teacher_code: string
      student_score: number
      teacher_score: number
      reward: number
    }>(RLAIF)
    await ensureOpen(page, RLAIF)
    await selectRow(page, 0)
    await expect.poll(() => reviewLanguage(page)).toBe('rust')
    expect(await reviewScores(page)).toEqual({
      student_score: shown(row!.student_score),
      teacher_score: shown(row!.teacher_score),
      reward: shown(row!.reward),
    })
    expect(await reviewScores(page)).toEqual({
      student_score: '0.85',
      teacher_score: '0.95',
      reward: '0.894736',
    })

    const student = await readCodeSide(page, 'a')
    expect(student.label).toBe('student')
    expect(student.notes).toContain('fence left open')
    expect(row!.student_code.startsWith('```rust\n')).toBe(true)
    expect(student.code.startsWith('```')).toBe(false)
    // The code is the answer without its opening fence line, to the end (the fence never closes).
    expect(student.code).toBe(row!.student_code.slice('```rust\n'.length))
    const teacher = await readCodeSide(page, 'b')
    expect(teacher.label).toBe('teacher')
    expect(teacher.notes).not.toContain('fence left open')
    expect(teacher.code).not.toContain('```')
    expect(teacher.code.startsWith('/// Finds all prime numbers')).toBe(true)
    expect(row!.teacher_code).toContain(teacher.code)
    await screenshot(page, 'profile-review-code-rlaif')

    await rawAnswers(page).check()
    await expect.poll(() => diffText(page, 'a')).toBe(lines(row!.student_code))
    expect(await diffText(page, 'b')).toBe(lines(row!.teacher_code))
    await rawAnswers(page).uncheck()
    await expect.poll(() => diffText(page, 'a')).toBe(student.code)
  })

  it('folds the c++ label of the prompt-and-language file to cpp and says what the file says', async () => {
    const rows = await readJsonl<{ language: string }>(RLAIF_HEAD)
    const cpp = rows.findIndex((r) => r.language === 'c++')
    const python = rows.findIndex((r) => r.language === 'python')
    expect(cpp).toBeGreaterThan(0)
    await openFiles(page, RLAIF_HEAD)
    await selectRow(page, cpp)
    await expect.poll(() => reviewLanguage(page)).toBe('cpp')
    expect(await reviewHead(page)).toContain('file says “c++”')
    await selectRow(page, python)
    await expect.poll(() => reviewLanguage(page)).toBe('python')
    expect(await reviewHead(page)).not.toContain('file says')
  })

  it('compares any two of the 80 acecode inferences, best against worst first', async () => {
    const [row] = await readJsonl<{
      inferences: { completion: string; pass_rate: number; model_name: string }[]
    }>(ACECODE)
    const inferences = row!.inferences
    const rates = inferences.map((inf) => inf.pass_rate)
    const best = rates.indexOf(Math.max(...rates))
    const worst = rates.indexOf(Math.min(...rates))
    expect(best).not.toBe(worst)

    await ensureOpen(page, ACECODE)
    await selectRow(page, 0)
    const picker = unitPicker(page)
    await picker.waitFor()
    expect(await picker.locator('option').count()).toBe(80)
    expect(await review(page).locator('.unit-picker').first().textContent()).toContain('of 80')
    const options = await picker.locator('option').allTextContents()
    options.forEach((text, i) => expect(text).toMatch(new RegExp(`^#${i + 1}\\b`)))

    const a = await readCodeSide(page, 'a')
    expect(a.label).toBe(`completion #${best + 1}`)
    expect(a.code).toBe(lines(inferences[best]!.completion))
    expect(a.notes).toContain(`pass_rate ${shown(rates[best]!)}`)
    expect(a.notes).toContain(inferences[best]!.model_name)
    const b = await readCodeSide(page, 'b')
    expect(b.label).toBe(`completion #${worst + 1}`)
    expect(b.code).toBe(lines(inferences[worst]!.completion))
    expect(b.notes).toContain(`pass_rate ${shown(rates[worst]!)}`)

    // Any two: the third against the first.
    await picker.selectOption({ index: 2 })
    await review(page).getByTestId('unit-picker-b').selectOption({ index: 0 })
    await expect
      .poll(async () => (await readCodeSide(page, 'a')).code)
      .toBe(lines(inferences[2]!.completion))
    expect((await readCodeSide(page, 'b')).code).toBe(lines(inferences[0]!.completion))
    expect(await reviewScores(page)).toEqual({
      pass_rate: shown(rates[2]!),
      reward: shown(rates[2]!),
    })
    await screenshot(page, 'profile-review-acecode')
  })

  it('tells html from the vizhub answers, which label no language', async () => {
    await openFiles(page, VIZHUB)
    await selectRow(page, 0)
    await expect.poll(() => reviewLanguage(page)).toBe('html')
    expect((await readCodeSide(page, 'a')).label).toBe('chosen')
    expect((await readCodeSide(page, 'b')).label).toBe('rejected')
    expect((await readCodeSide(page, 'a')).code.startsWith('<!DOCTYPE html>')).toBe(true)
  })
})

describe('mapping a file of no family by hand', () => {
  interface Row {
    task: string
    lang: 'Python' | 'Rust'
    answer_a: string
    answer_b: string
    grade_a: number
    grade_b: number
    id: number
  }
  const NAME = 'hand-mapped-answers.jsonl'
  const rows: Row[] = Array.from({ length: 50 }, (_, i) => {
    const python = i % 2 === 0
    const codeA = python
      ? `def square_${i}(x):\n    return x * x`
      : `fn square_${i}(x: i64) -> i64 {\n    x * x\n}`
    const codeB = python
      ? `def square_${i}(x: int) -> int:\n    """Returns x squared."""\n    result = x ** 2\n    return result`
      : `/// Returns x squared.\nfn square_${i}(x: i64) -> i64 {\n    let result = x.pow(2);\n    result\n}`
    return {
      task: `Task ${i}: write a function square_${i} that returns its argument squared.`,
      lang: python ? 'Python' : 'Rust',
      answer_a: `Here is the function:\n\n\`\`\`${python ? 'python' : 'rust'}\n${codeA}\n\`\`\`\n\nIt multiplies x by itself, which is the simplest way to square a number.`,
      // Bare code, longer than answer_a: detection takes it for the first code column.
      answer_b: `${codeB}\n\n// ${'A longer answer with a comment to explain the approach. '.repeat(3)}`,
      grade_a: Math.round((0.1 + (i % 9) * 0.1) * 100) / 100,
      grade_b: Math.round((0.9 - (i % 9) * 0.1) * 100) / 100,
      id: i,
    }
  })
  let file: string
  const SELECTED = 6

  beforeAll(async () => {
    file = join(folder, NAME)
    await writeFile(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`)
  })

  async function expectDetectedRoles(p: Page): Promise<void> {
    expect(await roleText(p, 'family')).toBe('generic')
    expect(await roleText(p, 'unnest')).toBe('each row')
    expect(await roleText(p, 'prompt')).toBe('task')
    expect(await roleText(p, 'language')).toBe('lang')
    expect(await roleText(p, 'codeA')).toBe('answer_b')
    expect(await codeLabel(p, 'codeA')).toBe('answer_b')
    expect(await roleText(p, 'codeB')).toBe('answer_a')
    expect(await codeLabel(p, 'codeB')).toBe('answer_a')
    expect(await checkedScores(p)).toEqual(['grade_a', 'grade_b'])
    expect(await roleText(p, 'reward')).toBe('— none —')
  }

  async function expectMappedRoles(p: Page): Promise<void> {
    expect(await roleText(p, 'family')).toBe('generic')
    expect(await roleText(p, 'prompt')).toBe('task')
    expect(await roleText(p, 'language')).toBe('lang')
    expect(await roleText(p, 'codeA')).toBe('answer_a')
    expect(await codeLabel(p, 'codeA')).toBe('left')
    expect(await roleText(p, 'codeB')).toBe('answer_b')
    expect(await codeLabel(p, 'codeB')).toBe('right')
    expect(await checkedScores(p)).toEqual(['grade_a', 'grade_b'])
    expect(await roleText(p, 'reward')).toBe('grade_b')
  }

  async function expectMappedReview(p: Page): Promise<void> {
    const row = rows[SELECTED]!
    await expect.poll(() => reviewLanguage(p)).toBe('python')
    expect(await reviewHead(p)).not.toContain('file says')
    await expect.poll(() => readCodeSide(p, 'a').then((s) => s.label)).toBe('left')
    const left = await readCodeSide(p, 'a')
    expect(left.code).toBe(`def square_${SELECTED}(x):\n    return x * x`)
    expect(left.notes).not.toContain('fence left open')
    const right = await readCodeSide(p, 'b')
    expect(right.label).toBe('right')
    expect(right.code).toBe(row.answer_b)
    await expect
      .poll(() => reviewScores(p))
      .toEqual({
        grade_a: shown(row.grade_a),
        grade_b: shown(row.grade_b),
        reward: shown(row.grade_b),
      })
    expect(await review(p).locator('.review-prompt').textContent()).toContain(row.task)
  }

  it('detects it as generic and takes the roles set in the editor into the Review section', async () => {
    await openFiles(page, file)
    await expect.poll(() => familyBadge(page).textContent()).toBe('generic')
    await selectRow(page, SELECTED)
    await review(page).waitFor()
    await openEditor(page)
    await expectDetectedRoles(page)

    await chooseRole(page, 'codeA', 'answer_a')
    await setCodeLabel(page, 'codeA', 'left')
    await chooseRole(page, 'codeB', 'answer_b')
    await setCodeLabel(page, 'codeB', 'right')
    await setScores(page, ['grade_a', 'grade_b'])
    await chooseRole(page, 'reward', 'grade_b')
    await chooseRole(page, 'language', 'lang')
    await chooseRole(page, 'prompt', 'task')
    await expectMappedRoles(page)
    expect(await originText(page)).toBe(ORIGIN.edited)
    expect(await page.getByTestId('profile-error').count()).toBe(0)
    expect(await page.getByTestId('profile-button').textContent()).toContain('edited')
    await closeEditor(page)
    await expectMappedReview(page)
    await screenshot(page, 'profile-generic-mapped')
  })

  it('restores the edited roles when the file is opened again after a reload', async () => {
    await page.reload()
    await openFiles(page, file)
    await expect.poll(() => familyBadge(page).textContent()).toBe('generic')
    await openEditor(page)
    expect(await originText(page)).toBe(ORIGIN.saved)
    await expectMappedRoles(page)
    await closeEditor(page)
    await selectRow(page, SELECTED)
    await expectMappedReview(page)
  })

  it('goes back to the detected roles with "Reset to detected", and stays there after a reload', async () => {
    await ensureOpen(page, file)
    await openEditor(page)
    await profileEditor(page).getByRole('button', { name: 'Reset to detected' }).click()
    await expect.poll(() => originText(page)).toBe(ORIGIN.detected)
    await expectDetectedRoles(page)
    expect(
      await profileEditor(page).getByRole('button', { name: 'Reset to detected' }).count(),
    ).toBe(0)
    expect(await page.getByTestId('profile-button').textContent()).not.toContain('edited')
    await closeEditor(page)
    await selectRow(page, SELECTED)
    await expect.poll(() => readCodeSide(page, 'a').then((s) => s.label)).toBe('answer_b')

    await page.reload()
    await openFiles(page, file)
    await openEditor(page)
    expect(await originText(page)).toBe(ORIGIN.detected)
    await expectDetectedRoles(page)
    await closeEditor(page)
  })

  it('keeps every letter typed into a code label, however fast', async () => {
    // Regression: every keystroke used to rebuild the units view before the input took the new
    // value, so fast typing lost letters. Labels are not part of the view and apply at once.
    await ensureOpen(page, file)
    await selectRow(page, SELECTED)
    await review(page).waitFor()
    await openEditor(page)
    const input = profileEditor(page).locator('[data-role="codeA-label"]')
    try {
      await input.fill('')
      await expect.poll(() => codeLabel(page, 'codeA')).toBe('')
      await input.pressSequentially('left side', { delay: 10 })
      await expect.poll(() => codeLabel(page, 'codeA'), { timeout: 3_000 }).toBe('left side')
    } finally {
      await profileEditor(page).getByRole('button', { name: 'Reset to detected' }).click()
      await expect.poll(() => originText(page)).toBe(ORIGIN.detected)
      await closeEditor(page)
    }
  })
})

describe('a role that changes the unit of review', () => {
  itRealdata(
    'reviews each element of the KodCode SFT conversations, one unit per turn',
    async () => {
      const [row] = JSON.parse(await readFile(KODCODE_SFT, 'utf8')) as {
        solution: string
        conversations: { from: string; value: string }[]
      }[]
      await openFiles(page, KODCODE_SFT)
      await expect.poll(() => familyBadge(page).textContent()).toBe('kodcode')
      await selectRow(page, 0)
      await openEditor(page)
      expect(await roleText(page, 'unnest')).toBe('each row')
      await chooseRole(page, 'unnest', 'each element of conversations')
      expect(await page.getByTestId('profile-error').count()).toBe(0)
      expect(await originText(page)).toBe(ORIGIN.edited)
      // The roles outside the list still apply to every unit.
      expect(await roleText(page, 'codeA')).toBe('solution')
      expect(await roleText(page, 'prompt')).toBe('question')
      await chooseRole(page, 'codeB', 'conversations.value')
      await setCodeLabel(page, 'codeB', 'turn')
      await closeEditor(page)

      expect(await page.getByTestId('row-count').textContent()).toBe('31 of 31 rows')
      const picker = unitPicker(page)
      await picker.waitFor()
      const options = await picker.locator('option').allTextContents()
      expect(options).toHaveLength(2)
      expect(options[0]).toMatch(/^#1\b/)
      expect(options[1]).toMatch(/^#2\b/)
      await expect.poll(async () => (await readCodeSide(page, 'b')).label).toBe('turn')
      expect((await readCodeSide(page, 'a')).code).toBe(row!.solution)
      // The human turn has no fence: all of it is the code.
      expect((await readCodeSide(page, 'b')).code).toBe(row!.conversations[0]!.value)
      await picker.selectOption({ index: 1 })
      await expect
        .poll(async () =>
          row!.conversations[1]!.value.includes((await readCodeSide(page, 'b')).code),
        )
        .toBe(true)
      expect((await readCodeSide(page, 'b')).code).not.toContain('```')
      expect((await readCodeSide(page, 'a')).code).toBe(row!.solution)

      await openEditor(page)
      await profileEditor(page).getByRole('button', { name: 'Reset to detected' }).click()
      await expect.poll(() => originText(page)).toBe(ORIGIN.detected)
      expect(await roleText(page, 'unnest')).toBe('each row')
      await closeEditor(page)
      await expect.poll(() => unitPicker(page).count()).toBe(0)
    },
  )

  it('uses the detected roles, and says why, when the roles saved for a file name no longer fit it', async () => {
    // The browser keeps roles by file name: another file of the same name must not break.
    const sub = join(folder, 'other')
    await mkdir(sub, { recursive: true })
    const first = join(folder, 'same-name.jsonl')
    const second = join(sub, 'same-name.jsonl')
    await writeFile(
      first,
      Array.from({ length: 5 }, (_, i) => JSON.stringify({ prompt: `p${i}`, score: i / 10 })).join(
        '\n',
      ),
    )
    await writeFile(
      second,
      Array.from({ length: 5 }, (_, i) => JSON.stringify({ question: `q${i}`, rating: i })).join(
        '\n',
      ),
    )
    await openFiles(page, first)
    await openEditor(page)
    expect(await roleText(page, 'reward')).toBe('score')
    await chooseRole(page, 'reward', '— none —')
    expect(await originText(page)).toBe(ORIGIN.edited)
    await closeEditor(page)

    await openFiles(page, second)
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('5 of 5 rows')
    await openEditor(page)
    expect(await originText(page)).toBe(ORIGIN.detected)
    expect(await roleText(page, 'reward')).toBe('rating')
    expect(await profileEditor(page).locator('.notice').textContent()).toBe(
      'The roles saved for this file name prompt, which it no longer has; the detected roles are used.',
    )
    expect(await page.getByTestId('load-error').count()).toBe(0)
    await closeEditor(page)
    await selectRow(page, 0)
    await review(page).waitFor()
  })
})

describeRealdata('the editor in the dark scheme', () => {
  it('reads well on code-rlaif with a row selected', async () => {
    const dark = await session.newPage({ colorScheme: 'dark' })
    try {
      await openFiles(dark, RLAIF)
      await selectRow(dark, 0)
      await review(dark).waitFor()
      await openEditor(dark)
      const luminance = await profileEditor(dark).evaluate((el) => {
        const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(
          getComputedStyle(el).backgroundColor,
        )
        if (!match) return -1
        const [r, g, b] = match.slice(1, 4).map((v) => Number(v) / 255) as [number, number, number]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
      })
      expect(luminance).toBeGreaterThanOrEqual(0)
      expect(luminance).toBeLessThan(0.15)
      await screenshot(dark, 'profile-code-rlaif-dark')
    } finally {
      await dark.context().close()
    }
  })
})
