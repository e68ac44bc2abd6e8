import { useEffect, useState } from 'react'
import type { RecentDataset } from '../../../shared/host'
import { useServices } from '../../app/AppContext'
import { OpenButtons } from './OpenButtons'

/** The first screen: open a file or folder, the demo dataset, recent datasets. */
export function StartScreen() {
  const { host, store } = useServices()
  const [recent, setRecent] = useState<readonly RecentDataset[]>([])
  useEffect(() => {
    let live = true
    host
      .recentDatasets()
      .then((list) => live && setRecent(list))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [host])

  return (
    <section className="start-screen">
      <div className="start-card">
        <h2>Look inside a code-RL dataset</h2>
        <p className="muted">
          Open a JSON Lines, JSON, Parquet or CSV file, or a folder of shards. Everything stays on
          this machine; nothing is uploaded.
        </p>
        <OpenButtons />
        <p className="drop-hint">…or drop a file or folder anywhere in this window.</p>
        <button
          type="button"
          className="button link"
          data-testid="open-demo"
          onClick={() => void store.openFrom(() => host.openDemo())}
        >
          Explore the demo dataset
        </button>
        <p className="muted small">
          360 synthetic student/teacher pairs in Python, C++ and Rust, with scores and rewards.
        </p>
        {recent.length > 0 && (
          <div className="recent">
            <h3>Recent</h3>
            <ul>
              {recent.map((item) => (
                <li key={item.path}>
                  <button
                    type="button"
                    className="button link"
                    title={item.path}
                    onClick={() => void store.openFrom(() => host.openRecent(item.path))}
                  >
                    {item.isFolder ? '📁 ' : ''}
                    {item.name}
                  </button>
                  <span className="muted small">{item.path}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  )
}
