import { useServices } from '../../app/AppContext'
import { formatCount } from '../../app/format'
import { useAppState } from '../../app/store'
import { summaryText } from '../../data/rerun/run'
import { rerunController, useRerunState } from './rerunController'
import './rerun.css'

/** A duration in minutes and seconds: `0:07`, `12:30`. */
export function formatEta(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

/**
 * "Run tests": runs the tests of the units the filter shows in the sandboxed Python of the app.
 * Sits beside Export; `RunTestsStatus` shows how it goes.
 */
export function RunTestsButton() {
  const services = useServices()
  const controller = rerunController(services)
  const profile = useAppState(services.store, (s) => s.profile)
  const running = useRerunState(controller, (s) => s.running)
  if (!profile) return null
  const noTests = profile.profile.tests === null
  return (
    <button
      type="button"
      className="button run-tests-button"
      data-testid="run-tests"
      disabled={running !== null || noTests}
      title={
        noTests
          ? 'No column is the tests role: choose one under Roles to run tests'
          : "Run the tests of the units the filter shows, in the app's own Python (offline, sandboxed)"
      }
      onClick={() => void controller.runFilter()}
    >
      Run tests
    </button>
  )
}

/** A run's progress, time left and Cancel while it runs, and its counts when it is done. */
export function RunTestsStatus() {
  const services = useServices()
  const controller = rerunController(services)
  const running = useRerunState(controller, (s) => s.running)
  const last = useRerunState(controller, (s) => s.last)
  const error = useRerunState(controller, (s) => s.error)
  const progress = running?.progress
  return (
    <>
      {(running || last || error) && (
        <div className="run-tests-status" role="status">
          {progress && (
            <div className="run-tests-progress" data-testid="run-tests-progress">
              <progress
                max={Math.max(1, progress.total)}
                value={progress.done}
                aria-label="Units whose tests have run"
              />
              <span>
                {running?.scope === 'row' ? 'Running this row: ' : 'Running tests: '}
                {progress.total === 0
                  ? 'finding the units'
                  : `${formatCount(progress.done)} of ${formatCount(progress.total)} units`}
                {progress.etaMs !== null && progress.done < progress.total
                  ? ` · about ${formatEta(progress.etaMs)} left`
                  : progress.done === 0
                    ? ' · starting Python…'
                    : ''}
                {` · ${progress.pass} pass, ${progress.fail} fail, ${progress.error} error, ${progress.timeout} timeout`}
              </span>
              <button
                type="button"
                className="button ghost small"
                data-testid="run-tests-cancel"
                onClick={() => controller.cancel()}
              >
                Cancel
              </button>
            </div>
          )}
          {!running && last && (
            <span className="run-tests-done" data-testid="run-tests-done">
              {summaryText(last.counts)}
              {last.cancelled ? ' · cancelled' : ''}
            </span>
          )}
          {error && <span className="error-text">{error}</span>}
        </div>
      )}
    </>
  )
}
