/**
 * Reward vs its inputs: a reward or percentage that is not what the scores or passes it is
 * derived from give.
 */
import { passSequence, rewardMeasure, scoreMeasure, testCount } from '../context'
import {
  DERIVED_TOLERANCE,
  PASS_RATE_TOLERANCE,
  type QaRule,
  RATIO_EPSILON,
  SCORE_EPSILON,
} from './rule'
import { disagrees, lit, num, select } from './sql'

export const rewardRatio: QaRule = {
  id: 'reward-ratio',
  label: 'Reward ≠ student / teacher',
  description: `The reward is not student_score / teacher_score (the 1e-6 code-rlaif adds to the divisor allowed; tolerance ${DERIVED_TOLERANCE}).`,
  category: 'inputs',
  severity: 'warning',
  plan(ctx) {
    const [reward, student, teacher] = [
      rewardMeasure(ctx),
      scoreMeasure(ctx, 0),
      scoreMeasure(ctx, 1),
    ]
    if (ctx.profile.family !== 'code-rlaif' || !reward || !student || !teacher) return null
    const withEpsilon = `score_0 / (score_1 + ${RATIO_EPSILON})`
    return {
      values: { reward: reward.sql, score_0: student.sql, score_1: teacher.sql },
      findings: (from) =>
        select(
          from,
          `concat('reward ', ${num('reward')}, ${lit(` but ${student.label} / ${teacher.label} = `)}, ${num(withEpsilon)})`,
          // A zero teacher score is a zero divisor, its own rule; a NaN is "not a number".
          `isfinite(reward) AND isfinite(score_0) AND isfinite(score_1) AND abs(score_1) > ${SCORE_EPSILON}
             AND ${disagrees('reward', withEpsilon)} AND ${disagrees('reward', 'score_0 / score_1')}`,
        ),
    }
  },
}

export const scoreDifference: QaRule = {
  id: 'score-difference',
  label: 'Difference ≠ chosen − rejected',
  description: `The score difference is not the chosen score minus the rejected one (tolerance ${DERIVED_TOLERANCE}).`,
  category: 'inputs',
  severity: 'warning',
  plan(ctx) {
    const [reward, chosen, rejected] = [
      rewardMeasure(ctx),
      scoreMeasure(ctx, 0),
      scoreMeasure(ctx, 1),
    ]
    // Only a reward that is a difference or a margin: anything else is not derived from the two.
    const name = ctx.profile.reward?.at(-1) ?? ''
    if (ctx.profile.family !== 'preference-pairs' || !/diff|margin/i.test(name)) return null
    if (!reward || !chosen || !rejected) return null
    return {
      values: { reward: reward.sql, score_0: chosen.sql, score_1: rejected.sql },
      findings: (from) =>
        select(
          from,
          `concat(${lit(`${reward.label} `)}, ${num('reward')}, ${lit(` but ${chosen.label} − ${rejected.label} = `)}, ${num('score_0 - score_1')})`,
          `isfinite(reward) AND isfinite(score_0) AND isfinite(score_1) AND ${disagrees('reward', 'score_0 - score_1')}`,
        ),
    }
  },
}

export const passPercentage: QaRule = {
  id: 'pass-percentage',
  label: 'Pass percentage ≠ pass sequence',
  description: `The pass percentage is not the share of passes in the pass sequence (tolerance ${DERIVED_TOLERANCE}), or the pass count disagrees with it.`,
  category: 'inputs',
  severity: 'warning',
  plan(ctx) {
    const seq = passSequence(ctx)
    if (!seq) return null
    const { percentage, sequence, passes } = seq
    const share = 'seq_passes / seq_n'
    const countWrong = passes ? `(isfinite(seq_count) AND seq_count <> seq_passes)` : 'false'
    return {
      values: {
        pct: percentage.sql,
        seq_n: `len(${sequence.sql})`,
        seq_passes: `list_sum(list_transform(${sequence.sql}, x -> TRY_CAST(x AS DOUBLE)))`,
        ...(passes ? { seq_count: passes.sql } : {}),
      },
      findings: (from) =>
        select(
          from,
          `concat_ws('; ',
             CASE WHEN ${disagrees('pct', share)} THEN concat(${lit(`${percentage.label} `)}, ${num('pct')}, ${lit(` but ${sequence.label} passes `)}, ${num('seq_passes')}, ' of ', seq_n, ' (', ${num(share)}, ')') END,
             CASE WHEN ${countWrong} THEN concat(${lit(`${passes?.label ?? ''} `)}, ${num(passes ? 'seq_count' : 'NULL')}, ${lit(` but ${sequence.label} has `)}, ${num('seq_passes')}, ' passes') END)`,
          `seq_n > 0 AND isfinite(pct) AND isfinite(seq_passes) AND (${disagrees('pct', share)} OR ${countWrong})`,
        ),
    }
  },
}

export const passRateSteps: QaRule = {
  id: 'pass-rate-steps',
  label: 'Pass rate not k / tests',
  description: `The pass rate is not a whole number of tests passed out of the question's tests (tolerance ${PASS_RATE_TOLERANCE}).`,
  category: 'inputs',
  severity: 'warning',
  plan(ctx) {
    const reward = rewardMeasure(ctx)
    const tests = testCount(ctx)
    if (ctx.profile.family !== 'acecode' || !reward || !tests) return null
    const passed = 'reward * tests_n'
    return {
      values: { reward: reward.sql, tests_n: tests.sql },
      findings: (from) =>
        select(
          from,
          `concat(${lit(`${reward.label} `)}, ${num('reward')}, ' with ', tests_n, ' tests is ', ${num(passed)}, ' tests passed')`,
          `tests_n > 0 AND isfinite(reward) AND abs(${passed} - round(${passed})) / tests_n > ${PASS_RATE_TOLERANCE}`,
        ),
    }
  },
}
