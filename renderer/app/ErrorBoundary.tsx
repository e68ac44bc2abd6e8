/**
 * The crash screen: an error nobody caught (while drawing, in an event handler, in a promise) shows
 * its message with a way back, instead of a blank or half-working window.
 *
 * - An error while React draws unmounts the app below this boundary; Try again draws it afresh.
 * - An error outside drawing (the window's `error` and `unhandledrejection` events) leaves the app
 *   as it was underneath; Try again puts the screen away and the open dataset is still there.
 * - Reload starts the page again. On the desktop the open dataset is reopened (see session.ts); in
 *   the browser the person chooses the file again.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react'
import type { Host } from '../../shared/host'
import { type Crash, CrashScreen } from './CrashScreen'

/** The message of anything thrown: an Error's message, or the value itself as text. */
export function crashMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name
  if (typeof thrown === 'string') return thrown
  try {
    return JSON.stringify(thrown) ?? String(thrown)
  } catch {
    return String(thrown)
  }
}

/**
 * True for window errors that are not the app failing: Chromium's ResizeObserver loop notice, a
 * cancelled request (AbortError), and "Script error." from a script of another origin, which
 * carries no detail to show.
 */
export function isBenignError(thrown: unknown, message: string): boolean {
  if (/^ResizeObserver loop/.test(message)) return true
  if (thrown instanceof DOMException && thrown.name === 'AbortError') return true
  return thrown === undefined && message === 'Script error.'
}

interface Props {
  /** Which shell runs the page: it decides what Reload can promise. */
  readonly hostKind: Host['kind']
  readonly children: ReactNode
}

interface State {
  readonly crash: Crash | null
}

/** Catches what nobody else did and shows the crash screen over (or instead of) the app. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { crash: null }

  static getDerivedStateFromError(error: unknown): State {
    return { crash: { message: crashMessage(error), unmounted: true } }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('RewardLens: the window crashed while drawing', error, info.componentStack)
  }

  override componentDidMount(): void {
    window.addEventListener('error', this.onError)
    window.addEventListener('unhandledrejection', this.onRejection)
  }

  override componentWillUnmount(): void {
    window.removeEventListener('error', this.onError)
    window.removeEventListener('unhandledrejection', this.onRejection)
  }

  private readonly onError = (event: ErrorEvent): void => {
    const thrown: unknown = event.error
    this.show(
      thrown,
      thrown === undefined || thrown === null ? event.message : crashMessage(thrown),
    )
  }

  private readonly onRejection = (event: PromiseRejectionEvent): void => {
    const reason: unknown = event.reason
    this.show(reason, crashMessage(reason))
  }

  private show(thrown: unknown, message: string): void {
    if (isBenignError(thrown, message)) return
    // The first error is the one to read; later ones are usually its consequences.
    this.setState((state) => (state.crash ? state : { crash: { message, unmounted: false } }))
  }

  private readonly tryAgain = (): void => this.setState({ crash: null })

  private readonly reload = (): void => window.location.reload()

  override render(): ReactNode {
    const { crash } = this.state
    const { hostKind, children } = this.props
    return (
      <>
        {!crash?.unmounted && children}
        {crash && (
          <CrashScreen
            crash={crash}
            hostKind={hostKind}
            onTryAgain={this.tryAgain}
            onReload={this.reload}
          />
        )}
      </>
    )
  }
}
