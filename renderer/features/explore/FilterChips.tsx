import { useEffect } from 'react'
import { useServices } from '../../app/AppContext'
import { formatNumber } from '../../app/format'
import { useAppState } from '../../app/store'
import {
  EMPTY_FILTER,
  type Filter,
  compareLabel,
  contaminatedLabel,
  nearDupLabel,
  isEmptyFilter,
  rangeLabel,
} from '../../data/filter'
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

/**
 * The chips of the checks the filter narrows to. Ticking several shows the units tripping any of
 * them (a union, unlike every other part of the filter, which narrows further), so with two or
 * more the chips sit in one group that says "any of".
 */
function ruleChips(filter: Filter): Chip[] {
  const several = filter.rules.length > 1
  return filter.rules.map((rule) => ({
    id: `rule:${rule}`,
    label: several ? ruleLabel(rule) : `check: ${ruleLabel(rule)}`,
    remove: (f) => ({ ...f, rules: f.rules.filter((r) => r !== rule) }),
  }))
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
      label: `${rangeLabel(key)}: ${text}`,
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
  if (filter.flagged) {
    chips.push({
      id: 'flagged',
      label: filter.flagged === 'only' ? 'flagged rows' : 'not flagged',
      remove: (f) => ({ ...f, flagged: null }),
    })
  }
  if (filter.compare) {
    chips.push({
      id: 'compare',
      label: `compared: ${compareLabel(filter.compare)}`,
      remove: (f) => ({ ...f, compare: null }),
    })
  }
  if (filter.nearDup) {
    chips.push({
      id: 'nearDup',
      label: nearDupLabel(filter.nearDup),
      remove: (f) => ({ ...f, nearDup: null }),
    })
  }
  if (filter.contaminated) {
    chips.push({
      id: 'contaminated',
      label: contaminatedLabel(filter.contaminated),
      remove: (f) => ({ ...f, contaminated: null }),
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

function ChipView({ chip, onRemove }: { readonly chip: Chip; readonly onRemove: () => void }) {
  return (
    <span className="chip" data-chip={chip.id}>
      {chip.label}
      <button type="button" aria-label={`Remove ${chip.label}`} onClick={onRemove}>
        ×
      </button>
    </span>
  )
}

/** What the filter applies, one chip per part, with undo, redo and clear all. */
export function FilterChips() {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const history = useAppState(store, (s) => s.filterHistory)
  const chips = chipsOf(filter)
  const rules = ruleChips(filter)

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
      {chips.length + rules.length === 0 && (
        <span className="muted small">No filter: every row is shown.</span>
      )}
      {chips.map((chip) => (
        <ChipView key={chip.id} chip={chip} onRemove={() => store.setFilter(chip.remove(filter))} />
      ))}
      {rules.length === 1 && rules[0] && (
        <ChipView chip={rules[0]} onRemove={() => store.setFilter(rules[0]!.remove(filter))} />
      )}
      {rules.length > 1 && (
        <span
          className="chip-group"
          role="group"
          aria-label="Any of these checks"
          data-chip="rules"
        >
          <span className="chip-group-label">any of checks</span>
          {rules.map((chip) => (
            <ChipView
              key={chip.id}
              chip={chip}
              onRemove={() => store.setFilter(chip.remove(filter))}
            />
          ))}
        </span>
      )}
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
