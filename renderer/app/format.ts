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

const COMPACT = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumSignificantDigits: 3,
})

/**
 * A number where space is short (chart axes, the summary table): 3 significant digits, 12.3K
 * from ten thousand up. The full value belongs in a tooltip beside it.
 */
export function formatShort(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Math.abs(n) >= 10_000) return COMPACT.format(n)
  return Number(n.toPrecision(3)).toString()
}

/**
 * A column's type as every label shows it (table header, detail, cell viewer), in one vocabulary:
 * int, float, decimal, text, bool, time, list, struct, or DuckDB's own name in lower case for the
 * rare rest. The full DuckDB type goes in the label's tooltip.
 */
export function typeLabel(column: { readonly type: string; readonly kind: string }): string {
  switch (column.kind) {
    case 'number':
      if (/INT/i.test(column.type)) return 'int'
      return /DECIMAL|NUMERIC/i.test(column.type) ? 'decimal' : 'float'
    case 'text':
    case 'bool':
    case 'time':
    case 'list':
    case 'struct':
      return column.kind
    default:
      return column.type.toLowerCase()
  }
}
