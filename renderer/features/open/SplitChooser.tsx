import { formatBytes, formatCount } from '../../app/format'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { ALL_SPLITS } from '../../data/ingest/splits'

/**
 * Which split of a Hugging Face dataset folder to open: one split, or all of them with a `split`
 * column. Shown when a folder's files name their splits (`data/train-00000-of-00004.parquet`).
 */
export function SplitChooser() {
  const { store } = useServices()
  const asking = useAppState(store, (s) => s.splitChoice)
  if (!asking) return null
  const { source, splits } = asking
  const total = splits.reduce((sum, split) => sum + split.bytes, 0)
  const files = (n: number) => `${formatCount(n)} ${n === 1 ? 'file' : 'files'}`
  return (
    <div className="load-overlay">
      <div
        className="load-card split-chooser"
        role="dialog"
        aria-label="Choose a split"
        data-testid="split-chooser"
        onKeyDown={(event) => {
          if (event.key === 'Escape') void store.chooseSplit(null)
        }}
      >
        <div className="load-title">
          <strong>{source.name}</strong> holds {formatCount(splits.length)} splits. Open which?
        </div>
        <div className="split-options">
          {splits.map((split, index) => (
            <button
              key={split.name}
              type="button"
              className={`button split-option${index === 0 ? ' primary' : ''}`}
              data-split={split.name}
              autoFocus={index === 0}
              onClick={() => void store.chooseSplit(split.name)}
            >
              <span className="split-name">{split.name}</span>
              <span className="split-facts">
                {files(split.files.length)} · {formatBytes(split.bytes)}
              </span>
            </button>
          ))}
          <button
            type="button"
            className="button split-option"
            data-split="all"
            onClick={() => void store.chooseSplit(ALL_SPLITS)}
          >
            <span className="split-name">All splits</span>
            <span className="split-facts">
              {files(splits.reduce((sum, split) => sum + split.files.length, 0))} ·{' '}
              {formatBytes(total)} · a <code>split</code> column says which
            </span>
          </button>
        </div>
        <button type="button" className="button ghost" onClick={() => void store.chooseSplit(null)}>
          Cancel
        </button>
      </div>
    </div>
  )
}
