import { derivedRelations } from '../data/relations'
import { useAppState } from './store'
import { useServices } from './AppContext'

/**
 * What a query's answer depends on beyond its SQL text: for SQL that reads a derived relation
 * (units, checks, flags), the data version (flags or checks changed a table under the same
 * filter) and the build of the units (a profile change rebuilt them under the same names); for
 * SQL reading the dataset table alone (a row, text lengths, the unfiltered table), nothing, so
 * its answer stands through a profile change. Appended to a cache key.
 */
export function useVersionsOf(sqlText: string | null): string {
  const { store } = useServices()
  const dataVersion = useAppState(store, (s) => s.dataVersion)
  const relations = useAppState(store, (s) => s.profile?.relations ?? null)
  const derived =
    sqlText !== null &&
    relations !== null &&
    derivedRelations(relations).some(({ name }) => sqlText.includes(name))
  return derived ? `#${dataVersion}#${relations.version}` : ''
}
