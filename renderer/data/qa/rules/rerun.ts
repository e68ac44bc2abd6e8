/**
 * Reward vs a re-run: a stored pass rate that running the unit's tests in RewardLens does not
 * reproduce. Applies when the reward is a pass rate of the unit's own code (AceCode's
 * `pass_rate`); it finds nothing until tests have been run (Run tests, or a unit's Run in the
 * detail), and the checks are run again whenever re-run results arrive.
 */
import { UNIT_COLUMNS as U } from '../../profile/units'
import { rewardMeasure } from '../context'
import { DERIVED_TOLERANCE, type QaRule } from './rule'
import { disagrees, lit, num, select } from './sql'

/**
 * Reward fields that are the pass rate of the unit's own code. KodCode's `gpt_pass_percentage`
 * is not: it is the share of passing trials (other code), so a re-run of the solution says nothing about it.
 */
const PASS_RATE_NAME = /^(pass_?rate|test_pass_rate|pass_ratio|pass@1|pass_at_1)$/i

export const rerunMismatch: QaRule = {
  id: 'rerun-mismatch',
  label: 'Stored pass rate ≠ re-run',
  description: `Running the unit's tests here gave another pass rate than the stored one (tolerance ${DERIVED_TOLERANCE}, at least 0.1%: a pass rate rounded to three decimals agrees). Units whose tests have not been run are not checked.`,
  category: 'inputs',
  severity: 'warning',
  plan(ctx) {
    const reward = rewardMeasure(ctx)
    const name = ctx.profile.reward?.at(-1) ?? ''
    if (!reward || !ctx.profile.tests || !PASS_RATE_NAME.test(name)) return null
    return {
      values: { reward: reward.sql, rerun_rate: U.rerunPassRate, rerun_status: U.rerunStatus },
      findings: (from) =>
        select(
          from,
          `concat(${lit(`${reward.label} `)}, ${num('reward')}, ' but the re-run passed ', ${num('rerun_rate * 100')}, '% (', rerun_status, ')')`,
          `rerun_rate IS NOT NULL AND isfinite(reward) AND ${disagrees('reward', 'rerun_rate')}`,
        ),
    }
  },
}
