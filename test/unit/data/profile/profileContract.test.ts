import { describe, expect, it } from 'vitest'
import { type ColumnInfo, columnKind } from '../../../../renderer/data/dataset'
import { detectProfile } from '../../../../renderer/data/profile/detect'
import { type Profile, parseProfile, pathLabel, samePath } from '../../../../shared/profile'

function columns(spec: Record<string, string>): ColumnInfo[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type, kind: columnKind(type) }))
}

const TRIAL = 'STRUCT(solution_code VARCHAR, test_code VARCHAR, test_result VARCHAR)'

/** One dataset of each family, with the types DuckDB gives the real files. */
const DETECTED: Record<string, Profile> = {
  'code-rlaif': detectProfile(
    columns({
      prompt: 'VARCHAR',
      language: 'VARCHAR',
      student_code: 'VARCHAR',
      teacher_code: 'VARCHAR',
      student_score: 'DOUBLE',
      teacher_score: 'DOUBLE',
      reward: 'DOUBLE',
      scoring_breakdown:
        'STRUCT(correctness DOUBLE, code_quality DOUBLE, efficiency DOUBLE, documentation DOUBLE)',
    }),
  ),
  acecode: detectProfile(
    columns({
      id: 'VARCHAR',
      question: 'VARCHAR',
      test_cases: 'VARCHAR[]',
      inferences:
        'STRUCT(completion VARCHAR, completion_id BIGINT, model_name VARCHAR, pass_rate DOUBLE)[]',
    }),
  ),
  'preference-pairs': detectProfile(
    columns({
      prompt: 'VARCHAR',
      chosen: 'VARCHAR',
      rejected: 'VARCHAR',
      metadata:
        'STRUCT(challenge VARCHAR, chosen_model VARCHAR, chosen_scores STRUCT(technical BIGINT, overall BIGINT), rejected_scores STRUCT(technical BIGINT, overall DOUBLE), score_difference DOUBLE)',
    }),
  ),
  kodcode: detectProfile(
    columns({
      question_id: 'VARCHAR',
      question: 'VARCHAR',
      solution: 'VARCHAR',
      test_code: 'VARCHAR',
      gpt_pass_percentage: 'DOUBLE',
      trials: `STRUCT("trial_qwen2.5_0" ${TRIAL}, "trial_qwen2.5_1" ${TRIAL})`,
    }),
  ),
  generic: detectProfile(
    columns({ instruction: 'VARCHAR', a: 'VARCHAR', b: 'VARCHAR', score: 'DOUBLE' }),
    { a: 300, b: 200 },
  ),
  'generic, nothing found': detectProfile(columns({ x: 'BLOB' })),
}

/** A detected profile as plain JSON, to damage one field at a time. */
function stored(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(DETECTED.acecode)) as Record<string, unknown>
}

