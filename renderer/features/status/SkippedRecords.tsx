import type { LoadedDataset } from '../../data/dataset'
import { formatCount } from '../../app/format'

/** The list of records that could not be read: file, line and reason. */
export function SkippedRecords({
  dataset,
  onClose,
}: {
  readonly dataset: LoadedDataset
  readonly onClose: () => void
}) {
  const many = dataset.source.files.length > 1
  return (
    <div
      className="skipped-panel"
      role="dialog"
      aria-label="Skipped lines"
      data-testid="skipped-list"
    >
      <div className="skipped-head">
        <strong>
          {formatCount(dataset.skippedCount)}{' '}
          {dataset.skippedCount === 1 ? 'record was' : 'records were'} not loaded
        </strong>
        <button type="button" className="button ghost small" onClick={onClose}>
          Close
        </button>
      </div>
      <ul>
        {dataset.skipped.map((s) => (
          <li key={`${s.file}:${s.line}`}>
            <span className="mono">
              {many ? `${dataset.source.files[s.file]?.name ?? '?'}, ` : ''}line {s.line}:
            </span>{' '}
            {s.reason}
          </li>
        ))}
      </ul>
      {dataset.skipped.length < dataset.skippedCount && (
        <p className="muted small">
          The first {dataset.skipped.length} are listed; the rest are counted.
        </p>
      )}
    </div>
  )
}
