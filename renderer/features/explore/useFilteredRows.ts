import { useEffect, useMemo, useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { countFilteredRows } from '../../data/explore'
import { type WhereClause, rowsWhere } from '../../data/filter'
import type { LoadedDataset } from '../../data/load'

/**
 * The rows the filter shows: the WHERE for the table, how many there are (null while counting), and
 * the last count known, to draw the table with until the new one arrives.
 */
export function useFilteredRows(dataset: LoadedDataset): {
  where: WhereClause
  count: number | null
  lastCount: number
} {
  const { store, engine } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const view = useAppState(store, (s) => s.profile?.view ?? null)
  const where = useMemo(
    () => (view ? rowsWhere(view, filter) : { sql: 'true', params: [] }),
    [view, filter],
  )
  const key = `${dataset.table}|${JSON.stringify(where)}`
  const [counted, setCounted] = useState<{ key: string; count: number }>()
  useEffect(() => {
    if (!view) return
    let live = true
    engine()
      .then((e) => countFilteredRows(e, dataset, view, filter))
      .then((count) => live && setCounted({ key, count }))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [engine, dataset, view, filter, key])
  const count =
    where.sql === 'true' ? dataset.rowCount : counted?.key === key ? counted.count : null
  return { where, count, lastCount: count ?? counted?.count ?? dataset.rowCount }
}
