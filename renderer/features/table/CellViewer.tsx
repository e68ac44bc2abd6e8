import { useEscapeKey } from '../../app/useEscapeKey'
import type { ColumnInfo, LoadedDataset } from '../../data/dataset'
import { typeLabel } from '../../app/format'
import { CopyButton } from '../detail/CopyButton'
import { useFullRow } from '../detail/useFullRow'
import { FoldLongText } from '../detail/fold'
import { ValueView } from '../detail/ValueView'

/** A dialog with one cell's full value, opened by double-clicking the cell. */
export function CellViewer({
  dataset,
  rowId,
  column,
  onClose,
}: {
  readonly dataset: LoadedDataset
  readonly rowId: number
  readonly column: ColumnInfo
  readonly onClose: () => void
}) {
  const full = useFullRow(dataset, rowId)
  useEscapeKey(onClose)
  const value = full?.status === 'ready' ? (full.row[column.name] ?? null) : null
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal"
        role="dialog"
        aria-label={`${column.name} of row ${rowId + 1}`}
        data-testid="cell-viewer"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="modal-head">
          <strong>{column.name}</strong>
          <span className="muted" title={column.type}>
            row {rowId + 1} · {typeLabel(column)}
          </span>
          <span className="spacer" />
          {full?.status === 'ready' && <CopyButton value={value} />}
          <button type="button" className="button ghost small" onClick={onClose}>
            Close
          </button>
        </div>
        <div className="modal-body">
          {full?.status === 'ready' && (
            <FoldLongText.Provider value={false}>
              <ValueView value={value} />
            </FoldLongText.Provider>
          )}
          {full?.status === 'loading' && <p className="muted">Loading…</p>}
          {full?.status === 'error' && <p className="error-text">{full.message}</p>}
        </div>
      </div>
    </div>
  )
}
