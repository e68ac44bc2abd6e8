import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { createBrowserHost } from './host/browserHost'
import type { Host } from '../shared/host'
import { applyTheme, savedTheme } from './app/theme'
import './app/styles.css'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser build. */
    readonly host?: Host
  }
}

// Before the first paint, so a dark system never flashes a light window.
applyTheme(savedTheme())

const host: Host = window.host ?? createBrowserHost()
const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App host={host} />
    </StrictMode>,
  )
}
