import type { KeyboardEvent } from 'react'
import type { LoadedDataset } from '../../data/dataset'
import { formatCount, typeLabel } from '../../app/format'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { FlagBox } from '../flags/FlagBox'
import { QaReasons } from '../qa/QaReasons'
import { CopyButton } from './CopyButton'
import { RerunPanel } from '../rerun/RerunPanel'
import { ComparedRow } from '../compare/ComparedRow'
import { NearDupSection } from '../neardup/NearDupSection'
import { ReviewSection } from './ReviewSection'
import { useFullRow } from './useFullRow'
import { ValueView } from './ValueView'

/** The selected row with every field in full. */
export function RowDetail({
  dataset,
  rowId,
  rowShown,
  wide,
  onToggleWide,
}: {
  readonly dataset: LoadedDataset
  readonly rowId: number | null
  /** False when the filter no longer shows the row (the table does not list it); null while asking. */
  readonly rowShown: boolean | null
  /** Whether the pane is widened over the table, and how to switch. */
  readonly wide: boolean
  readonly onToggleWide: () => void
}) {
  const full = useFullRow(dataset, rowId)
  const { store } = useServices()
  const profile = useAppState(store, (s) => s.profile)
  // j / k (or Alt+↓ / Alt+↑) read the next or previous row without leaving the detail.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target as HTMLElement
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return
    const plain = !event.altKey && !event.ctrlKey && !event.metaKey
    const delta =
      (plain && event.key === 'j') || (event.altKey && event.key === 'ArrowDown')
        ? 1
        : (plain && event.key === 'k') || (event.altKey && event.key === 'ArrowUp')
          ? -1
          : 0
    if (delta === 0) return
    event.preventDefault()
    store.stepRow(delta)
  }
  return (
    <aside
      className="detail-pane"
      data-testid="row-detail"
      aria-label="Row detail"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      {rowId === null && (
        <div className="detail-empty muted">
          <p>Select a row to read it in full.</p>
          <p className="small">
            Click a row, or use ↑ ↓ (or j k) in the table. Double-click a cell to open just that
            value. In here, j and k read the next and previous row.
          </p>
        </div>
      )}
      {rowId !== null && (
        <>
          <div className="detail-head">
            <h2>Row {formatCount(rowId + 1)}</h2>
            <span className="muted small">of {formatCount(dataset.rowCount)}</span>
            <span className="muted small detail-keys" title="Next and previous row">
              j / k
            </span>
            <button
              type="button"
              className="button ghost small"
              data-testid="detail-wide"
              aria-pressed={wide}
              onClick={onToggleWide}
            >
              {wide ? 'Narrow' : 'Widen'}
            </button>
          </div>
          {rowShown === false && (
            <p className="detail-outside-filter" role="status" data-testid="detail-outside-filter">
              This row is outside the current filter: the table does not list it. Select a row there
              to read one the filter keeps.
            </p>
          )}
          <FlagBox rowId={rowId} />
          <QaReasons key={rowId} table={dataset.table} rowId={rowId} />
          {profile && <ReviewSection dataset={dataset} state={profile} rowId={rowId} />}
          {profile && <RerunPanel dataset={dataset} state={profile} rowId={rowId} />}
          {profile && <NearDupSection state={profile} rowId={rowId} />}
          <ComparedRow dataset={dataset} rowId={rowId} />
          <h3 className="fields-title">All fields</h3>
          {full?.status === 'loading' && <p className="muted">Loading…</p>}
          {full?.status === 'error' && <p className="error-text">{full.message}</p>}
          {full?.status === 'ready' && (
            <dl className="fields">
              {dataset.columns.map((column) => {
                const value = full.row[column.name] ?? null
                return (
                  <div className="field" key={column.name} data-field={column.name}>
                    <dt>
                      <span className="field-name">{column.name}</span>
                      <span className="field-type" title={column.type}>
                        {typeLabel(column)}
                      </span>
                      <CopyButton value={value} />
                    </dt>
                    <dd>
                      <ValueView value={value} />
                    </dd>
                  </div>
                )
              })}
            </dl>
          )}
        </>
      )}
    </aside>
  )
}
