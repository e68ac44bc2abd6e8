import { useMemo } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { countRowsQuery, parseCount } from '../../data/explore'
import { type RowSource, rowSource } from '../../data/filter'
import type { LoadedDataset } from '../../data/dataset'
import { readQuery } from '../../data/sql'

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
  const relations = useAppState(store, (s) => s.profile?.relations ?? null)
  const source = useMemo(
    () => rowSource(dataset.table, relations, filter),
    [dataset.table, relations, filter],
  )
  const everything = source.where.text === 'true'
  // The count is what a person waits for after a filter change: it goes before the charts.
  const counted = useEngineQuery(
    everything ? null : readQuery(countRowsQuery(source), parseCount, 'first'),
  )
  const count = everything ? dataset.rowCount : counted.current ? (counted.value ?? null) : null
  return { source, count, lastCount: count ?? counted.value ?? dataset.rowCount }
}
