import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { parseQaCounts, qaCountsQuery } from '../../data/qa'
import type { Relations } from '../../data/relations'
import { readQuery } from '../../data/sql'
import { QaPanel } from './QaPanel'

/** The reward checks of the open dataset, counted under the filter; a rule toggles its filter. */
export function QaSection({ relations }: { readonly relations: Relations }) {
  const { store } = useServices()
  const qa = useAppState(store, (s) => s.qa)
  const error = useAppState(store, (s) => s.qaError)
  const parsing = useAppState(store, (s) => s.qaParsing)
  const filter = useAppState(store, (s) => s.filter)
  const counts = useEngineQuery(qa && readQuery(qaCountsQuery(relations, filter), parseQaCounts))
  if (error) return <p className="error-text small">{error}</p>
  const toggle = (rule: string) => {
    const { rules } = store.getState().filter
    store.updateFilter({
      rules: rules.includes(rule) ? rules.filter((r) => r !== rule) : [...rules, rule],
    })
  }
  return (
    <QaPanel
      summary={qa}
      parsing={parsing}
      onCancelParsing={() => store.cancelParsing()}
      counts={counts.current ? (counts.value ?? null) : null}
      active={filter.rules}
      onToggle={toggle}
    />
  )
}
