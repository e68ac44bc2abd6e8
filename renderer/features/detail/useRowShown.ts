import { useEngineQuery } from '../../app/useEngineQuery'
import { parseCount } from '../../data/explore'
import type { RowSource } from '../../data/filter'
import { rowShownQuery } from '../../data/rows'
import { readQuery } from '../../data/sql'

/**
 * Whether the filter shows a row: false when the detail reads a row the table no longer lists,
 * true when it does (or nothing filters), null while asking.
 */
export function useRowShown(source: RowSource, rowId: number | null): boolean | null {
  const everything = source.where.text === 'true'
  const shown = useEngineQuery(
    rowId === null || everything ? null : readQuery(rowShownQuery(source, rowId), parseCount),
  )
  if (rowId === null || everything) return true
  return shown.current && shown.value !== undefined ? shown.value > 0 : null
}
