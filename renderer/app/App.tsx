import { useCallback, useEffect, useMemo, useState } from 'react'
import type { Host } from '../../shared/host'
import type { Engine } from '../data/engine'
import { createAppEngine } from '../host/nativeEngine'
import { createWorkerDecoder } from '../data/workerDecoder'
import type { Decoder } from '../data/ingest/decoder'
import { ErrorBanner } from '../features/open/ErrorBanner'
import { LoadOverlay } from '../features/open/LoadOverlay'
import { SplitChooser } from '../features/open/SplitChooser'
import { OpenButtons } from '../features/open/OpenButtons'
import { StartScreen } from '../features/open/StartScreen'
import { useDropTarget } from '../features/open/useDropTarget'
import { ProfileButton } from '../features/profile/ProfileButton'
import { ProfileEditor } from '../features/profile/ProfileEditor'
import { StatusBar } from '../features/status/StatusBar'
import { Workspace } from './Workspace'
import { AppContext, type AppServices } from './AppContext'
import { workerNearDupService } from '../data/neardup/client'
import { useSessionReopen } from './session'
import { AppStore, useAppState } from './store'
import { type ThemeChoice, useTheme } from './theme'

/** Starts the engine once, on first use, and shares it. */
function lazy<T>(create: () => Promise<T> | T): () => Promise<T> {
  let value: Promise<T> | null = null
  return () => (value ??= Promise.resolve(create()))
}

/** The whole window: top bar, start screen or workspace, status bar. */
export function App({ host }: { readonly host: Host }) {
  const services = useMemo<AppServices>(() => {
    const engine = lazy<Engine>(() => createAppEngine(host))
    let decoder: Decoder | null = null
    const store = new AppStore({
      host,
      engine,
      decoder: () => (decoder ??= createWorkerDecoder()),
      nearDup: workerNearDupService,
    })
    return { store, engine, host }
  }, [host])
  const { store } = services

  // Start the engine while the person is still choosing a file: compiling its wasm takes seconds.
  useEffect(() => {
    void services.engine().catch(() => undefined)
  }, [services])
  const dataset = useAppState(store, (s) => s.dataset)
  const dragging = useDropTarget(host, store)
  const [editing, setEditing] = useState(false)
  const [theme, setTheme] = useTheme(host)
  useSessionReopen(host, store)
  const closeEditor = useCallback(() => setEditing(false), [])

  useEffect(() => {
    const offOpen = host.onOpenRequest((source) => void store.open(source))
    const offMenu = host.onMenuCommand((command) => {
      if (command === 'close-dataset') void store.close()
      else if (command === 'open-demo') void store.openFrom(() => host.openDemo())
      else if (command === 'open-file') void store.openFrom(() => host.pickFile())
      else void store.openFrom(() => host.pickFolder())
    })
    const offFlags = host.onFlagsChanged((path) => void store.flagsChangedElsewhere(path))
    return () => {
      offOpen()
      offMenu()
      offFlags()
    }
  }, [host, store])

  useEffect(() => {
    document.title = dataset ? `${dataset.source.name} — RewardLens` : 'RewardLens'
  }, [dataset])

  return (
    <AppContext.Provider value={services}>
      <div className="app">
        <header className="top-bar">
          <div className="brand">
            <img src="./icon.svg" alt="" width={22} height={22} />
            <span>RewardLens</span>
          </div>
          {dataset && (
            <h1 className="dataset-name" data-testid="dataset-name" title={dataset.source.path}>
              {dataset.source.name}
            </h1>
          )}
          {dataset && <ProfileButton open={editing} onToggle={() => setEditing((v) => !v)} />}
          <div className="top-actions">
            <label className="theme-choice">
              <span className="visually-hidden">Theme</span>
              <select
                data-testid="theme-select"
                aria-label="Theme"
                value={theme}
                onChange={(e) => setTheme(e.target.value as ThemeChoice)}
              >
                <option value="system">System theme</option>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
              </select>
            </label>
            {/* The start screen has its own open buttons; the top bar offers them once a dataset is open. */}
            {dataset && <OpenButtons compact />}
            {dataset && (
              <button type="button" className="button ghost" onClick={() => void store.close()}>
                Close
              </button>
            )}
          </div>
        </header>
        <ErrorBanner />
        {dataset ? (
          <Workspace key={dataset.table} dataset={dataset} />
        ) : (
          <>
            <main className="main">
              <StartScreen />
            </main>
            <StatusBar shown={null} />
          </>
        )}
        {dataset && editing && <ProfileEditor dataset={dataset} onClose={closeEditor} />}
        <LoadOverlay />
        <SplitChooser />
        {dragging && <div className="drop-overlay">Drop a dataset file or folder to open it</div>}
      </div>
    </AppContext.Provider>
  )
}
