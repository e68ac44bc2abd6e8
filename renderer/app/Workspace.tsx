import { type KeyboardEvent, type PointerEvent, useState } from 'react'
import type { LoadedDataset } from '../data/load'
import { RowDetail } from '../features/detail/RowDetail'
import { Distributions } from '../features/explore/Distributions'
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
  const rows = useFilteredRows(dataset)

  const resize = (width: number) => {
    const next = clampDetail(width)
    setDetailWidth(next)
    localStorage.setItem(DETAIL_WIDTH_KEY, String(next))
  }

  const startDrag = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault()
    const handle = event.currentTarget
    handle.setPointerCapture(event.pointerId)
    const startX = event.clientX
    const startWidth = detailWidth
    const onMove = (e: globalThis.PointerEvent) => resize(startWidth - (e.clientX - startX))
    const onUp = () => {
      handle.removeEventListener('pointermove', onMove)
      handle.removeEventListener('pointerup', onUp)
    }
    handle.addEventListener('pointermove', onMove)
    handle.addEventListener('pointerup', onUp)
  }

  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowLeft') resize(detailWidth + 40)
    else if (event.key === 'ArrowRight') resize(detailWidth - 40)
    else return
    event.preventDefault()
  }

  return (
    <>
      <main className="main">
        <div
          className="workspace"
          style={{ gridTemplateColumns: `260px minmax(0, 1fr) 5px ${detailWidth}px` }}
        >
          <FilterPanel key={dataset.table} dataset={dataset} />
          <div className="table-column">
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
            aria-valuenow={detailWidth}
            tabIndex={0}
            onPointerDown={startDrag}
            onKeyDown={onKey}
          />
          <RowDetail dataset={dataset} rowId={selectedRow} />
        </div>
      </main>
      <StatusBar shown={rows.count} />
    </>
  )
}
