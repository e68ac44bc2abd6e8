import { useMemo } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { countRows } from '../../data/explore'
import { type RowSource, rowSource } from '../../data/filter'
import type { LoadedDataset } from '../../data/load'

/**
 * The rows the filter shows: where the table reads them, how many there are (null while counting),
 * and the last count known, to draw the table with until the new one arrives.
 */
export function useFilteredRows(dataset: LoadedDataset): {
  source: RowSource
  count: number | null
  lastCount: number
} {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const view = useAppState(store, (s) => s.profile?.view ?? null)
  const version = useAppState(store, (s) => s.dataVersion)
  const source = useMemo(
    () => ({ ...rowSource(dataset.table, view, filter), version }),
    [dataset.table, view, filter, version],
  )
  const everything = source.where.sql === 'true'
  const counted = useEngineQuery(JSON.stringify(source), (e) =>
    everything ? Promise.resolve(dataset.rowCount) : countRows(e, source),
  )
  const count = everything ? dataset.rowCount : counted.current ? (counted.value ?? null) : null
  return { source, count, lastCount: count ?? counted.value ?? dataset.rowCount }
}
