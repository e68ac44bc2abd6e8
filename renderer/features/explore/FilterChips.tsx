import { useEffect } from 'react'
import { useServices } from '../../app/AppContext'
import { formatNumber } from '../../app/format'
import { useAppState } from '../../app/store'
import { EMPTY_FILTER, type Filter, isEmptyFilter } from '../../data/filter'
import { QA_RULES } from '../../data/qa'

/** What a QA rule is called, by its id. */
function ruleLabel(id: string): string {
  return QA_RULES.find((rule) => rule.id === id)?.label ?? id
}

interface Chip {
  readonly id: string
  readonly label: string
  readonly remove: (filter: Filter) => Filter
}

function chipsOf(filter: Filter): Chip[] {
  const chips: Chip[] = filter.languages.map((language) => ({
    id: `language:${language}`,
    label: `language: ${language}`,
    remove: (f) => ({ ...f, languages: f.languages.filter((l) => l !== language) }),
  }))
  for (const [key, range] of Object.entries(filter.ranges)) {
    const text =
      range.min !== null && range.max !== null
        ? `${formatNumber(range.min)} – ${formatNumber(range.max)}`
        : range.min !== null
          ? `≥ ${formatNumber(range.min)}`
          : `≤ ${formatNumber(range.max!)}`
    chips.push({
      id: `range:${key}`,
      label: `${key}: ${text}`,
      remove: (f) => ({
        ...f,
        ranges: Object.fromEntries(Object.entries(f.ranges).filter(([k]) => k !== key)),
      }),
    })
  }
  for (const model of filter.models) {
    chips.push({
      id: `model:${model}`,
      label: `model: ${model}`,
      remove: (f) => ({ ...f, models: f.models.filter((m) => m !== model) }),
    })
  }
  if (filter.groupSize) {
    const { min, max } = filter.groupSize
    chips.push({
      id: 'groupSize',
      label: `group size ${min ?? ''}${min !== null && max !== null ? '–' : min !== null ? '+' : '≤ '}${max ?? ''}`,
      remove: (f) => ({ ...f, groupSize: null }),
    })
  }
  if (filter.search.trim()) {
    chips.push({
      id: 'search',
      label: `search: “${filter.search.trim()}”`,
      remove: (f) => ({ ...f, search: '' }),
    })
  }
  for (const rule of filter.rules) {
    chips.push({
      id: `rule:${rule}`,
      label: `check: ${ruleLabel(rule)}`,
      remove: (f) => ({ ...f, rules: f.rules.filter((r) => r !== rule) }),
    })
  }
  if (filter.flagged) {
    chips.push({
      id: 'flagged',
      label: filter.flagged === 'only' ? 'flagged rows' : 'not flagged',
      remove: (f) => ({ ...f, flagged: null }),
    })
  }
  if (filter.where.trim()) {
    chips.push({
      id: 'where',
      label: `where ${filter.where.trim()}`,
      remove: (f) => ({ ...f, where: '' }),
    })
  }
  return chips
}

/** What the filter applies, one chip per part, with undo, redo and clear all. */
export function FilterChips() {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const history = useAppState(store, (s) => s.filterHistory)
  const chips = chipsOf(filter)

  // Ctrl/Cmd+Z and Shift+Ctrl/Cmd+Z undo and redo filter changes, outside text boxes.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return
      if ((e.target as HTMLElement | null)?.closest('input, textarea, select')) return
      e.preventDefault()
      if (e.shiftKey) store.redoFilter()
      else store.undoFilter()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store])

  return (
    <div className="filter-chips" data-testid="filter-chips">
      {chips.length === 0 && <span className="muted small">No filter: every row is shown.</span>}
      {chips.map((chip) => (
        <span key={chip.id} className="chip" data-chip={chip.id}>
          {chip.label}
          <button
            type="button"
            aria-label={`Remove ${chip.label}`}
            onClick={() => store.setFilter(chip.remove(filter))}
          >
            ×
          </button>
        </span>
      ))}
      <span className="spacer" />
      <button
        type="button"
        className="button ghost small"
        disabled={history.past.length === 0}
        onClick={() => store.undoFilter()}
        title="Undo the last filter change (Ctrl+Z)"
      >
        Undo
      </button>
      <button
        type="button"
        className="button ghost small"
        disabled={history.future.length === 0}
        onClick={() => store.redoFilter()}
        title="Redo (Shift+Ctrl+Z)"
      >
        Redo
      </button>
      {!isEmptyFilter(filter) && (
        <button
          type="button"
          className="button small"
          onClick={() => store.setFilter(EMPTY_FILTER)}
        >
          Clear all
        </button>
      )}
    </div>
  )
}
