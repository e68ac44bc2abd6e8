import { describe, expect, it } from 'vitest'
import { type ColumnInfo, columnKind } from '../../../../renderer/data/dataset'
import { detectProfile } from '../../../../renderer/data/profile/detect'
import { unnestCandidates } from '../../../../renderer/data/profile/fields'
import type { Profile } from '../../../../shared/profile'

/** Columns as the loader describes them: DuckDB's type and the kind the views give it. */
function columns(spec: Record<string, string>): ColumnInfo[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type, kind: columnKind(type) }))
}

const NOTHING: Omit<Profile, 'family'> = {
  unnest: null,
  prompt: null,
  language: null,
  fixedLanguage: null,
  codeA: null,
  codeB: null,
  scores: [],
  reward: null,
  group: null,
  tests: null,
  model: null,
  breakdown: null,
}

// The types below are the ones DuckDB gives the real files in ../shared/realdata.
const CODE_RLAIF = {
  prompt: 'VARCHAR',
  language: 'VARCHAR',
  student_code: 'VARCHAR',
  teacher_code: 'VARCHAR',
  student_score: 'DOUBLE',
  teacher_score: 'DOUBLE',
  reward: 'DOUBLE',
  scoring_breakdown:
    'STRUCT(correctness DOUBLE, code_quality DOUBLE, efficiency DOUBLE, documentation DOUBLE)',
  timestamp: 'VARCHAR',
}

const ACECODE = {
  id: 'VARCHAR',
  source: 'VARCHAR',
  question: 'VARCHAR',
  test_cases: 'VARCHAR[]',
  inferences:
    'STRUCT(completion VARCHAR, completion_id BIGINT, model_name VARCHAR, pass_rate DOUBLE)[]',
  context_messages: 'STRUCT("content" VARCHAR, "role" VARCHAR)[]',
}

const VIZHUB = {
  prompt: 'VARCHAR',
  chosen: 'VARCHAR',
  rejected: 'VARCHAR',
  metadata:
    'STRUCT(challenge VARCHAR, chosen_model VARCHAR, rejected_model VARCHAR, ' +
    'chosen_scores STRUCT(technical BIGINT, aesthetic BIGINT, overall BIGINT, vote_count BIGINT), ' +
    'rejected_scores STRUCT(technical BIGINT, aesthetic BIGINT, overall DOUBLE, vote_count BIGINT), ' +
    'score_difference DOUBLE, dataset_version VARCHAR, generated_at VARCHAR)',
}

const TRIAL =
  'STRUCT(solution_code VARCHAR, test_code VARCHAR, test_result VARCHAR, test_coverage DOUBLE, file_source VARCHAR)'
const TEST_INFO =
  'STRUCT(function_name VARCHAR, parameter_list VARCHAR, function_declaration VARCHAR, docstring VARCHAR)[]'
const KODCODE_METADATA =
  'STRUCT(prompt_id VARCHAR, row_id BIGINT, seed_ids BIGINT[], "mode" VARCHAR, original_instruction VARCHAR)'

/** The demo output of the KodCode pipeline (kodcode/KodCode_algorithm_100_*.json). */
const KODCODE_PIPELINE = {
  style: 'VARCHAR',
  subset: 'VARCHAR',
  question_id: 'VARCHAR',
  question: 'VARCHAR',
  solution: 'VARCHAR',
  test_code: 'VARCHAR',
  test_info: TEST_INFO,
  gpt_pass_sequence: 'BIGINT[]',
  gpt_pass_trial_num: 'BIGINT',
  gpt_difficulty: 'VARCHAR',
  gpt_pass_percentage: 'DOUBLE',
  trials: `STRUCT("trial_qwen2.5_0" ${TRIAL}, "trial_qwen2.5_1" ${TRIAL}, "trial_qwen2.5_2" ${TRIAL})`,
  chosen_trial: 'VARCHAR',
  metadata: KODCODE_METADATA,
}

