import { useEffect, useMemo, useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
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
  const { store, engine } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const view = useAppState(store, (s) => s.profile?.view ?? null)
  const unnested = useAppState(store, (s) => s.profile?.profile.unnest != null)
  const source = useMemo(
    () => rowSource(dataset.table, view, filter, unnested),
    [dataset.table, view, filter, unnested],
  )
  const key = JSON.stringify(source)
  const everything = source.where.sql === 'true'
  const [counted, setCounted] = useState<{ key: string; count: number }>()
  useEffect(() => {
    if (everything) return
    let live = true
    engine()
      .then((e) => countRows(e, source))
      .then((count) => live && setCounted({ key, count }))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [engine, source, key, everything])
  const count = everything ? dataset.rowCount : counted?.key === key ? counted.count : null
  return { source, count, lastCount: count ?? counted?.count ?? dataset.rowCount }
}
