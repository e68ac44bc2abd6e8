import type { ChangeEvent } from 'react'
import { DATASET_EXTENSIONS } from '../../../shared/host'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import './compare.css'

const ACCEPT = DATASET_EXTENSIONS.map((e) => `.${e}`).join(',')

/**
 * "Compare with…": opens a second file beside the open one. The desktop shows the OS picker; the
 * browser build a file input (`compare-file-input`).
 */
export function CompareButton() {
  const { host, store } = useServices()
  const profile = useAppState(store, (s) => s.profile)
  const loading = useAppState(store, (s) => s.compare?.loading ?? null)
  const disabled = !profile || loading !== null
  const title =
    'Open a second file beside this one: a new version, another reward model, another checkpoint'
  if (host.kind === 'desktop') {
    return (
      <button
        type="button"
        className="button compare-button"
        data-testid="compare-button"
        disabled={disabled}
        title={title}
        onClick={() => void store.compareFrom(() => host.pickFile())}
      >
        Compare with…
      </button>
    )
  }
  const onFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? [])
    event.target.value = ''
    if (files.length > 0) void store.compareFrom(() => host.openDropped(files))
  }
  return (
    <label
      className={`button compare-button${disabled ? ' disabled' : ''}`}
      data-testid="compare-button"
      title={title}
    >
      Compare with…
      <input
        type="file"
        data-testid="compare-file-input"
        accept={ACCEPT}
        multiple
        disabled={disabled}
        className="visually-hidden"
        onChange={onFiles}
      />
    </label>
  )
}
