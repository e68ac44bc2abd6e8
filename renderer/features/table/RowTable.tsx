import { type KeyboardEvent, type PointerEvent, useEffect, useRef, useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import type { RowSource } from '../../data/filter'
import type { ColumnInfo, LoadedDataset } from '../../data/dataset'
import type { RowOrder } from '../../data/rows'
import { formatCount, typeLabel } from '../../app/format'
import { useVirtualRows } from '../../app/useVirtualRows'
import { Cell } from './Cell'
import { CellViewer } from './CellViewer'
import { useRowPages } from './useRowPages'
import { useTextLengths } from './useTextLengths'
import { RowBadges } from '../qa/RowBadges'
import { useFindings } from '../qa/useFindings'

const ROW_HEIGHT = 28
const INDEX_WIDTH = 64
/** Rows drawn above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 12
const MIN_WIDTH = 48

/** A first width for a column: from its name, and for text from the longest sampled value. */
function defaultWidth(column: ColumnInfo, sampledChars: number | undefined): number {
  const forName = column.name.length * 8 + 56
  switch (column.kind) {
    case 'number':
    case 'bool':
      return Math.max(90, Math.min(200, forName))
    case 'time':
      return 200
    case 'text':
      return Math.max(80, Math.min(340, Math.max(forName, (sampledChars ?? 40) * 7.4 + 24)))
    default:
      return 260
  }
}

function nextSort(current: RowOrder | null, column: string): RowOrder | null {
  if (current?.column !== column) return { column, direction: 'asc' }
  return current.direction === 'asc' ? { column, direction: 'desc' } : null
}

/** The virtualised table: only the rows in view are in the DOM; pages load as they scroll in. */
export function RowTable({
  dataset,
  source,
  rowCount,
}: {
  readonly dataset: LoadedDataset
  /** Where the rows the filter shows are read from. */
  readonly source: RowSource
  /** How many rows that is. */
  readonly rowCount: number
}) {
  const { store } = useServices()
  const sort = useAppState(store, (s) => s.sort)
  const selectedRow = useAppState(store, (s) => s.selectedRow)
  const flags = useAppState(store, (s) => s.flags)
  const pages = useRowPages(dataset, sort, source, rowCount)
  const scroller = useRef<HTMLDivElement>(null)
  const { onScroll, first, last, viewportHeight } = useVirtualRows(
    scroller,
    rowCount,
    ROW_HEIGHT,
    OVERSCAN,
  )
  const [widths, setWidths] = useState<Readonly<Record<string, number>>>({})
  // The keyboard cursor belongs to one list of rows (dataset, order, filter, flags): when the
  // rows change under it, it starts afresh rather than selecting whatever now sits at its index.
  const { viewKey } = pages
  const [cursorAt, setCursorAt] = useState<{ viewKey: string; index: number } | null>(null)
  const cursor = cursorAt?.viewKey === viewKey ? cursorAt.index : null
  const setCursor = (index: number) => setCursorAt({ viewKey, index })
  const [viewer, setViewer] = useState<{ row: number; column: ColumnInfo } | null>(null)
  const textLengths = useTextLengths(dataset)

  const { request, rowAt, version } = pages

  useEffect(() => {
    request(first, last)
  }, [first, last, request, version])

  // A new dataset or order starts at the top.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 })
  }, [viewKey])

  // The keyboard cursor selects its row as soon as the row's page has arrived.
  useEffect(() => {
    if (cursor === null) return
    const row = rowAt(cursor)
    if (row) store.select(row.id)
    else request(cursor, cursor)
  }, [cursor, rowAt, request, store, version])

  const widthOf = (column: ColumnInfo) =>
    widths[column.name] ?? defaultWidth(column, textLengths[column.name])
  const totalWidth = INDEX_WIDTH + dataset.columns.reduce((sum, c) => sum + widthOf(c), 0)

  const moveCursor = (to: number) => setCursor(Math.max(0, Math.min(rowCount - 1, to)))

  // Whatever moved the cursor (keys here, or j / k in the detail pane), its row scrolls into view.
  useEffect(() => {
    const el = scroller.current
    if (!el || cursor === null) return
    const top = cursor * ROW_HEIGHT
    const headerHeight = ROW_HEIGHT + 4
    if (top < el.scrollTop) el.scrollTop = top
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight - headerHeight) {
      el.scrollTop = top + ROW_HEIGHT - el.clientHeight + headerHeight
    }
  }, [cursor])

  // j / k pressed in the detail pane move through the rows in the table's own order.
  const rowStep = useAppState(store, (s) => s.rowStep)
  const [stepSeen, setStepSeen] = useState(rowStep)
  if (rowStep !== stepSeen) {
    setStepSeen(rowStep)
    if (rowStep) moveCursor((cursor ?? -1) + rowStep.delta)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT) - 1)
    const at = cursor ?? -1
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      j: at + 1,
      ArrowUp: at - 1,
      k: at - 1,
      PageDown: at + page,
      PageUp: at - page,
      Home: 0,
      End: rowCount - 1,
    }
    if (event.key === 'Enter') {
      // Enter opens the selected row's detail: focus moves there, for reading with the keyboard.
      const detail = document.querySelector<HTMLElement>('[data-testid="row-detail"]')
      if (detail && cursor !== null) {
        event.preventDefault()
        detail.focus()
      }
      return
    }
    const to = moves[event.key]
    if (to === undefined || event.altKey || event.ctrlKey || event.metaKey) return
    event.preventDefault()
    moveCursor(to)
  }

  const startResize = (event: PointerEvent<HTMLSpanElement>, column: ColumnInfo) => {
    event.preventDefault()
    event.stopPropagation()
    const startX = event.clientX
    const startWidth = widthOf(column)
    const handle = event.currentTarget
    handle.setPointerCapture(event.pointerId)
    const onMove = (e: globalThis.PointerEvent) => {
      const width = Math.max(MIN_WIDTH, startWidth + e.clientX - startX)
      setWidths((w) => ({ ...w, [column.name]: width }))
    }
    const onUp = () => {
      handle.removeEventListener('pointermove', onMove)
      handle.removeEventListener('pointerup', onUp)
    }
    handle.addEventListener('pointermove', onMove)
    handle.addEventListener('pointerup', onUp)
  }

  const shownIds: number[] = []
  for (let index = first; index <= last; index++) {
    const row = rowAt(index)
    if (row) shownIds.push(row.id)
  }
  const findings = useFindings(dataset.table, shownIds)

  const rows = []
  for (let index = first; index <= last; index++) {
    const row = rowAt(index)
    const selected = row !== undefined && row.id === selectedRow
    rows.push(
      <div
        key={index}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={selected}
        data-row-index={index}
        className={`table-row${selected ? ' selected' : ''}${index % 2 ? ' odd' : ''}`}
        style={{ top: index * ROW_HEIGHT, width: totalWidth }}
        onClick={() => {
          setCursor(index)
          if (row) store.select(row.id)
        }}
      >
        <div role="rowheader" className="cell index-cell" style={{ width: INDEX_WIDTH }}>
          {row && <RowBadges flag={flags?.byRow.get(row.id)} findings={findings.get(row.id)} />}
          <span className="row-number">{formatCount((row?.id ?? index) + 1)}</span>
        </div>
        {dataset.columns.map((column) => (
          <div
            key={column.name}
            role="gridcell"
            className={`cell kind-${column.kind}`}
            style={{ width: widthOf(column) }}
            onDoubleClick={() => row && setViewer({ row: row.id, column })}
          >
            {row ? (
              <Cell
                column={column}
                value={row.values[column.name] ?? null}
                size={row.sizes[column.name]}
              />
            ) : (
              <span className="cell-loading" />
            )}
          </div>
        ))}
      </div>,
    )
  }

  return (
    <div className="table-pane">
      <div
        ref={scroller}
        className="table-scroller"
        data-testid="row-table"
        role="grid"
        aria-rowcount={rowCount + 1}
        aria-colcount={dataset.columns.length + 1}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={onScroll}
      >
        <div className="table-header" role="row" aria-rowindex={1} style={{ width: totalWidth }}>
          <div
            role="columnheader"
            className="cell index-cell header-cell"
            style={{ width: INDEX_WIDTH }}
          >
            #
          </div>
          {dataset.columns.map((column) => {
            const direction = sort?.column === column.name ? sort.direction : null
            return (
              <div
                key={column.name}
                role="columnheader"
                aria-sort={
                  direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'
                }
                className="cell header-cell"
                style={{ width: widthOf(column) }}
                title={`${column.name}: ${column.type}\nClick to sort`}
                onClick={() => store.sortBy(nextSort(sort, column.name))}
              >
                <span className="header-name">{column.name}</span>
                <span className="header-type">{typeLabel(column)}</span>
                {direction && <span className="sort-mark">{direction === 'asc' ? '▲' : '▼'}</span>}
                <span
                  className="resize-handle"
                  role="separator"
                  aria-label={`Resize ${column.name}`}
                  onPointerDown={(e) => startResize(e, column)}
                  onClick={(e) => e.stopPropagation()}
                />
              </div>
            )
          })}
        </div>
        <div className="table-body" style={{ height: rowCount * ROW_HEIGHT, width: totalWidth }}>
          {rows}
        </div>
      </div>
      {pages.error && <div className="table-error">Could not fetch rows: {pages.error}</div>}
      {viewer && (
        <CellViewer
          dataset={dataset}
          rowId={viewer.row}
          column={viewer.column}
          onClose={() => setViewer(null)}
        />
      )}
    </div>
  )
}