describe('parseProfile', () => {
  it('detects one profile of each family for the round trip', () => {
    expect(Object.values(DETECTED).map((p) => p.family)).toEqual([
      'code-rlaif',
      'acecode',
      'preference-pairs',
      'kodcode',
      'generic',
      'generic',
    ])
  })

  it.each(Object.keys(DETECTED))('reads back the detected %s profile after JSON', (name) => {
    const profile = DETECTED[name]!
    expect(parseProfile(JSON.parse(JSON.stringify(profile)))).toEqual(profile)
  })

  it('reads a profile saved before a fixed language existed as having none', () => {
    const old = stored()
    delete old.fixedLanguage
    expect(parseProfile(old)).toEqual(DETECTED.acecode)
    expect(parseProfile({ ...stored(), fixedLanguage: ' python ' })?.fixedLanguage).toBe('python')
    expect(parseProfile({ ...stored(), fixedLanguage: 3 })).toBeNull()
  })

  it('reads back every way B can come from another unit, and refuses unknown ones', () => {
    const codeB = stored().codeB as Record<string, unknown>
    for (const fromGroup of [{ pick: 'at', by: ['gt_choice'] }, { pick: 'first' }]) {
      expect(
        parseProfile({ ...stored(), codeB: { ...codeB, fromGroup } })?.codeB?.fromGroup,
      ).toEqual(fromGroup)
    }
    expect(parseProfile({ ...stored(), codeB: { ...codeB, fromGroup: { pick: 'at' } } })).toBeNull()
    expect(
      parseProfile({ ...stored(), codeB: { ...codeB, fromGroup: { pick: 'last' } } }),
    ).toBeNull()
  })

  it('drops keys that are not roles', () => {
    const parsed = parseProfile({
      ...stored(),
      extra: 1,
      codeA: { ...(stored().codeA as object), x: 2 },
    })
    expect(parsed).toEqual(DETECTED.acecode)
  })

  it.each([null, undefined, 'acecode', 42, [], {}])('rejects a non-profile: %j', (value) => {
    expect(parseProfile(value)).toBeNull()
  })

  it.each(['rlhf', 'ACECODE', '', null])('rejects an unknown family: %j', (family) => {
    expect(parseProfile({ ...stored(), family })).toBeNull()
  })

  it.each([
    ['a string', 'question'],
    ['numbers', [1, 2]],
    ['a mixed array', ['question', 3]],
    ['an empty path', []],
    ['an object', { 0: 'question' }],
  ])('rejects a path that is %s', (_what, path) => {
    expect(parseProfile({ ...stored(), prompt: path })).toBeNull()
    expect(parseProfile({ ...stored(), unnest: path })).toBeNull()
  })

  it('rejects scores that are not a list of paths', () => {
    expect(parseProfile({ ...stored(), scores: null })).toBeNull()
    expect(parseProfile({ ...stored(), scores: ['pass_rate'] })).toBeNull()
    expect(parseProfile({ ...stored(), scores: [['a'], []] })).toBeNull()
  })

  it('accepts empty scores and null roles', () => {
    expect(
      parseProfile({ ...stored(), scores: [], prompt: null, codeA: null, codeB: null }),
    ).toMatchObject({ scores: [], prompt: null, codeA: null, codeB: null })
  })

  it.each([
    ['an unknown pick', { pick: 'median', by: ['inferences', 'pass_rate'] }],
    ['no pick', { by: ['inferences', 'pass_rate'] }],
    ['an empty by', { pick: 'best', by: [] }],
    ['a by that is a string', { pick: 'best', by: 'pass_rate' }],
    ['null', null],
  ])('rejects a codeB whose fromGroup has %s', (_what, fromGroup) => {
    const codeB = { path: ['inferences', 'completion'], label: 'best', fromGroup }
    expect(parseProfile({ ...stored(), codeB })).toBeNull()
  })

  it('accepts a codeB with a worst pick', () => {
    const codeB = {
      path: ['inferences', 'completion'],
      label: 'worst',
      fromGroup: { pick: 'worst', by: ['inferences', 'pass_rate'] },
    }
    expect(parseProfile({ ...stored(), codeB })?.codeB).toEqual(codeB)
  })

  it('rejects a code role without a label or a path', () => {
    expect(parseProfile({ ...stored(), codeA: { path: ['a'] } })).toBeNull()
    expect(parseProfile({ ...stored(), codeA: { label: 'a' } })).toBeNull()
    expect(parseProfile({ ...stored(), codeA: 'a' })).toBeNull()
  })

  it.each([
    'unnest',
    'prompt',
    'language',
    'codeA',
    'codeB',
    'scores',
    'reward',
    'group',
    'tests',
    'model',
    'breakdown',
  ])('rejects a profile missing %s', (key) => {
    const value = stored()
    delete value[key]
    expect(parseProfile(value)).toBeNull()
  })
})

describe('pathLabel', () => {
  it('joins plain parts with dots', () => {
    expect(pathLabel(['metadata', 'chosen_scores', 'overall'])).toBe(
      'metadata.chosen_scores.overall',
    )
  })

  it('quotes parts with dots', () => {
    expect(pathLabel(['trials', 'trial_qwen2.5_0', 'solution_code'])).toBe(
      'trials."trial_qwen2.5_0".solution_code',
    )
  })

  it('quotes parts with spaces or a leading digit, and empty parts', () => {
    expect(pathLabel(['my col', '0', ''])).toBe('"my col"."0".""')
  })

  // A quoted part keeps a " as it is, so ['1', '2'] and ['1"."2'] both read "1"."2".
  it('tells paths apart when a part holds a double quote', () => {
    expect(pathLabel(['1"."2'])).not.toBe(pathLabel(['1', '2']))
  })
})

describe('samePath', () => {
  it('is true for equal paths, even as different arrays', () => {
    expect(samePath(['metadata', 'overall'], ['metadata', 'overall'])).toBe(true)
  })

  it('is false for a prefix, another order or another case', () => {
    expect(samePath(['metadata'], ['metadata', 'overall'])).toBe(false)
    expect(samePath(['metadata', 'overall'], ['metadata'])).toBe(false)
    expect(samePath(['a', 'b'], ['b', 'a'])).toBe(false)
    expect(samePath(['Metadata'], ['metadata'])).toBe(false)
  })

  it('does not read a dotted part as two parts', () => {
    expect(samePath(['a.b'], ['a', 'b'])).toBe(false)
  })

  it('is true for two nulls and false for null against a path', () => {
    expect(samePath(null, null)).toBe(true)
    expect(samePath(null, ['a'])).toBe(false)
    expect(samePath(['a'], null)).toBe(false)
  })
})