/** KodCode-V1 as its card names the columns (conversation_id, test, GPT-4o trials). */
const KODCODE_V1 = {
  version: 'VARCHAR',
  style: 'VARCHAR',
  subset: 'VARCHAR',
  conversation_id: 'VARCHAR',
  question: 'VARCHAR',
  solution: 'VARCHAR',
  test: 'VARCHAR',
  test_info: TEST_INFO,
  gpt_pass_sequence: 'BIGINT[]',
  gpt_pass_trial_num: 'BIGINT',
  gpt_difficulty: 'VARCHAR',
  gpt_pass_percentage: 'DOUBLE',
  trials: `STRUCT(trial_gpt4o_0 ${TRIAL}, trial_gpt4o_1 ${TRIAL}, trial_gpt4o_2 ${TRIAL})`,
  chosen_trial: 'VARCHAR',
  metadata: KODCODE_METADATA,
  benchmark_similarity: 'DOUBLE',
  filter_reason: 'VARCHAR',
}

const KODCODE_SFT = {
  style: 'VARCHAR',
  subset: 'VARCHAR',
  question_id: 'VARCHAR',
  question: 'VARCHAR',
  solution: 'VARCHAR',
  test_code: 'VARCHAR',
  test_info: TEST_INFO,
  gpt_pass_sequence: 'BIGINT[]',
  gpt_pass_trial_num: 'BIGINT',
  gpt_difficulty: 'VARCHAR',
  gpt_pass_percentage: 'DOUBLE',
  r1_solution: 'VARCHAR',
  r1_pass_sequence: 'BIGINT[]',
  r1_pass_trial_num: 'BIGINT',
  r1_correctness: 'VARCHAR',
  r1_chosen_trial_key: 'VARCHAR',
  metadata: KODCODE_METADATA,
  conversations: 'STRUCT("from" VARCHAR, "value" VARCHAR)[]',
}

describe('code-rlaif', () => {
  it('maps student vs teacher, both scores, reward, prompt groups and the breakdown', () => {
    expect(detectProfile(columns(CODE_RLAIF))).toEqual({
      ...NOTHING,
      family: 'code-rlaif',
      prompt: ['prompt'],
      language: ['language'],
      fixedLanguage: null,
      codeA: { path: ['student_code'], label: 'student' },
      codeB: { path: ['teacher_code'], label: 'teacher' },
      scores: [['student_score'], ['teacher_score']],
      reward: ['reward'],
      group: ['prompt'],
      breakdown: ['scoring_breakdown'],
    })
  })

  it('leaves the breakdown out when scoring_breakdown is not a struct', () => {
    const profile = detectProfile(columns({ ...CODE_RLAIF, scoring_breakdown: 'VARCHAR' }))
    expect(profile.family).toBe('code-rlaif')
    expect(profile.breakdown).toBeNull()
  })

  it('recognises the columns in any case and keeps the file spelling in paths', () => {
    const profile = detectProfile(
      columns({ Prompt: 'VARCHAR', STUDENT_CODE: 'VARCHAR', Teacher_Code: 'VARCHAR' }),
    )
    expect(profile).toEqual({
      ...NOTHING,
      family: 'code-rlaif',
      prompt: ['Prompt'],
      codeA: { path: ['STUDENT_CODE'], label: 'student' },
      codeB: { path: ['Teacher_Code'], label: 'teacher' },
      group: ['Prompt'],
    })
  })
})

