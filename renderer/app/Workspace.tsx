import type { LoadedDataset } from '../data/load'
import { RowDetail } from '../features/detail/RowDetail'
import { RowTable } from '../features/table/RowTable'
import { useServices } from './AppContext'
import { useAppState } from './store'

/** The open dataset: the table and the selected row's detail. */
export function Workspace({ dataset }: { readonly dataset: LoadedDataset }) {
  const { store } = useServices()
  const selectedRow = useAppState(store, (s) => s.selectedRow)
  return (
    <div className="workspace">
      <RowTable dataset={dataset} />
      <RowDetail dataset={dataset} rowId={selectedRow} />
    </div>
  )
}
