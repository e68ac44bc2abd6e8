import { describe, expect, it } from 'vitest'
import { EMPTY_FILTER, type Filter } from '../../../renderer/data/filter'
import {
  FRESH_FILTER,
  type FilterState,
  MAX_UNDO,
  redoneFilter,
  undoneFilter,
  withFilter,
} from '../../../renderer/app/filterHistory'

/** A filter searching for `text`: filters told apart by one word. */
const search = (text: string): Filter => ({ ...EMPTY_FILTER, search: text })

/** The state after applying each filter in turn from a fresh start. */
function applied(...filters: Filter[]): FilterState {
  return filters.reduce(withFilter, FRESH_FILTER)
}

describe('withFilter', () => {
  it('applies the filter and keeps the one it replaces for undo', () => {
    const state = applied(search('a'))
    expect(state.filter).toEqual(search('a'))
    expect(state.filterHistory).toEqual({ past: [EMPTY_FILTER], future: [] })
  })

  it('returns the same state for a filter equal to the current one, pushing nothing', () => {
    const state = applied(search('a'))
    expect(withFilter(state, search('a'))).toBe(state)
    expect(withFilter(FRESH_FILTER, { ...EMPTY_FILTER })).toBe(FRESH_FILTER)
  })

  it('tells filters apart by their JSON, so the order of keys counts', () => {
    const ranges = {
      reward: { path: ['reward'], min: 0, max: 1 },
      score: { path: ['score'], min: null, max: 2 },
    }
    const state = withFilter(FRESH_FILTER, { ...EMPTY_FILTER, ranges })
    const reordered = { score: ranges.score, reward: ranges.reward }
    expect(withFilter(state, { ...EMPTY_FILTER, ranges: reordered })).not.toBe(state)
  })

  it('drops the redo branch when a filter is set after an undo', () => {
    const undone = undoneFilter(applied(search('a'), search('b')))
    expect(undone.filterHistory.future).toEqual([search('b')])
    const state = withFilter(undone, search('c'))
    expect(state.filter).toEqual(search('c'))
    expect(state.filterHistory).toEqual({ past: [EMPTY_FILTER, search('a')], future: [] })
    expect(redoneFilter(state)).toBe(state)
  })

  it(`keeps only the last ${MAX_UNDO} filters for undo`, () => {
    const filters = Array.from({ length: MAX_UNDO + 5 }, (_, i) => search(String(i)))
    const { filterHistory } = applied(...filters)
    expect(filterHistory.past).toHaveLength(MAX_UNDO)
    expect(filterHistory.past[0]).toEqual(search('4'))
    expect(filterHistory.past.at(-1)).toEqual(search(String(MAX_UNDO + 3)))
  })

  it('does not change the state it was given', () => {
    const state = applied(search('a'))
    const before = structuredClone(state)
    withFilter(state, search('b'))
    expect(state).toEqual(before)
  })
})

describe('undoneFilter', () => {
  it('is a no-op at the start of the history', () => {
    expect(undoneFilter(FRESH_FILTER)).toBe(FRESH_FILTER)
  })

  it('goes back one filter and keeps the undone one for redo, most recent first', () => {
    const once = undoneFilter(applied(search('a'), search('b'), search('c')))
    expect(once.filter).toEqual(search('b'))
    const twice = undoneFilter(once)
    expect(twice.filter).toEqual(search('a'))
    expect(twice.filterHistory).toEqual({
      past: [EMPTY_FILTER],
      future: [search('b'), search('c')],
    })
  })

  it('undoes all the way back to no filter, then stops', () => {
    const start = undoneFilter(undoneFilter(applied(search('a'), search('b'))))
    expect(start.filter).toEqual(EMPTY_FILTER)
    expect(start.filterHistory.past).toEqual([])
    expect(undoneFilter(start)).toBe(start)
  })
})

describe('redoneFilter', () => {
  it('is a no-op with nothing undone', () => {
    const state = applied(search('a'))
    expect(redoneFilter(state)).toBe(state)
    expect(redoneFilter(FRESH_FILTER)).toBe(FRESH_FILTER)
  })

  it('re-applies undone filters in the order they were made', () => {
    const undone = undoneFilter(undoneFilter(applied(search('a'), search('b'))))
    const once = redoneFilter(undone)
    expect(once.filter).toEqual(search('a'))
    const twice = redoneFilter(once)
    expect(twice).toEqual(applied(search('a'), search('b')))
  })

  it('undo then redo gives back the state it started from', () => {
    const state = applied(search('a'), search('b'))
    expect(redoneFilter(undoneFilter(state))).toEqual(state)
  })
})
