import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { createBrowserHost } from './host/browserHost'
import type { Host } from '../shared/host'
import './app/styles.css'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser build. */
    readonly host?: Host
  }
}

const host: Host = window.host ?? createBrowserHost()
const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App host={host} />
    </StrictMode>,
  )
}
