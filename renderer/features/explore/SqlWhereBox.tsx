import { useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { checkWhere } from '../../data/explore'
import type { Relations } from '../../data/relations'

/**
 * A SQL condition for power users, over the dataset's columns and the role columns (`__rl_reward`,
 * `__rl_language`, ...). The engine checks it before it is applied; a bad one is explained here and
 * changes nothing.
 */
export function SqlWhereBox({ relations }: { readonly relations: Relations }) {
  const { store, engine } = useServices()
  const applied = useAppState(store, (s) => s.filter.where)
  const [draft, setDraft] = useState<{ for: string; text: string }>({ for: applied, text: applied })
  const [error, setError] = useState<string | null>(null)
  const text = draft.for === applied ? draft.text : applied
  const apply = async () => {
    const problem = await checkWhere(await engine(), relations, text)
    setError(problem)
    if (problem !== null) return
    // The draft becomes the filter's own value: Clear all or undo then replace it, not the reverse.
    setDraft({ for: text.trim(), text: text.trim() })
    store.updateFilter({ where: text.trim() })
  }
  return (
    <div className="sql-where">
      <label htmlFor="sql-where">SQL condition</label>
      <textarea
        id="sql-where"
        data-testid="sql-where"
        rows={2}
        spellCheck={false}
        placeholder="reward > 0.5 AND language = 'rust'"
        value={text}
        onChange={(e) => setDraft({ for: applied, text: e.target.value })}
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
        {error && (
          <p className="error-text small" role="alert" data-testid="sql-error">
            {error}
          </p>
        )}
      </div>
    </div>
  )
}
