/** One-line renderings of cell values for the table. */
import { formatNumber } from '../../app/format'
import { type CellValue, isList } from '../../data/values'

/** Characters of a compact nested rendering before it is cut. */
const COMPACT_LIMIT = 160

/** A value on one line: text with its line breaks shown as ⏎, nested values in brief. */
export function compactText(value: CellValue, limit = COMPACT_LIMIT): string {
  const out = compact(value, limit)
  return out.length > limit ? `${out.slice(0, limit - 1)}…` : out
}

function compact(value: CellValue, budget: number): string {
  if (value === null) return 'null'
  if (typeof value === 'number') return formatNumber(value)
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'string') return oneLine(value)
  if (isList(value)) {
    const parts: string[] = []
    let used = 0
    for (const item of value) {
      if (used > budget) break
      const text =
        typeof item === 'string'
          ? JSON.stringify(oneLine(item).slice(0, 60))
          : compact(item, budget - used)
      parts.push(text)
      used += text.length + 2
    }
    return `[${parts.join(', ')}]`
  }
  const parts: string[] = []
  let used = 0
  for (const [key, item] of Object.entries(value)) {
    if (used > budget) break
    const text = `${key}: ${typeof item === 'string' ? JSON.stringify(oneLine(item).slice(0, 60)) : compact(item, budget - used)}`
    parts.push(text)
    used += text.length + 2
  }
  return `{${parts.join(', ')}}`
}

/** Line breaks as ⏎ and tabs as spaces, so a cell stays one line. */
export function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ⏎ ').replace(/\t/g, '  ')
}
