import { describe, expect, it } from 'vitest'
import { bestUnit, worstOtherUnit } from '../../../../renderer/data/profile/review'

const units = (...rewards: (number | null)[]) => rewards.map((reward) => ({ reward }))

describe('the units a group compares by default', () => {
  it('takes the best unit for A and the worst of the others for B', () => {
    const group = units(1, 1, 0, 0.37, 0)
    expect(bestUnit(group)).toBe(0)
    expect(worstOtherUnit(group, 0)).toBe(2)
  })

  it('never gives B the unit A shows while the group has another', () => {
    expect(worstOtherUnit(units(1, 1, 0, 0), 2)).toBe(3)
    expect(worstOtherUnit(units(0.5, 0.5, 0.5), 0)).toBe(1)
    expect(worstOtherUnit(units(1, null, null), 0)).toBe(1)
    expect(worstOtherUnit(units(null, null), 1)).toBe(0)
  })

  it('puts units without a reward after those with one', () => {
    expect(bestUnit(units(null, 0.2, 0.9))).toBe(2)
    expect(worstOtherUnit(units(1, null, 0.4), 0)).toBe(2)
  })

  it('answers A itself only for a group of one', () => {
    expect(worstOtherUnit(units(0.3), 0)).toBe(0)
  })
})
