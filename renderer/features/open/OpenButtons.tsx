import { type ChangeEvent, useRef } from 'react'
import { DATASET_EXTENSIONS } from '../../../shared/host'
import { useServices } from '../../app/AppContext'

const ACCEPT = DATASET_EXTENSIONS.map((e) => `.${e}`).join(',')

/**
 * Open File and Open Folder. The desktop shows the OS pickers; the browser build uses file
 * inputs (the file one is the `open-file-input` automation hook).
 */
export function OpenButtons({ compact = false }: { readonly compact?: boolean }) {
  const { host, store } = useServices()
  const folderInput = useRef<HTMLInputElement>(null)

  const onFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? [])
    event.target.value = ''
    if (files.length > 0) void store.openFrom(() => host.openDropped(files))
  }

  if (host.kind === 'desktop') {
    return (
      <div className="open-buttons">
        <button
          type="button"
          className="button primary"
          onClick={() => void store.openFrom(() => host.pickFile())}
        >
          Open File…
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void store.openFrom(() => host.pickFolder())}
        >
          Open Folder…
        </button>
      </div>
    )
  }
  return (
    <div className="open-buttons">
      <label className="button primary">
        {compact ? 'Open…' : 'Open file…'}
        <input
          type="file"
          data-testid="open-file-input"
          accept={ACCEPT}
          multiple
          className="visually-hidden"
          onChange={onFiles}
        />
      </label>
      <button type="button" className="button" onClick={() => folderInput.current?.click()}>
        Open folder…
      </button>
      <input
        ref={(el) => {
          folderInput.current = el
          // React has no prop for directory pickers; set the attribute the browsers read.
          el?.setAttribute('webkitdirectory', '')
        }}
        type="file"
        data-testid="open-folder-input"
        multiple
        className="visually-hidden"
        onChange={onFiles}
      />
    </div>
  )
}
