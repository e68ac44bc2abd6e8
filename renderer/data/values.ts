/** Plain values of query results, as the views show them. */

/** One cell: a scalar, a list or a struct, nested to any depth. */
export type CellValue =
  null | boolean | number | string | readonly CellValue[] | { readonly [key: string]: CellValue }

/** One result row keyed by column name. */
export type Row = Readonly<Record<string, CellValue>>

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
