/**
 * CSV text for exports (RFC 4180): a header of column names, then one line per row. Nested values
 * are written as JSON text; a null is an empty field and an empty string a quoted `""`, so the two
 * stay apart when the file is read back.
 */
import type { DuckType } from '../profile/duckType'
import type { CellValue } from '../values'
import { jsonValue } from './jsonText'

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/

/** How a spreadsheet recognises a formula (OWASP's list for CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One CSV field. With `spreadsheetSafe`, text a spreadsheet would run as a formula gets a leading
 * `'` (shown by spreadsheets as text; a program reading the CSV sees the `'`).
 */
export function csvField(value: CellValue, type: DuckType, spreadsheetSafe = false): string {
  if (value === null) return ''
  if (typeof value === 'string') {
    return quote(spreadsheetSafe && FORMULA_START.test(value) ? `'${value}` : value)
  }
  if (typeof value === 'number' || typeof value === 'boolean') return jsonValue(value, type)
  return quote(jsonValue(value, type))
}

function quote(text: string): string {
  return text === '' || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** The header line; spreadsheet-safe like the cells when asked (column names come from the file). */
export function csvHeader(names: readonly string[], spreadsheetSafe = false): string {
  return `${names.map((name) => quote(spreadsheetSafe && FORMULA_START.test(name) ? `'${name}` : name)).join(',')}\n`
}

/** One row's line. */
export function csvLine(
  values: readonly CellValue[],
  types: readonly DuckType[],
  spreadsheetSafe = false,
): string {
  return `${values.map((value, i) => csvField(value, types[i]!, spreadsheetSafe)).join(',')}\n`
}
