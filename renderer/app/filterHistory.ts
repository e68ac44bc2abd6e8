/**
 * The filter with its undo and redo stacks, changed only by pure functions.
 *
 * Each function takes the state as it is and gives the next one, or the very same object when
 * nothing changes (so the store knows not to tell its views).
 */
import { EMPTY_FILTER, type Filter } from '../data/filter'

/** Earlier filters, for undo (most recent last), and undone ones, for redo (next first). */
export interface FilterHistory {
  readonly past: readonly Filter[]
  readonly future: readonly Filter[]
}

/** The filter and its history: the part of the app state these functions change. */
export interface FilterState {
  readonly filter: Filter
  readonly filterHistory: FilterHistory
}

/** Filters kept for undo. */
export const MAX_UNDO = 100

/** No filter and nothing to undo or redo: where every dataset starts. */
export const FRESH_FILTER: FilterState = {
  filter: EMPTY_FILTER,
  filterHistory: { past: [], future: [] },
}

/**
 * The state with `filter` applied and the current one kept for undo; the redo stack is dropped. A
 * filter equal to the current one (same JSON) changes nothing.
 */
export function withFilter(state: FilterState, filter: Filter): FilterState {
  const { filter: current, filterHistory } = state
  if (JSON.stringify(filter) === JSON.stringify(current)) return state
  return {
    filter,
    filterHistory: { past: [...filterHistory.past, current].slice(-MAX_UNDO), future: [] },
  }
}

/** The state back at the filter before the last change; unchanged when there is none. */
export function undoneFilter(state: FilterState): FilterState {
  const { filter, filterHistory } = state
  const previous = filterHistory.past.at(-1)
  if (!previous) return state
  return {
    filter: previous,
    filterHistory: {
      past: filterHistory.past.slice(0, -1),
      future: [filter, ...filterHistory.future],
    },
  }
}

/** The state with the change undone last applied again; unchanged when there is none. */
export function redoneFilter(state: FilterState): FilterState {
  const { filter, filterHistory } = state
  const [next, ...rest] = filterHistory.future
  if (!next) return state
  return {
    filter: next,
    filterHistory: { past: [...filterHistory.past, filter], future: rest },
  }
}
