/**
 * Pair vs its scores: the two sides of a pair scored against what they are (the chosen side
 * below the rejected one, the same code scored twice differently).
 */
import { UNIT_COLUMNS as U } from '../../profile/units'
import { rewardMeasure, scoreMeasure } from '../context'
import { type QaRule, type RulePlan, SCORE_EPSILON } from './rule'
import { ITEM, ROW, lit, num, select, textHash } from './sql'

export const chosenBelowRejected: QaRule = {
  id: 'chosen-below-rejected',
  label: 'Chosen scored below rejected',
  description: 'The chosen answer has a lower score than the rejected one (a tie does not trip).',
  category: 'pairs',
  severity: 'warning',
  plan(ctx) {
    const [chosen, rejected] = [scoreMeasure(ctx, 0), scoreMeasure(ctx, 1)]
    if (ctx.profile.family !== 'preference-pairs' || !chosen || !rejected) return null
    return {
      values: { score_0: chosen.sql, score_1: rejected.sql },
      findings: (from) =>
        select(
          from,
          `concat(${lit(`${chosen.label} `)}, ${num('score_0')}, ${lit(` < ${rejected.label} `)}, ${num('score_1')})`,
          `score_0 < score_1 - ${SCORE_EPSILON} AND isfinite(score_0) AND isfinite(score_1)`,
        ),
    }
  },
}

export const sameCodeDifferentScores: QaRule = {
  id: 'same-code-different-scores',
  label: 'Same code, different scores',
  description:
    'The two sides of a pair are the same code but scored differently, or identical completions of one question got different rewards.',
  category: 'pairs',
  severity: 'warning',
  plan(ctx): RulePlan | null {
    const { profile } = ctx
    const reward = rewardMeasure(ctx)
    if (profile.codeA && profile.codeB?.fromGroup && reward && profile.group) {
      const label = profile.codeA.label
      return {
        values: { reward: reward.sql, grp: U.group, a_hash: textHash(U.codeARaw) },
        findings: (from) => `SELECT v.${ROW}, v.${ITEM},
            concat(${lit(`the same ${label} is in this group `)}, g.n, ${lit(` times with ${reward.label} from `)}, ${num('g.lo')}, ' to ', ${num('g.hi')}) AS detail
          FROM ${from} v JOIN (SELECT * FROM (
                   SELECT grp, a_hash, count(*) AS n, min(reward) AS lo, max(reward) AS hi FROM ${from}
                    WHERE a_hash IS NOT NULL AND grp IS NOT NULL AND isfinite(reward) GROUP BY ALL)
                 WHERE n > 1 AND hi - lo > ${SCORE_EPSILON}) g
            ON v.grp = g.grp AND v.a_hash = g.a_hash WHERE isfinite(v.reward)`,
      }
    }
    const [first, second] = [scoreMeasure(ctx, 0), scoreMeasure(ctx, 1)]
    const paired = profile.family === 'code-rlaif' || profile.family === 'preference-pairs'
    if (!paired || !profile.codeA || !profile.codeB || profile.codeB.fromGroup) return null
    if (!first || !second) return null
    const [a, b] = [profile.codeA.label, profile.codeB.label]
    return {
      values: {
        a_hash: textHash(U.codeARaw),
        b_hash: textHash(U.codeBRaw),
        score_0: first.sql,
        score_1: second.sql,
      },
      findings: (from) =>
        select(
          from,
          `concat(${lit(`${a} and ${b} code are identical but ${first.label} `)}, ${num('score_0')}, ${lit(`, ${second.label} `)}, ${num('score_1')})`,
          `a_hash = b_hash AND abs(score_0 - score_1) > ${SCORE_EPSILON}`,
        ),
    }
  },
}
