import { describe, expect, it } from 'vitest'
import { QA_RULES } from '../../../renderer/data/qa'

describe('reward check severities', () => {
  it('counts repeated prompts and code and all-pass groups as how the data is built, and syntax errors (86% precise on real data) and near-duplicates scored apart (no real defect found yet) as info', () => {
    expect(QA_RULES.filter((r) => r.severity === 'info').map((r) => r.id)).toEqual([
      'syntax-error',
      'all-pass',
      'duplicate-prompt',
      'duplicate-prompt-whitespace',
      'duplicate-code',
      'duplicate-code-whitespace',
      'near-duplicate-rewards',
    ])
  })
})
