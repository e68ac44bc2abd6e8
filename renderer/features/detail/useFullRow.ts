import { useEffect, useState } from 'react'
import { useServices } from '../../app/AppContext'
import type { LoadedDataset } from '../../data/load'
import { fetchRow } from '../../data/rows'
import type { Row } from '../../data/values'

/** What a full-row fetch has produced so far. */
export type FullRow =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly row: Row }
  | { readonly status: 'error'; readonly message: string }

/** Fetches one row with every value in full; answers to earlier requests are dropped. */
export function useFullRow(dataset: LoadedDataset, rowId: number | null): FullRow | null {
  const { engine } = useServices()
  const [state, setState] = useState<{ key: string; value: FullRow } | null>(null)
  const key = `${dataset.table}:${rowId}`
  useEffect(() => {
    if (rowId === null) return
    let live = true
    engine()
      .then((e) => fetchRow(e, dataset, rowId))
      .then((row) => {
        if (!live) return
        setState({
          key,
          value: row
            ? { status: 'ready', row }
            : { status: 'error', message: `Row ${rowId + 1} does not exist.` },
        })
      })
      .catch((e: unknown) => {
        if (live)
          setState({
            key,
            value: { status: 'error', message: e instanceof Error ? e.message : String(e) },
          })
      })
    return () => {
      live = false
    }
  }, [engine, dataset, rowId, key])
  if (rowId === null) return null
  return state?.key === key ? state.value : { status: 'loading' }
}
