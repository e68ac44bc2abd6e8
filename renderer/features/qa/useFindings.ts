import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { type QaFinding, parseQaFindings, qaFindingsQuery } from '../../data/qa'
import { relationNames } from '../../data/relations'
import { readQuery } from '../../data/sql'

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
  const query = qa ? qaFindingsQuery(relationNames(table), rows) : null
  const answer = useEngineQuery(query && readQuery(query, parseQaFindings))
  return (qa && answer.value) || NONE
}
