import { useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { ExportDialog } from './ExportDialog'

/** "Export…": opens the export dialog for the rows the filter shows. */
export function ExportButton() {
  const { store } = useServices()
  const dataset = useAppState(store, (s) => s.dataset)
  const [open, setOpen] = useState(false)
  if (!dataset) return null
  return (
    <>
      <button
        type="button"
        className="button export-button"
        data-testid="export-button"
        title="Export the rows the filter shows"
        onClick={() => setOpen(true)}
      >
        Export…
      </button>
      {open && <ExportDialog dataset={dataset} onClose={() => setOpen(false)} />}
    </>
  )
}
