/**
 * Checks on near-duplicates (renderer/data/neardup/): the same problem answered with the same code,
 * up to renamed variables and formatting, scored far apart; and rows that match a reference set.
 * Both read the near-duplicate table once it is built, and are built again alone when it changes.
 */
import { rewardMeasure } from '../context'
import type { QaRule } from './rule'
import { ITEM, ROW, lit, num } from './sql'

/**
 * Share of the reward's span (over the whole file) two near-duplicates' rewards must differ by
 * to disagree: a renamed variable changes nothing, but a small edit the shingles barely see (`<`
 * for `<=`) may rightly change a test or two, so a small difference is not a finding.
 */
export const NEAR_DUP_REWARD_SPREAD = 0.25

/** The near-duplicate table's row of each unit of the values table `from`. */
const joined = (from: string, table: string) =>
  `${from} v JOIN ${table} n ON n.${ROW} = v.${ROW} AND coalesce(n.${ITEM}, 0) = coalesce(v.${ITEM}, 0)`

export const nearDuplicateRewards: QaRule = {
  id: 'near-duplicate-rewards',
  label: 'Near-duplicates scored apart',
  description: `Units whose prompt and code are near-duplicates of each other (renamed variables, reformatted, a small edit) with rewards more than ${NEAR_DUP_REWARD_SPREAD * 100}% of the reward's span apart.`,
  category: 'groups',
  // Info until it has shown a real defect: on the real files it applies to AceCode only (pairs are
  // left out) and finds nothing there; before pairs were left out it raised 9 false alarms on
  // vizhub and 4 on KodCode's GPT-trial pass percentages (docs/QA-RULES.md).
  severity: 'info',
  nearDup: true,
  plan(ctx) {
    const reward = rewardMeasure(ctx)
    // A pair's reward weighs both its answers: the same A beside another B may rightly differ.
    const pair = ctx.profile.codeB !== null && !ctx.profile.codeB.fromGroup
    if (!ctx.nearDup || !reward || !ctx.profile.codeA || pair) return null
    const table = ctx.nearDup.table
    // Units answer the same thing when their prompts are in one group, or are one text in none
    // (AceCode's question over its completions); without a prompt role the code alone says so.
    const prompt = ctx.profile.prompt ? 'coalesce(n.prompt_group, -1 - n.prompt_id)' : '0'
    return {
      values: { reward: reward.sql },
      findings: (from) => `
        SELECT x.${ROW}, x.${ITEM},
               concat(g.n - 1, ${lit(' near-duplicate')}, CASE WHEN g.n > 2 THEN 's' ELSE '' END,
                      ${lit(` of this prompt and code scored ${reward.label} `)}, ${num('g.lo')}, ' to ', ${num('g.hi')},
                      '; this one ', ${num('x.reward')}) AS detail
          FROM (SELECT v.${ROW}, v.${ITEM}, v.reward, ${prompt} AS pg, n.code_group AS cg
                  FROM ${joined(from, table)}
                 WHERE n.code_group IS NOT NULL AND ${prompt} IS NOT NULL AND isfinite(v.reward)) x
          JOIN (SELECT pg, cg, count(*) AS n, min(reward) AS lo, max(reward) AS hi
                  FROM (SELECT ${prompt} AS pg, n.code_group AS cg, v.reward
                          FROM ${joined(from, table)}
                         WHERE n.code_group IS NOT NULL AND ${prompt} IS NOT NULL AND isfinite(v.reward))
                 GROUP BY pg, cg) g ON g.pg = x.pg AND g.cg = x.cg
          CROSS JOIN (SELECT max(reward) - min(reward) AS span FROM ${from} WHERE isfinite(reward)) s
         WHERE g.n > 1 AND s.span > 0 AND g.hi - g.lo > ${NEAR_DUP_REWARD_SPREAD} * s.span`,
    }
  },
}

export const contaminated: QaRule = {
  id: 'contaminated',
  label: 'In the reference set',
  description:
    'Units whose prompt or code is a near-duplicate of a row of the reference set chosen (a benchmark, a test split): training on them leaks it.',
  category: 'groups',
  severity: 'warning',
  nearDup: true,
  plan(ctx) {
    if (!ctx.nearDup?.reference) return null
    const match = (kind: 'prompt' | 'code') =>
      `CASE WHEN n.${kind}_ref_row IS NOT NULL THEN concat(${lit(`${kind} matches reference row `)}, n.${kind}_ref_row + 1, ' (similarity ', round(n.${kind}_ref_sim, 2), ')') END`
    return {
      values: {},
      findings: (from) => `
        SELECT v.${ROW}, v.${ITEM}, concat_ws('; ', ${match('prompt')}, ${match('code')}) AS detail
          FROM ${joined(from, ctx.nearDup!.table)}
         WHERE n.prompt_ref_row IS NOT NULL OR n.code_ref_row IS NOT NULL`,
    }
  },
}