describe('acecode', () => {
  it('unnests inferences and compares each completion with the best of its question', () => {
    expect(detectProfile(columns(ACECODE))).toEqual({
      ...NOTHING,
      family: 'acecode',
      unnest: ['inferences'],
      prompt: ['question'],
      codeA: { path: ['inferences', 'completion'], label: 'completion' },
      codeB: {
        path: ['inferences', 'completion'],
        label: 'best completion',
        fromGroup: { pick: 'best', by: ['inferences', 'pass_rate'] },
      },
      scores: [['inferences', 'pass_rate']],
      reward: ['inferences', 'pass_rate'],
      group: ['id'],
      tests: ['test_cases'],
      model: ['inferences', 'model_name'],
    })
  })

  it('compares with another completion of the group when there is no pass rate', () => {
    expect(
      detectProfile(columns({ question: 'VARCHAR', inferences: 'STRUCT(completion VARCHAR)[]' })),
    ).toEqual({
      ...NOTHING,
      family: 'acecode',
      unnest: ['inferences'],
      prompt: ['question'],
      codeA: { path: ['inferences', 'completion'], label: 'completion' },
      codeB: { path: ['inferences', 'completion'], label: 'another completion' },
      group: ['question'],
    })
  })

  it('is not acecode when inferences is a list without completions', () => {
    const profile = detectProfile(columns({ question: 'VARCHAR', inferences: 'VARCHAR[]' }))
    expect(profile.family).toBe('generic')
    expect(profile.unnest).toBeNull()
  })

  it('unnests only a list column (inferences as a plain struct is no unit list)', () => {
    // detectProfile gives unnest ['inferences'] for a STRUCT column, which unnestCandidates
    // does not offer and the units view cannot unnest (generate_subscripts of a struct).
    const cols = columns({ question: 'VARCHAR', inferences: 'STRUCT(completion VARCHAR)' })
    expect(unnestCandidates(cols)).toEqual([])
    expect(detectProfile(cols).unnest).toBeNull()
  })
})

describe('preference pairs', () => {
  it('takes both overall scores first, then every other score field once', () => {
    expect(detectProfile(columns(VIZHUB))).toEqual({
      ...NOTHING,
      family: 'preference-pairs',
      prompt: ['prompt'],
      codeA: { path: ['chosen'], label: 'chosen' },
      codeB: { path: ['rejected'], label: 'rejected' },
      scores: [
        ['metadata', 'chosen_scores', 'overall'],
        ['metadata', 'rejected_scores', 'overall'],
        ['metadata', 'chosen_scores', 'technical'],
        ['metadata', 'chosen_scores', 'aesthetic'],
        ['metadata', 'chosen_scores', 'vote_count'],
        ['metadata', 'rejected_scores', 'technical'],
        ['metadata', 'rejected_scores', 'aesthetic'],
        ['metadata', 'rejected_scores', 'vote_count'],
      ],
      reward: ['metadata', 'score_difference'],
      group: ['metadata', 'challenge'],
      model: ['metadata', 'chosen_model'],
    })
  })

  it('has no scores for hh-rlhf style pairs without metadata', () => {
    expect(detectProfile(columns({ chosen: 'VARCHAR', rejected: 'VARCHAR' }))).toEqual({
      ...NOTHING,
      family: 'preference-pairs',
      codeA: { path: ['chosen'], label: 'chosen' },
      codeB: { path: ['rejected'], label: 'rejected' },
    })
  })

  it('uses top-level chosen_score and rejected_score when there are no score structs', () => {
    const profile = detectProfile(
      columns({
        question: 'VARCHAR',
        chosen: 'VARCHAR',
        rejected: 'VARCHAR',
        chosen_score: 'DOUBLE',
        rejected_score: 'DOUBLE',
        margin: 'DOUBLE',
      }),
    )
    expect(profile).toEqual({
      ...NOTHING,
      family: 'preference-pairs',
      prompt: ['question'],
      codeA: { path: ['chosen'], label: 'chosen' },
      codeB: { path: ['rejected'], label: 'rejected' },
      scores: [['chosen_score'], ['rejected_score']],
      reward: ['margin'],
    })
  })

  it('is chat-preference (TRL) when chosen and rejected are message lists', () => {
    const messages = 'STRUCT("content" VARCHAR, "role" VARCHAR)[]'
    expect(
      detectProfile(columns({ prompt: messages, chosen: messages, rejected: messages })),
    ).toEqual({
      ...NOTHING,
      family: 'chat-preference',
      prompt: ['prompt'],
      codeA: { path: ['chosen'], label: 'chosen' },
      codeB: { path: ['rejected'], label: 'rejected' },
      group: ['prompt'],
    })
  })
})

