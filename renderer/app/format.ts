/** Number and size formatting for what the views show. */

/** 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

/** 3240915 -> "3.1 MB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** A number as a cell shows it: integers whole, others to at most 6 significant digits. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n)
  if (!Number.isFinite(n)) return String(n)
  return Number(n.toPrecision(6)).toString()
}

/** A column's type for a label: DuckDB's spelling, or just its kind when that is too long to read. */
export function typeLabel(column: { readonly type: string; readonly kind: string }): string {
  return column.type.length > 40 ? column.kind : column.type
}
