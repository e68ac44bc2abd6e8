/**
 * The profile editor and the Review section as a person reads and uses them, for e2e tests.
 *
 * Every change in the editor goes through the engine (the units view is rebuilt) before the editor
 * shows it, so the helpers that change a role wait until the editor shows the new value: a second
 * change made before that would be built on the old roles.
 */
import type { Locator, Page } from 'playwright-core'

/** The roles the editor offers as a `<select>` (their `data-role`). */
export type SelectRole =
  | 'unnest'
  | 'prompt'
  | 'language'
  | 'codeA'
  | 'codeB'
  | 'codeB-from'
  | 'reward'
  | 'group'
  | 'tests'
  | 'model'
  | 'breakdown'
  | 'family'

/** The top bar's family badge, the `profile-family` hook. */
export function familyBadge(page: Page): Locator {
  return page.getByTestId('profile-family')
}

/** The profile editor panel, the `profile-editor` hook. */
export function profileEditor(page: Page): Locator {
  return page.getByTestId('profile-editor')
}

/** Opens the editor with the top bar's Roles button (unless it is open already). */
export async function openEditor(page: Page): Promise<Locator> {
  const editor = profileEditor(page)
  if ((await editor.count()) === 0) await page.getByTestId('profile-button').click()
  await editor.waitFor()
  return editor
}

/** Closes the editor with its Close button (when it is open). */
export async function closeEditor(page: Page): Promise<void> {
  const editor = profileEditor(page)
  if ((await editor.count()) === 0) return
  await editor.getByRole('button', { name: 'Close', exact: true }).click()
  await editor.waitFor({ state: 'detached' })
}

/** A role's control in the editor, by its `data-role`. */
export function roleControl(page: Page, role: string): Locator {
  return profileEditor(page).locator(`[data-role="${role}"]`)
}

/** The text of the option a role's select shows, e.g. "student_code" or "— none —". */
export function roleText(page: Page, role: SelectRole): Promise<string> {
  return roleControl(page, role).evaluate(
    (el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '',
  )
}

/** Every option a role's select offers, as shown. */
export function roleOptions(page: Page, role: SelectRole): Promise<string[]> {
  return roleControl(page, role).locator('option').allTextContents()
}

/** The label typed for a code side (`codeA-label`, `codeB-label`); null when the side has none. */
export async function codeLabel(page: Page, side: 'codeA' | 'codeB'): Promise<string | null> {
  const input = roleControl(page, `${side}-label`)
  return (await input.count()) === 0 ? null : input.inputValue()
}

/** The score checkboxes as { field label: checked }. */
export async function scoreChoices(page: Page): Promise<Record<string, boolean>> {
  const labels = await roleControl(page, 'scores').locator('label').all()
  const out: Record<string, boolean> = {}
  for (const label of labels) {
    out[((await label.textContent()) ?? '').trim()] = await label.locator('input').isChecked()
  }
  return out
}

/** The fields whose score checkbox is ticked, in the editor's order. */
export async function checkedScores(page: Page): Promise<string[]> {
  return Object.entries(await scoreChoices(page))
    .filter(([, on]) => on)
    .map(([name]) => name)
}

/** What the editor says about where the roles come from, the `profile-origin` hook. */
export function originText(page: Page): Promise<string | null> {
  return page.getByTestId('profile-origin').textContent()
}

/** Picks an option of a role's select by the text it shows and waits until the editor shows it. */
export async function chooseRole(page: Page, role: SelectRole, option: string): Promise<void> {
  await roleControl(page, role).selectOption({ label: option })
  await waitFor(() => roleText(page, role), option)
}

/** Replaces a code side's label (one input event, as a paste would) and waits until it shows. */
export async function setCodeLabel(
  page: Page,
  side: 'codeA' | 'codeB',
  label: string,
): Promise<void> {
  await roleControl(page, `${side}-label`).fill(label)
  await waitFor(() => codeLabel(page, side), label)
}

/** Ticks exactly these score fields, one click at a time, each applied before the next. */
export async function setScores(page: Page, fields: readonly string[]): Promise<void> {
  for (const [name, on] of Object.entries(await scoreChoices(page))) {
    if (on === fields.includes(name)) continue
    await roleControl(page, 'scores').locator('label', { hasText: name }).locator('input').click()
    await waitFor(async () => (await scoreChoices(page))[name], !on)
  }
}

async function waitFor<T>(read: () => Promise<T>, expected: T, timeout = 15_000): Promise<void> {
  const end = Date.now() + timeout
  let last: T = await read()
  while (last !== expected) {
    if (Date.now() > end) {
      throw new Error(`Timed out: the editor shows ${String(last)}, not ${String(expected)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    last = await read()
  }
}

/**
 * The Review section of the row detail, the `review` hook inside `row-detail`, once it shows the
 * selected row (while the next row loads, the last one stays on screen, marked busy).
 */
export function review(page: Page): Locator {
  return page.getByTestId('row-detail').locator('[data-testid="review"]:not([aria-busy="true"])')
}

/** The scores the Review section shows, as { name: text } (`reward` included when set). */
export async function reviewScores(page: Page): Promise<Record<string, string>> {
  const pairs = await review(page)
    .getByTestId('review-scores')
    .locator(':scope > div')
    .evaluateAll((divs) =>
      divs.map((d): [string, string] => [
        d.querySelector('dt')?.textContent ?? '',
        d.querySelector('dd')?.textContent ?? '',
      ]),
    )
  return Object.fromEntries(pairs)
}

/** One side of the diff in the Review section: `a` (diff-side-a) or `b` (diff-side-b). */
export function codeSide(page: Page, side: 'a' | 'b'): Locator {
  return review(page).getByTestId(`diff-side-${side}`)
}

/**
 * The code a side of the side-by-side diff shows, its lines joined. The diff draws only the lines
 * on screen, so the pane is scrolled from top to bottom and each drawn line is read by its number.
 */
export async function diffText(page: Page, side: 'a' | 'b'): Promise<string> {
  return review(page)
    .getByTestId(`diff-pane-${side}`)
    .evaluate(async (pane) => {
      const byNumber = new Map<number, string>()
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve))
      for (let top = 0; ; top += pane.clientHeight) {
        pane.scrollTop = top
        pane.dispatchEvent(new Event('scroll'))
        await frame()
        await frame()
        for (const line of pane.querySelectorAll('.diff-line:not(.diff-empty)')) {
          const number = Number(line.querySelector('.diff-number')?.textContent)
          byNumber.set(number, line.querySelector('.diff-text')?.textContent ?? '')
        }
        if (top + pane.clientHeight >= pane.scrollHeight) break
      }
      pane.scrollTop = 0
      return [...byNumber.entries()]
        .sort((x, y) => x[0] - y[0])
        .map(([, text]) => text)
        .join('\n')
    })
}

/** What a code side is called, the code it shows and the small notes beside its name. */
export async function readCodeSide(
  page: Page,
  side: 'a' | 'b',
): Promise<{ label: string; code: string; notes: string[] }> {
  const head = codeSide(page, side)
  return {
    label: (await head.locator('strong').textContent()) ?? '',
    code: await diffText(page, side),
    notes: (await head.locator(':scope > span').allTextContents()).map((t) => t.trim()),
  }
}

/** The "Raw answers" checkbox of the diff. */
export function rawAnswers(page: Page): Locator {
  return review(page).getByTestId('diff-raw')
}
