import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'

/** The message shown when a dataset cannot be opened (`load-error`). */
export function ErrorBanner() {
  const { store } = useServices()
  const error = useAppState(store, (s) => s.error)
  if (!error) return null
  return (
    <div className="error-banner" role="alert">
      <span className="error-icon" aria-hidden>
        !
      </span>
      <p data-testid="load-error">{error}</p>
      <button type="button" className="button ghost" onClick={() => store.dismissError()}>
        Dismiss
      </button>
    </div>
  )
}
