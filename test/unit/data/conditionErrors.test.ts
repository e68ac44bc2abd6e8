import { describe, expect, it } from 'vitest'
import { conditionErrorMessage } from '../../../renderer/data/errors'

describe('conditionErrorMessage', () => {
  it('names a missing column and DuckDB’s candidates, without the wrapped statement', () => {
    const error = new Error(
      'Binder Error: Referenced column "rewrd" not found in FROM clause!\nCandidate bindings: "reward", "__rl_reward"\n\nLINE 1: SELECT 1 FROM "t_units" WHERE (rewrd > 0.5) LIMIT 0\n                                 ^',
    )
    expect(conditionErrorMessage(error)).toBe(
      'No column named rewrd; did you mean reward or __rl_reward?',
    )
  })

  it('keeps at most three candidates', () => {
    const error = new Error(
      'Binder Error: Referenced column "x" not found in FROM clause!\nCandidate bindings: "a", "b", "c", "d"\n\nLINE 1: ...',
    )
    expect(conditionErrorMessage(error)).toBe('No column named x; did you mean a, b or c?')
  })

  it('drops the error class and the quoted statement of any other error', () => {
    const error = new Error(
      'Parser Error: syntax error at or near ")"\n\nLINE 1: SELECT 1 FROM "t_units" WHERE (reward >) LIMIT 0\n     ^',
    )
    expect(conditionErrorMessage(error)).toBe('Syntax error at or near ")"')
  })
})
