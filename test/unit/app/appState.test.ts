import { describe, expect, it } from 'vitest'
import { INITIAL_STATE, NO_DATASET } from '../../../renderer/app/appState'
import { FRESH_FILTER } from '../../../renderer/app/filterHistory'

describe('NO_DATASET', () => {
  it('keeps nothing of a dataset: no rows, roles, flags or checks, and a fresh filter', () => {
    const { filter, filterHistory, ...rest } = NO_DATASET
    expect({ filter, filterHistory }).toEqual(FRESH_FILTER)
    for (const [key, value] of Object.entries(rest)) expect([key, value]).toEqual([key, null])
  })

  it('leaves the load in progress, the error and the data version to open and close', () => {
    expect(Object.keys(NO_DATASET)).not.toContain('loading')
    expect(Object.keys(NO_DATASET)).not.toContain('error')
    expect(Object.keys(NO_DATASET)).not.toContain('dataVersion')
  })
})

describe('INITIAL_STATE', () => {
  it('is the state of no dataset, nothing loading and nothing to report', () => {
    expect(INITIAL_STATE).toEqual({
      ...NO_DATASET,
      loading: null,
      splitChoice: null,
      error: null,
      dataVersion: 0,
    })
  })
})
