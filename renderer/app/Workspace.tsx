import { type KeyboardEvent, type PointerEvent, useEffect, useState } from 'react'
import type { LoadedDataset } from '../data/dataset'
import { ComparePanel } from '../features/compare/ComparePanel'
import { RowDetail } from '../features/detail/RowDetail'
import { useRowShown } from '../features/detail/useRowShown'
import { Distributions } from '../features/explore/Distributions'
import { ExportButton } from '../features/export/ExportButton'
import { RunTestsButton, RunTestsStatus } from '../features/rerun/RunTests'
import { FilterChips } from '../features/explore/FilterChips'
import { FilterPanel } from '../features/explore/FilterPanel'
import { useFilteredRows } from '../features/explore/useFilteredRows'
import { StatusBar } from '../features/status/StatusBar'
import { RowTable } from '../features/table/RowTable'
import { useServices } from './AppContext'
import {
  DEFAULT_DETAIL_SHARE,
  SPLITTER_WIDTH,
  detailPaneWidth,
  detailShare,
  filterPanelWidth,
} from './split'
import { useAppState } from './store'
import { useWindowWidth } from './useWindowWidth'

const DETAIL_SHARE_KEY = 'rewardlens.detailShare'

function savedDetailShare(): number {
  const saved = Number(localStorage.getItem(DETAIL_SHARE_KEY) ?? NaN)
  return Number.isFinite(saved) && saved > 0 && saved < 1 ? saved : DEFAULT_DETAIL_SHARE
}

/**
 * The open dataset: the table and the selected row's detail with a splitter between them, and the
 * status bar. App keys it by the dataset's table, so a newly opened file starts afresh.
 */
export function Workspace({ dataset }: { readonly dataset: LoadedDataset }) {
  const { store } = useServices()
  const selectedRow = useAppState(store, (s) => s.selectedRow)
  const windowWidth = useWindowWidth()
  const [share, setShare] = useState(savedDetailShare)
  // Wide: the detail takes all but the table's minimum, for reading a diff side by side.
  const [wide, setWide] = useState(false)
  const shownWidth = detailPaneWidth({ windowWidth, share, wide })
  const rows = useFilteredRows(dataset)
  const rowShown = useRowShown(rows.source, selectedRow)

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
    const next = detailShare(width, windowWidth)
    setShare(next)
    localStorage.setItem(DETAIL_SHARE_KEY, String(next))
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
          style={{
            gridTemplateColumns: `${filterPanelWidth(windowWidth)}px minmax(0, 1fr) ${SPLITTER_WIDTH}px ${shownWidth}px`,
          }}
        >
          <FilterPanel dataset={dataset} />
          <div className="table-column">
            <ExportButton />
            <RunTestsButton />
            <FilterChips />
            <RunTestsStatus />
            <ComparePanel dataset={dataset} />
            <Distributions dataset={dataset} />
            <RowTable dataset={dataset} source={rows.source} rowCount={rows.lastCount} />
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
            rowShown={rowShown}
            wide={wide}
            onToggleWide={() => setWide((w) => !w)}
          />
        </div>
      </main>
      <StatusBar shown={rows.count} />
    </>
  )
}
