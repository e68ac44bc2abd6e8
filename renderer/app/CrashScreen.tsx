/**
 * The screen an uncaught error shows: its message, Try again and Reload, and what each one keeps.
 */
import type { Host } from '../../shared/host'
import './CrashScreen.css'

/** An uncaught error, as the crash screen shows it. */
export interface Crash {
  readonly message: string
  /** True when React unmounted the app to report it, so Try again must draw the app again. */
  readonly unmounted: boolean
}

/** The crash screen, over the app (or in its place when React had to unmount it). */
export function CrashScreen({
  crash,
  hostKind,
  onTryAgain,
  onReload,
}: {
  readonly crash: Crash
  readonly hostKind: Host['kind']
  readonly onTryAgain: () => void
  readonly onReload: () => void
}) {
  return (
    <div className="crash-backdrop">
      <section
        className="crash-screen"
        data-testid="crash-screen"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="crash-title"
        aria-describedby="crash-message"
      >
        <h1 id="crash-title">Something went wrong</h1>
        <p>RewardLens ran into an error it did not expect:</p>
        <pre id="crash-message" className="crash-message" data-testid="crash-message">
          {crash.message}
        </pre>
        <p>
          {crash.unmounted
            ? 'Try again draws the window afresh.'
            : 'Try again goes back to the window as it was; if it misbehaves, reload.'}{' '}
          {hostKind === 'desktop'
            ? 'Reload starts the window again and reopens the dataset you had open, with its flags.'
            : 'Reload starts the page again, and the browser forgets the open file: choose it again afterwards. Your flags are kept in this browser and come back when you do.'}
        </p>
        <div className="crash-actions">
          <button type="button" className="button primary" onClick={onTryAgain} autoFocus>
            Try again
          </button>
          <button type="button" className="button" onClick={onReload}>
            Reload
          </button>
        </div>
      </section>
    </div>
  )
}
