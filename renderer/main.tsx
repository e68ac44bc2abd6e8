import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { ErrorBoundary } from './app/ErrorBoundary'
import { createBrowserHost } from './host/browserHost'
import type { Host } from '../shared/host'
import { applyTheme, loadSavedTheme } from './app/theme'
import './app/styles.css'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser build. */
    readonly host?: Host
  }
}

const host: Host = window.host ?? createBrowserHost()

// Before the first paint, so a dark system never flashes a light window: the system's theme at
// once, then the saved choice (the browser Host answers before the page first paints).
applyTheme('system')
void loadSavedTheme(host).then(applyTheme)

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary hostKind={host.kind}>
        <App host={host} />
      </ErrorBoundary>
    </StrictMode>,
  )
}
