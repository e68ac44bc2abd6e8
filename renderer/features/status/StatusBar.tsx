import { sourceBytes } from '../../../shared/host'
import { useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { formatBytes, formatCount } from '../../app/format'
import { SkippedRecords } from './SkippedRecords'
import type { LoadedDataset } from '../../data/dataset'
import { compressionName } from '../../data/ingest/compressed'

/**
 * The bottom bar: "N of M rows" (N under the filter, M in the dataset), the format, and what
 * could not be read. `shown` is null while the filtered rows are being counted.
 */
export function StatusBar({ shown }: { readonly shown: number | null }) {
  const { store } = useServices()
  const dataset = useAppState(store, (s) => s.dataset)
  // The list belongs to the dataset it was opened for; another dataset starts with it closed.
  const [skippedFor, setSkippedFor] = useState<string | null>(null)
  if (!dataset) {
    return (
      <footer className="status-bar">
        <span className="muted">No dataset open</span>
      </footer>
    )
  }
  const bytes = sourceBytes(dataset.source)
  return (
    <footer className="status-bar">
      <span data-testid="row-count">
        {shown === null ? '…' : formatCount(shown)} of {formatCount(dataset.rowCount)} rows
      </span>
      <span className="muted">
        {dataset.format.toUpperCase()}
        {compressionNote(dataset)}
        {dataset.source.files.length > 1 && ` · ${dataset.source.files.length} files`} ·{' '}
        {formatBytes(bytes)} · {dataset.columns.length} columns · loaded in{' '}
        {(dataset.loadMs / 1000).toFixed(1)} s ·{' '}
        <span title={`Memory the query engine (${dataset.engineName}) holds for the open data`}>
          {formatBytes(dataset.engineBytes)} in memory
        </span>{' '}
        · <span data-testid="engine-name">{dataset.engineName}</span>
      </span>
      {dataset.skippedCount > 0 && (
        <button
          type="button"
          className="button warn small"
          data-testid="skipped-count"
          onClick={() => setSkippedFor((t) => (t === dataset.table ? null : dataset.table))}
        >
          {formatCount(dataset.skippedCount)} {dataset.skippedCount === 1 ? 'line' : 'lines'}{' '}
          skipped
        </button>
      )}
      {skippedFor === dataset.table && dataset.skippedCount > 0 && (
        <SkippedRecords dataset={dataset} onClose={() => setSkippedFor(null)} />
      )}
    </footer>
  )
}

/** " (gzip)" or " (Zstandard)" when the source's files are compressed. */
function compressionNote(dataset: LoadedDataset): string {
  const kinds = [...new Set(dataset.compressions ?? [])].filter((kind) => kind !== null)
  if (kinds.length === 0) return ''
  return ` (${kinds.map(compressionName).join(', ')})`
}
