import { useRef, useState } from 'react'
import type { Profile } from '../../../shared/profile'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import type { LoadedDataset } from '../../data/dataset'
import { checkWhere, exampleCondition, facetQuery, parseFacet } from '../../data/explore'
import { EMPTY_FILTER, type Filter, isEmptyFilter } from '../../data/filter'
import type { Relations } from '../../data/relations'
import { readQuery } from '../../data/sql'

/** What the box holds while it differs from the filter's condition, and why it was refused. */
interface Draft {
  /** The filter's condition when the draft was typed: a new condition replaces the draft. */
  readonly for: string
  /** The filter when the draft was typed: a reset to no filter (Clear all) drops the draft. */
  readonly under: Filter
  readonly text: string
  readonly error: string | null
}

/**
 * A SQL condition for power users, over the dataset's columns and the role columns (`__rl_reward`,
 * `__rl_language`, ...). The engine checks it before it is applied; a bad one is explained here and
 * changes nothing. The placeholder is a condition this dataset can run as typed.
 */
export function SqlWhereBox({
  relations,
  dataset,
  profile,
}: {
  readonly relations: Relations
  readonly dataset: LoadedDataset
  readonly profile: Profile
}) {
  const { store, engine } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const applied = filter.where
  const [draft, setDraft] = useState<Draft | null>(null)
  const languages = useEngineQuery(
    readQuery(facetQuery(relations, 'languages', EMPTY_FILTER), parseFacet),
  )
  const example = exampleCondition(dataset, profile, languages.value?.[0]?.value ?? null)
  const reset = draft !== null && isEmptyFilter(filter) && filter !== draft.under
  const live = draft !== null && draft.for === applied && !reset ? draft : null
  const shown = live ? live.text : applied
  const edit = (next: string, error: string | null) =>
    setDraft({ for: applied, under: filter, text: next, error })
  // Only the latest Apply may change the filter or the draft: an earlier check still running
  // when a new condition is applied must not replace it (or clear its message) when it ends.
  const applying = useRef(0)
  const apply = async () => {
    const text = shown
    const asked = ++applying.current
    const problem = await checkWhere(await engine(), relations, text)
    if (asked !== applying.current) return
    // What was typed while the check ran stays in the box: only the text checked is settled.
    const typedSince = (d: Draft | null) => d !== null && d.text !== text
    if (problem !== null) {
      setDraft((d) => (typedSince(d) ? d : { for: applied, under: filter, text, error: problem }))
      return
    }
    store.updateFilter({ where: text.trim() })
    // The filter's own value replaces the draft: Clear all or undo then change what the box shows.
    const now = store.getState().filter
    setDraft((d) => (typedSince(d) ? { ...d!, for: now.where, under: now } : null))
  }
  return (
    <div className="sql-where">
      <label htmlFor="sql-where">SQL condition</label>
      <textarea
        id="sql-where"
        data-testid="sql-where"
        rows={2}
        spellCheck={false}
        placeholder={example}
        value={shown}
        // An emptied box has nothing left to be wrong.
        onChange={(e) =>
          edit(e.target.value, e.target.value.trim() === '' ? null : (live?.error ?? null))
        }
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault()
            void apply()
          }
        }}
      />
      <div className="sql-actions">
        <button type="button" className="button small" onClick={() => void apply()}>
          Apply
        </button>
        {live?.error && (
          <p className="error-text small" role="alert" data-testid="sql-error">
            {live.error}
          </p>
        )}
      </div>
    </div>
  )
}
