import type { ColumnInfo } from '../../data/dataset'
import { TEXT_PREVIEW_CHARS } from '../../data/rows'
import { type CellValue, valueText } from '../../data/values'
import { formatCount, formatNumber } from '../../app/format'
import { compactText } from './cellText'

/** One table cell, drawn by the column's kind; `size` is the full length of text or list. */
export function Cell({
  column,
  value,
  size,
}: {
  readonly column: ColumnInfo
  readonly value: CellValue
  readonly size: number | undefined
}) {
  if (value === null) return <span className="cell-null">null</span>
  switch (column.kind) {
    case 'number':
      return (
        <span className="cell-number">
          {typeof value === 'number' ? formatNumber(value) : valueText(value)}
        </span>
      )
    case 'bool':
      return <span className={value === true ? 'cell-true' : 'cell-false'}>{valueText(value)}</span>
    case 'text': {
      const text = compactText(value, TEXT_PREVIEW_CHARS)
      return (
        <>
          <span className="cell-text">{text}</span>
          {size !== undefined && size > TEXT_PREVIEW_CHARS && (
            <span className="cell-size">{formatCount(size)} chars</span>
          )}
        </>
      )
    }
    case 'list':
      return (
        <>
          <span className="cell-badge">
            {itemCount(size ?? (Array.isArray(value) ? value.length : 0))}
          </span>
          <span className="cell-nested">{compactText(value)}</span>
        </>
      )
    case 'struct':
      return <span className="cell-nested">{compactText(value)}</span>
    default:
      return <span className="cell-text">{compactText(value)}</span>
  }
}

function itemCount(n: number): string {
  return n === 1 ? '1 item' : `${formatCount(n)} items`
}
