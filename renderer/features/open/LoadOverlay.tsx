import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'

/** Progress of the load under way, with Cancel. */
export function LoadOverlay() {
  const { store } = useServices()
  const loading = useAppState(store, (s) => s.loading)
  if (!loading) return null
  const { source, progress } = loading
  const percent = Math.round(progress.fraction * 100)
  return (
    <div className="load-overlay" data-testid="load-progress">
      <div className="load-card">
        <div className="load-title">
          Opening <strong>{source.name}</strong>
          {source.files.length > 1 && ` (${source.files.length} files)`}
        </div>
        <progress max={100} value={percent} aria-label="Loading progress" />
        <div className="load-detail">
          <span>
            {progress.phase}
            {progress.rows > 0 && ` · ${progress.rows.toLocaleString('en-US')} rows`}
          </span>
          <span>{percent}%</span>
        </div>
        <button type="button" className="button" onClick={() => store.cancelLoad()}>
          Cancel
        </button>
      </div>
    </div>
  )
}
