/**
 * Impossible values: a reward or score that is missing, not a number, outside its family's range,
 * or divided by zero.
 */
import { samePath } from '../../../../shared/profile'
import { allMeasures, passSequence, rewardMeasure, scoreMeasure, testCount } from '../context'
import { type QaRule, SCORE_EPSILON } from './rule'
import { lit, num, select } from './sql'

/** The ranges of a family's values, where the family defines one; null bounds are open. */
const RANGES: Readonly<
  Record<
    string,
    { reward: readonly [number | null, number | null]; scores: readonly [number, number] }
  >
> = {
  // Scores are judgements in [0, 1]; the reward is their quotient, so a student may beat the teacher.
  'code-rlaif': { reward: [0, null], scores: [0, 1] },
  acecode: { reward: [0, 1], scores: [0, 1] },
  kodcode: { reward: [0, 1], scores: [0, 1] },
}

/**
 * A rule over the reward and every score, as values `m_0`, `m_1`, ...: a unit trips it when any
 * of them `trips`, and its reason lists each one that does as `reason` tells it (`detail` may
 * wrap the list).
 */
function measureRule(
  rule: Pick<QaRule, 'id' | 'label' | 'description' | 'severity'>,
  check: {
    readonly trips: (name: string) => string
    readonly reason: (name: string, label: string) => string
    readonly detail?: (reasons: string) => string
  },
): QaRule {
  return {
    ...rule,
    category: 'values',
    plan(ctx) {
      const measures = allMeasures(ctx).map((measure, i) => ({ name: `m_${i}`, measure }))
      if (measures.length === 0) return null
      const reasons = `concat_ws(', ', ${measures.map((m) => `CASE WHEN ${check.trips(m.name)} THEN ${check.reason(m.name, m.measure.label)} END`).join(', ')})`
      return {
        values: Object.fromEntries(measures.map((m) => [m.name, m.measure.sql])),
        findings: (from) =>
          select(
            from,
            check.detail ? check.detail(reasons) : reasons,
            measures.map((m) => check.trips(m.name)).join(' OR '),
          ),
      }
    },
  }
}

export const missingValue = measureRule(
  {
    id: 'missing-value',
    severity: 'warning',
    label: 'Missing score',
    description: 'The reward or a score is empty (null), or not a number the engine can read.',
  },
  {
    trips: (name) => `${name} IS NULL`,
    reason: (_name, label) => lit(label),
    detail: (reasons) => `concat(${reasons}, ' missing')`,
  },
)

export const notANumber = measureRule(
  {
    id: 'not-a-number',
    severity: 'warning',
    label: 'NaN or infinite score',
    description: 'The reward or a score is NaN or infinite.',
  },
  {
    trips: (name) => `NOT isfinite(${name})`,
    reason: (name, label) => `concat(${lit(`${label} is `)}, ${num(name)})`,
  },
)

export const outOfRange: QaRule = {
  id: 'out-of-range',
  label: 'Score out of range',
  description:
    'The reward or a score is outside the range its family allows (negative, or above 1 for a score or pass rate).',
  category: 'values',
  severity: 'warning',
  plan(ctx) {
    const ranges = RANGES[ctx.profile.family]
    if (!ranges) return null
    const reward = rewardMeasure(ctx)
    const checks = [
      ...(reward ? [{ measure: reward, range: ranges.reward }] : []),
      // A score that is the reward's own field (AceCode, KodCode) is checked once, as the reward.
      ...ctx.profile.scores.flatMap((path, i) =>
        reward && samePath(path, ctx.profile.reward)
          ? []
          : [{ measure: scoreMeasure(ctx, i)!, range: ranges.scores }],
      ),
    ].map((c, i) => ({ ...c, name: `r_${i}` }))
    if (checks.length === 0) return null
    const outside = (c: (typeof checks)[number]) => {
      const [lo, hi] = c.range
      const tests = [
        lo === null ? null : `${c.name} < ${lo - SCORE_EPSILON}`,
        hi === null ? null : `${c.name} > ${hi + SCORE_EPSILON}`,
      ].filter((t) => t !== null)
      return `(isfinite(${c.name}) AND (${tests.join(' OR ')}))`
    }
    const rangeText = ([lo, hi]: readonly [number | null, number | null]) =>
      hi === null ? `below ${lo}` : `outside [${lo}, ${hi}]`
    return {
      values: Object.fromEntries(checks.map((c) => [c.name, c.measure.sql])),
      findings: (from) =>
        select(
          from,
          `concat_ws(', ', ${checks.map((c) => `CASE WHEN ${outside(c)} THEN concat(${lit(`${c.measure.label} `)}, ${num(c.name)}, ${lit(` ${rangeText(c.range)}`)}) END`).join(', ')})`,
          checks.map(outside).join(' OR '),
        ),
    }
  },
}

export const zeroDivisor: QaRule = {
  id: 'zero-divisor',
  label: 'Zero divisor',
  description:
    'The reward divides by zero: a teacher score of 0, a pass rate over no tests, a pass percentage over no trials.',
  category: 'values',
  severity: 'warning',
  plan(ctx) {
    const parts: { values: Record<string, string>; sql: (from: string) => string }[] = []
    const [student, teacher] = [scoreMeasure(ctx, 0), scoreMeasure(ctx, 1)]
    if (ctx.profile.family === 'code-rlaif' && student && teacher) {
      parts.push({
        values: { score_1: teacher.sql },
        sql: (from) =>
          select(
            from,
            lit(`${teacher.label} is 0: ${student.label} / ${teacher.label} divides by zero`),
            `abs(score_1) <= ${SCORE_EPSILON}`,
          ),
      })
    }
    const reward = rewardMeasure(ctx)
    const tests = testCount(ctx)
    if (ctx.profile.family === 'acecode' && reward && tests) {
      parts.push({
        values: { reward: reward.sql, tests_n: tests.sql },
        sql: (from) =>
          select(
            from,
            `concat(${lit(`${reward.label} `)}, ${num('reward')}, ' over no tests')`,
            `reward IS NOT NULL AND coalesce(tests_n, 0) = 0`,
          ),
      })
    }
    const seq = passSequence(ctx)
    if (seq) {
      parts.push({
        values: { pct: seq.percentage.sql, seq_n: `len(${seq.sequence.sql})` },
        sql: (from) =>
          select(
            from,
            `concat(${lit(`${seq.percentage.label} `)}, ${num('pct')}, ${lit(` but ${seq.sequence.label} is empty`)})`,
            `pct IS NOT NULL AND coalesce(seq_n, 0) = 0`,
          ),
      })
    }
    if (parts.length === 0) return null
    return {
      values: Object.fromEntries(parts.flatMap((p) => Object.entries(p.values))),
      findings: (from) => parts.map((p) => p.sql(from)),
    }
  },
}
