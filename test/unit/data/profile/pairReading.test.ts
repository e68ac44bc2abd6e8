import { describe, expect, it } from 'vitest'
import { pairReading } from '../../../../renderer/data/profile/pairReading'
import type { CodeRole, Family, Profile } from '../../../../shared/profile'

function profile(family: Family, codeA: CodeRole | null, codeB: CodeRole | null): Profile {
  return {
    family,
    unnest: null,
    prompt: null,
    language: null,
    fixedLanguage: null,
    codeA,
    codeB,
    scores: [],
    reward: null,
    group: null,
    tests: null,
    model: null,
    breakdown: null,
  }
}
const side = (field: string, label = field): CodeRole => ({ path: [field], label })

describe('pairReading', () => {
  it('reads a student against its teacher as versions', () => {
    expect(
      pairReading(
        profile('code-rlaif', side('student_code', 'student'), side('teacher_code', 'teacher')),
      ),
    ).toEqual({ kind: 'versions' })
    expect(pairReading(profile('generic', side('buggy_code'), side('fixed_code')))).toEqual({
      kind: 'versions',
    })
  })

  it('reads a preference pair as alternatives with the chosen side preferred', () => {
    expect(pairReading(profile('preference-pairs', side('chosen'), side('rejected')))).toEqual({
      kind: 'alternatives',
      preferred: 'a',
    })
    // Roles swapped in the editor: the chosen answer is still the one named so.
    expect(pairReading(profile('preference-pairs', side('rejected'), side('chosen')))).toEqual({
      kind: 'alternatives',
      preferred: 'b',
    })
  })

  it('reads completions and trials as alternatives with no side preferred', () => {
    const completion: CodeRole = { path: ['inferences', 'completion'], label: 'completion' }
    expect(
      pairReading(profile('acecode', completion, { ...completion, label: 'best completion' })),
    ).toEqual({ kind: 'alternatives', preferred: null })
    expect(
      pairReading(
        profile('kodcode', side('solution'), {
          path: ['trials', 'trial_0', 'solution_code'],
          label: 'trial 0',
        }),
      ),
    ).toEqual({ kind: 'alternatives', preferred: null })
    expect(pairReading(profile('generic', side('completion'), side('response')))).toEqual({
      kind: 'alternatives',
      preferred: null,
    })
  })
})
