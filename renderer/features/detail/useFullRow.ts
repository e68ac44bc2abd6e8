import { useEngineQuery } from '../../app/useEngineQuery'
import type { LoadedDataset } from '../../data/dataset'
import { parseRow, rowQuery } from '../../data/rows'
import { readQuery } from '../../data/sql'
import type { Row } from '../../data/values'

/** What a full-row fetch has produced so far. */
export type FullRow =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly row: Row }
  | { readonly status: 'error'; readonly message: string }

/** Fetches one row with every value in full; answers to earlier requests are dropped. */
export function useFullRow(dataset: LoadedDataset, rowId: number | null): FullRow | null {
  // The selected row is what a person waits to read: it goes before the charts.
  const row = useEngineQuery(
    rowId === null ? null : readQuery(rowQuery(dataset, rowId), parseRow, 'first'),
  )
  if (rowId === null) return null
  if (!row.current) return { status: 'loading' }
  if (row.error !== null) return { status: 'error', message: row.error }
  if (!row.value) return { status: 'error', message: `Row ${rowId + 1} does not exist.` }
  return { status: 'ready', row: row.value }
}
