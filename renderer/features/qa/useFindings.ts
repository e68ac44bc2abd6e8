import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { type QaFinding, qaFindings } from '../../data/qa'

const NONE: ReadonlyMap<number, readonly QaFinding[]> = new Map()

/**
 * The reward checks some rows trip, by row: for the badges of the rows on screen and the reasons
 * in the detail pane. Empty until the checks have run.
 */
export function useFindings(
  table: string,
  rows: readonly number[],
): ReadonlyMap<number, readonly QaFinding[]> {
  const { store } = useServices()
  const qa = useAppState(store, (s) => s.qa)
  const key = `findings|${table}|${qa?.ms ?? 'none'}|${rows.join(',')}`
  const answer = useEngineQuery(key, (e) =>
    qa && rows.length > 0 ? qaFindings(e, table, rows) : Promise.resolve(NONE),
  )
  return (qa && answer.value) || NONE
}