describe('kodcode', () => {
  it('maps the V1 names: conversation_id, test and the GPT-4o trials', () => {
    expect(detectProfile(columns(KODCODE_V1))).toEqual({
      ...NOTHING,
      family: 'kodcode',
      prompt: ['question'],
      codeA: { path: ['solution'], label: 'solution' },
      codeB: { path: ['trials', 'trial_gpt4o_0', 'solution_code'], label: 'trial gpt4o_0' },
      scores: [['gpt_pass_percentage']],
      reward: ['gpt_pass_percentage'],
      group: ['conversation_id'],
      tests: ['test'],
    })
  })

  it('maps the pipeline names: question_id, test_code and a trial key with a dot', () => {
    expect(detectProfile(columns(KODCODE_PIPELINE))).toEqual({
      ...NOTHING,
      family: 'kodcode',
      prompt: ['question'],
      codeA: { path: ['solution'], label: 'solution' },
      codeB: { path: ['trials', 'trial_qwen2.5_0', 'solution_code'], label: 'trial qwen2.5_0' },
      scores: [['gpt_pass_percentage']],
      reward: ['gpt_pass_percentage'],
      group: ['question_id'],
      tests: ['test_code'],
    })
  })

  it('compares with the R1 solution in the SFT file', () => {
    expect(detectProfile(columns(KODCODE_SFT))).toEqual({
      ...NOTHING,
      family: 'kodcode',
      prompt: ['question'],
      codeA: { path: ['solution'], label: 'solution' },
      codeB: { path: ['r1_solution'], label: 'R1 solution' },
      scores: [['gpt_pass_percentage']],
      reward: ['gpt_pass_percentage'],
      group: ['question_id'],
      tests: ['test_code'],
    })
  })

  it('recognises question, solution and tests without a pass percentage', () => {
    const profile = detectProfile(
      columns({ question: 'VARCHAR', solution: 'VARCHAR', test: 'VARCHAR' }),
    )
    expect(profile).toEqual({
      ...NOTHING,
      family: 'kodcode',
      prompt: ['question'],
      codeA: { path: ['solution'], label: 'solution' },
      tests: ['test'],
    })
  })
})

