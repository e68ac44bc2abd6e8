/** Reading the web build's table and detail pane the way a person reads them, for e2e tests. */
import type { Locator, Page } from 'playwright-core'
import { openFiles } from './browser'

/** The table, the `row-table` hook. */
export function table(page: Page): Locator {
  return page.getByTestId('row-table')
}

/** The visible table row at a display position. */
export function tableRow(page: Page, index: number): Locator {
  return table(page).locator(`[role="row"][data-row-index="${index}"]`)
}

/** The header cell of a column, found by the name it shows. */
export function columnHeader(page: Page, column: string): Locator {
  return table(page)
    .getByRole('columnheader')
    .filter({ has: page.locator('.header-name', { hasText: new RegExp(`^${escape(column)}$`) }) })
}

/** The column names in the table header, left to right. */
export function headerNames(page: Page): Promise<string[]> {
  return table(page).locator('[role="columnheader"] .header-name').allTextContents()
}

/** The cell of a column in the row at a display position (waits for the row to be drawn). */
export async function cell(page: Page, index: number, column: string): Promise<Locator> {
  const names = await headerNames(page)
  const at = names.indexOf(column)
  if (at < 0) throw new Error(`No column ${column} in the table header: ${names.join(', ')}`)
  return tableRow(page, index).getByRole('gridcell').nth(at)
}

/** The text of a column's cells in the rows at display positions [0, count). */
export async function columnTexts(page: Page, column: string, count: number): Promise<string[]> {
  const texts: string[] = []
  for (let i = 0; i < count; i++)
    texts.push(((await (await cell(page, i, column)).textContent()) ?? '').trim())
  return texts
}

/** The row-number (#) column of the rows at display positions [0, count). */
export async function rowNumbers(page: Page, count: number): Promise<string[]> {
  const numbers: string[] = []
  for (let i = 0; i < count; i++) {
    numbers.push(
      (await tableRow(page, i).getByRole('rowheader').locator('.row-number').textContent()) ?? '',
    )
  }
  return numbers
}

/** Scrolls the table until the row at a display position is drawn, then clicks it. */
export async function selectRow(page: Page, index: number): Promise<void> {
  await table(page).evaluate(
    (el, top) => {
      el.scrollTop = top
    },
    Math.max(0, index * 28 - 100),
  )
  const row = tableRow(page, index)
  await row.locator('[role="gridcell"] > :not(.cell-loading)').first().waitFor()
  await row.click()
  await row.and(page.locator('[aria-selected="true"]')).waitFor()
}

/** The heading of the detail pane, such as "Row 3". */
export function detailHeading(page: Page): Locator {
  return page.getByTestId('row-detail').locator('h2')
}

/** The detail pane's value of one field. */
export function detailField(page: Page, field: string): Locator {
  return page.getByTestId('row-detail').locator(`[data-field="${field}"] > dd`)
}

/** Opens a file unless a dataset of that name is already shown. */
export async function ensureOpen(page: Page, path: string): Promise<void> {
  const name = path.split('/').pop()!
  const shown = page.getByTestId('dataset-name')
  if ((await shown.count()) > 0 && (await shown.textContent()) === name) return
  await openFiles(page, path)
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
