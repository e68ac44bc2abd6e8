import { type KeyboardEvent, type PointerEvent, useEffect, useState } from 'react'
import type { LoadedDataset } from '../data/dataset'
import { RowDetail } from '../features/detail/RowDetail'
import { Distributions } from '../features/explore/Distributions'
import { ExportButton } from '../features/export/ExportButton'
import { FilterChips } from '../features/explore/FilterChips'
import { FilterPanel } from '../features/explore/FilterPanel'
import { useFilteredRows } from '../features/explore/useFilteredRows'
import { StatusBar } from '../features/status/StatusBar'
import { RowTable } from '../features/table/RowTable'
import { useServices } from './AppContext'
import { useAppState } from './store'

const DETAIL_WIDTH_KEY = 'rewardlens.detailWidth'
const MIN_DETAIL = 280
const MIN_TABLE = 320 + 260

function savedDetailWidth(): number {
  const saved = Number(localStorage.getItem(DETAIL_WIDTH_KEY))
  return Number.isFinite(saved) && saved >= MIN_DETAIL
    ? saved
    : Math.round(window.innerWidth * 0.32)
}

function clampDetail(width: number): number {
  return Math.max(MIN_DETAIL, Math.min(window.innerWidth - MIN_TABLE, width))
}

/** The open dataset: the table and the selected row's detail with a splitter between them, and the status bar. */
export function Workspace({ dataset }: { readonly dataset: LoadedDataset }) {
  const { store } = useServices()
  const selectedRow = useAppState(store, (s) => s.selectedRow)
  const [detailWidth, setDetailWidth] = useState(savedDetailWidth)
  // Wide: the detail takes most of the window, for reading a diff side by side.
  const [wide, setWide] = useState(false)
  const shownWidth = wide ? clampDetail(Math.round(window.innerWidth * 0.66)) : detailWidth
  const rows = useFilteredRows(dataset)

  // f flags or unflags the selected row, wherever the focus is (but in a text box).
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'f' || event.repeat || event.ctrlKey || event.metaKey || event.altKey)
        return
      const target = event.target as HTMLElement | null
      if (
        target?.closest('input, textarea, select, [contenteditable="true"], [aria-modal="true"]')
      ) {
        return
      }
      const row = store.getState().selectedRow
      if (row === null) return
      event.preventDefault()
      void store.toggleFlag(row)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store])

  const resize = (width: number) => {
    setWide(false)
    const next = clampDetail(width)
    setDetailWidth(next)
    localStorage.setItem(DETAIL_WIDTH_KEY, String(next))
  }

  const startDrag = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault()
    const handle = event.currentTarget
    handle.setPointerCapture(event.pointerId)
    const startX = event.clientX
    const startWidth = shownWidth
    const onMove = (e: globalThis.PointerEvent) => resize(startWidth - (e.clientX - startX))
    const onUp = () => {
      handle.removeEventListener('pointermove', onMove)
      handle.removeEventListener('pointerup', onUp)
    }
    handle.addEventListener('pointermove', onMove)
    handle.addEventListener('pointerup', onUp)
  }

  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowLeft') resize(shownWidth + 40)
    else if (event.key === 'ArrowRight') resize(shownWidth - 40)
    else return
    event.preventDefault()
  }

  return (
    <>
      <main className="main">
        <div
          className="workspace"
          style={{ gridTemplateColumns: `260px minmax(0, 1fr) 5px ${shownWidth}px` }}
        >
          <FilterPanel key={dataset.table} dataset={dataset} />
          <div className="table-column">
            <ExportButton />
            <FilterChips />
            <Distributions key={dataset.table} dataset={dataset} />
            <RowTable
              key={dataset.table}
              dataset={dataset}
              source={rows.source}
              rowCount={rows.lastCount}
            />
          </div>
          <div
            className="splitter"
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize the detail pane"
            aria-valuenow={shownWidth}
            tabIndex={0}
            onPointerDown={startDrag}
            onKeyDown={onKey}
          />
          <RowDetail
            dataset={dataset}
            rowId={selectedRow}
            wide={wide}
            onToggleWide={() => setWide((w) => !w)}
          />
        </div>
      </main>
      <StatusBar shown={rows.count} />
    </>
  )
}
