import type { LoadedDataset } from '../../data/load'
import { formatCount, typeLabel } from '../../app/format'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { CopyButton } from './CopyButton'
import { ReviewSection } from './ReviewSection'
import { useFullRow } from './useFullRow'
import { ValueView } from './ValueView'

/** The selected row with every field in full. */
export function RowDetail({
  dataset,
  rowId,
}: {
  readonly dataset: LoadedDataset
  readonly rowId: number | null
}) {
  const full = useFullRow(dataset, rowId)
  const { store } = useServices()
  const profile = useAppState(store, (s) => s.profile)
  return (
    <aside className="detail-pane" data-testid="row-detail" aria-label="Row detail" tabIndex={-1}>
      {rowId === null && (
        <div className="detail-empty muted">
          <p>Select a row to read it in full.</p>
          <p className="small">
            Click a row, or use ↑ ↓ (or j k) in the table. Double-click a cell to open just that
            value.
          </p>
        </div>
      )}
      {rowId !== null && (
        <>
          <div className="detail-head">
            <h2>Row {formatCount(rowId + 1)}</h2>
            <span className="muted small">of {formatCount(dataset.rowCount)}</span>
          </div>
          {profile && <ReviewSection state={profile} rowId={rowId} />}
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
                      <span className="field-type">{typeLabel(column)}</span>
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
