/**
 * Pair vs its scores: the two sides of a pair scored against what they are (the chosen side
 * below the rejected one, the same code scored twice differently).
 */
import { UNIT_COLUMNS as U } from '../../profile/units'
import { rewardMeasure, scoreMeasure } from '../context'
import { type QaRule, type RulePlan, SCORE_EPSILON } from './rule'
import { factKeyValues, withFacts } from './parsed'
import {
  ITEM,
  ROW,
  blank,
  groupFindings,
  lit,
  num,
  select,
  stripped,
  tailKey,
  textHash,
} from './sql'

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

/** The first line of a text with something on it, cut for a reason. */
const firstLine = (x: string) => `left(trim(regexp_extract(${x}, '\\S[^\\n]*', 0)), 60)`

export const identicalSides: QaRule = {
  id: 'identical-sides',
  label: 'Both sides are the same answer',
  description:
    'A and B are the same answer: character for character, up to whitespace, or the same code once extracted from fences and prose (read on the parse).',
  category: 'pairs',
  severity: 'warning',
  parsed: true,
  plan(ctx): RulePlan | null {
    const { codeA, codeB, family } = ctx.profile
    if (!codeA || !codeB || codeB.fromGroup) return null
    // KodCode's B is a trial of the question, and its chosen trial is the solution by design.
    if (family === 'kodcode' || family === 'acecode') return null
    const both = `${codeA.label} and ${codeB.label}`
    // Whitespace is compared in full only where the cheap tail keys agree (see `tailKey`).
    const same = `CASE WHEN ${blank(U.codeARaw)} OR ${blank(U.codeBRaw)} THEN NULL
      WHEN ${U.codeARaw} = ${U.codeBRaw} THEN 'identical'
      WHEN ${tailKey(U.codeARaw)} = ${tailKey(U.codeBRaw)}
           AND ${stripped(U.codeARaw)} = ${stripped(U.codeBRaw)} THEN 'identical up to whitespace' END`
    const parse = ctx.parse
    return {
      values: {
        ab_same: same,
        ab_first: firstLine(U.codeARaw),
        ...(parse
          ? { ...factKeyValues(ctx, 'a', U.codeARaw), ...factKeyValues(ctx, 'b', U.codeBRaw) }
          : {}),
      },
      findings: (from) => {
        const source = parse ? withFacts(from, parse, ['a', 'b']) : from
        const kind = parse
          ? `coalesce(ab_same, CASE WHEN a_code_key = b_code_key THEN 'the same code once extracted' END)`
          : 'ab_same'
        return select(
          source,
          `concat(${lit(`${both} are `)}, ${kind}, ': "', ab_first, '"')`,
          `${kind} IS NOT NULL`,
        )
      },
    }
  },
}

export const repeatedAnswerDifferentRewards: QaRule = {
  id: 'repeated-answer-different-rewards',
  label: 'Same prompt and code, different rewards',
  description:
    'The same prompt with the same code is in several units with different rewards: the reward does not follow from the answer (unlike a repeated prompt, this is no way to build data).',
  category: 'pairs',
  severity: 'warning',
  plan(ctx): RulePlan | null {
    const { profile } = ctx
    // AceCode's completions of one question are compared by `same-code-different-scores`.
    if (!profile.prompt || !profile.codeA || profile.codeB?.fromGroup) return null
    // A preference pair has no reward of one answer; KodCode's reward is how often trials of the
    // question passed, which says nothing of its solution.
    if (profile.family === 'preference-pairs' || profile.family === 'kodcode') return null
    const score =
      profile.family === 'code-rlaif'
        ? (scoreMeasure(ctx, 0) ?? rewardMeasure(ctx))
        : (rewardMeasure(ctx) ?? scoreMeasure(ctx, 0))
    if (!score) return null
    return {
      values: {
        pc_key: `(CASE WHEN ${blank(U.codeARaw)} OR ${U.prompt} IS NULL THEN NULL ELSE hash(${U.prompt}, ${U.codeARaw}) END)`,
        pc_score: score.sql,
      },
      findings: (from) =>
        groupFindings(
          `(SELECT * FROM ${from} WHERE isfinite(pc_score))`,
          'pc_key',
          `n > 1 AND hi - lo > ${SCORE_EPSILON}`,
          `concat('the same prompt and ${profile.codeA?.label ?? 'code'} is in ', g.n_rows, ' rows (',
                  array_to_string(list_transform(g.some_rows, r -> concat('#', r + 1)), ', '),
                  CASE WHEN g.n_rows > 3 THEN ', …' ELSE '' END, ${lit(`) with ${score.label} from `)},
                  ${num('g.lo')}, ' to ', ${num('g.hi')}, '; this one ', ${num('v.pc_score')})`,
          `, min(pc_score) AS lo, max(pc_score) AS hi, list(DISTINCT ${ROW} ORDER BY ${ROW})[1:3] AS some_rows`,
        ),
    }
  },
}