describe('generic', () => {
  const GENERIC = columns({
    id: 'BIGINT',
    instruction: 'VARCHAR',
    response: 'VARCHAR',
    reference: 'VARCHAR',
    tag: 'VARCHAR',
    row_idx: 'INTEGER',
    problem_index: 'BIGINT',
    seed: 'BIGINT',
    score: 'DOUBLE',
    difficulty: 'INTEGER',
    lang: 'VARCHAR',
  })
  const LENGTHS = { instruction: 2000, response: 400, reference: 1500, tag: 12, lang: 6 }

  it('guesses prompt by name, code A/B as the two longest other texts, numbers as scores', () => {
    expect(detectProfile(GENERIC, LENGTHS)).toEqual({
      ...NOTHING,
      family: 'generic',
      prompt: ['instruction'],
      language: ['lang'],
      fixedLanguage: null,
      codeA: { path: ['reference'], label: 'reference' },
      codeB: { path: ['response'], label: 'response' },
      scores: [['score'], ['difficulty']],
      reward: ['score'],
      group: ['instruction'],
    })
  })

  it('takes the prompt by the first name in its list of prompt names, in any case', () => {
    const profile = detectProfile(columns({ Input: 'VARCHAR', Question: 'VARCHAR' }))
    expect(profile.prompt).toEqual(['Question'])
    expect(profile.group).toEqual(['Question'])
  })

  it('does not take short text for code', () => {
    const profile = detectProfile(columns({ a: 'VARCHAR', b: 'VARCHAR' }), { a: 119, b: 120 })
    expect(profile.codeA).toEqual({ path: ['b'], label: 'b' })
    expect(profile.codeB).toBeNull()
  })

  it('has no code roles without sampled lengths', () => {
    const profile = detectProfile(columns({ a: 'VARCHAR', b: 'VARCHAR' }))
    expect(profile.codeA).toBeNull()
    expect(profile.codeB).toBeNull()
  })

  it('gives a file with no text columns null code roles', () => {
    expect(
      detectProfile(columns({ x: 'DOUBLE', y: 'BIGINT', when: 'TIMESTAMP WITH TIME ZONE' }), {
        x: 500,
      }),
    ).toEqual({ ...NOTHING, family: 'generic', scores: [['x'], ['y']] })
  })

  it('reads the vizhub grades CSV as generic with its two grades as scores', () => {
    const profile = detectProfile(
      columns({
        challenge: 'VARCHAR',
        model: 'VARCHAR',
        type: 'VARCHAR',
        passFail: 'VARCHAR',
        grade: 'BIGINT',
        aesthetics: 'BIGINT',
        reviewedBy: 'VARCHAR',
        reviewedAt: 'TIMESTAMP WITH TIME ZONE',
        notes: 'VARCHAR',
      }),
      { challenge: 15, model: 20, type: 6, passFail: 4, reviewedBy: 6, notes: 0 },
    )
    expect(profile).toEqual({ ...NOTHING, family: 'generic', scores: [['grade'], ['aesthetics']] })
  })

  it('leaves camelCase id columns (problemId, userId) out of scores', () => {
    // The id pattern /(^|_)(id|index|idx|seed|row)$/ runs on the lower-cased name, so `problemId`
    // ('problemid') is not recognised and becomes a score.
    const profile = detectProfile(
      columns({ prompt: 'VARCHAR', problemId: 'BIGINT', userId: 'BIGINT', score: 'DOUBLE' }),
    )
    expect(profile.scores).toEqual([['score']])
  })
})

describe('precedence', () => {
  it('calls a file with both inferences and student_code acecode', () => {
    const profile = detectProfile(columns({ ...CODE_RLAIF, inferences: ACECODE.inferences }))
    expect(profile.family).toBe('acecode')
    expect(profile.unnest).toEqual(['inferences'])
  })

  it('calls a file with student/teacher code and chosen/rejected code-rlaif', () => {
    expect(detectProfile(columns({ ...VIZHUB, ...CODE_RLAIF })).family).toBe('code-rlaif')
  })

  it('calls a file with chosen/rejected and KodCode columns preference pairs', () => {
    expect(
      detectProfile(columns({ ...KODCODE_PIPELINE, chosen: 'VARCHAR', rejected: 'VARCHAR' }))
        .family,
    ).toBe('preference-pairs')
  })

  it('compares names without case: INFERENCES with Completion is acecode', () => {
    const profile = detectProfile(
      columns({
        Question: 'VARCHAR',
        INFERENCES: 'STRUCT("Completion" VARCHAR, "Pass_Rate" DOUBLE)[]',
      }),
    )
    expect(profile).toMatchObject({
      family: 'acecode',
      unnest: ['INFERENCES'],
      prompt: ['Question'],
      codeA: { path: ['INFERENCES', 'Completion'] },
      codeB: { fromGroup: { pick: 'best', by: ['INFERENCES', 'Pass_Rate'] } },
    })
  })

  it('compares names without case: CHOSEN and Rejected are preference pairs', () => {
    expect(detectProfile(columns({ CHOSEN: 'VARCHAR', Rejected: 'VARCHAR' })).family).toBe(
      'preference-pairs',
    )
  })
})
