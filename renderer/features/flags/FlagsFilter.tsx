/** The flags in the filter panel: how many rows are flagged, where they are kept, and a filter. */
import { useServices } from '../../app/AppContext'
import { formatCount } from '../../app/format'
import { useAppState } from '../../app/store'
import type { Filter } from '../../data/filter'

const CHOICES: readonly { value: Filter['flagged']; label: string }[] = [
  { value: null, label: 'All' },
  { value: 'only', label: 'Flagged' },
  { value: 'exclude', label: 'Not flagged' },
]

export function FlagsFilter() {
  const { store } = useServices()
  const flags = useAppState(store, (s) => s.flags)
  const error = useAppState(store, (s) => s.flagsError)
  const flagged = useAppState(store, (s) => s.filter.flagged)
  if (!flags && !error) return null
  const count = flags?.byRow.size ?? 0
  const placed = new Set(flags?.byRow.values())
  const orphaned = flags?.document.flags.filter((flag) => !placed.has(flag)) ?? []
  return (
    <fieldset className="facet flags-filter" data-testid="flags-filter">
      <legend>
        Flags{' '}
        <span className="flag-count" data-testid="flag-count">
          {formatCount(count)} flagged
        </span>
      </legend>
      <div className="segmented" role="group" aria-label="Show flagged rows">
        {CHOICES.map((choice) => (
          <button
            key={choice.label}
            type="button"
            data-value={choice.value ?? 'all'}
            aria-pressed={flagged === choice.value}
            onClick={() => store.updateFilter({ flagged: choice.value })}
          >
            {choice.label}
          </button>
        ))}
      </div>
      {flags?.location && (
        <p className="muted small flags-location" title={flags.location}>
          Saved in {flags.location}
        </p>
      )}
      {flags?.notice && (
        <p className="notice small" data-testid="flags-notice">
          {flags.notice}
        </p>
      )}
      {orphaned.length > 0 && !flags?.readOnly && (
        <details className="orphaned-flags small" data-testid="orphaned-flags">
          <summary>
            {formatCount(orphaned.length)} {orphaned.length === 1 ? 'flag matches' : 'flags match'}{' '}
            no row
          </summary>
          <ul>
            {orphaned.map((flag) => (
              <li key={`${flag.row}:${flag.hash}`}>
                was row {formatCount(flag.row + 1)}
                {flag.note ? `: ${flag.note}` : ''}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button small"
            data-testid="forget-orphaned-flags"
            onClick={() => void store.forgetOrphanedFlags()}
          >
            Forget {orphaned.length === 1 ? 'it' : 'them'}
          </button>
        </details>
      )}
      {error && (
        <p className="error-text small" data-testid="flags-error">
          {error}
        </p>
      )}
      {count === 0 && !flags?.notice && (
        <p className="muted small">Select a row and press f to flag it.</p>
      )}
    </fieldset>
  )
}
