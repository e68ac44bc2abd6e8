/** Plain values of query results, as the views show them. */

import type { CellValue } from '../../shared/engine'

export type { CellValue, Row } from '../../shared/engine'

/** True for a struct value (a plain object, not a list). */
export function isStruct(value: CellValue): value is { readonly [key: string]: CellValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** True for a list value. */
export function isList(value: CellValue): value is readonly CellValue[] {
  return Array.isArray(value)
}

/** A value as plain text: strings as they are, anything else as JSON. */
export function valueText(value: CellValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
