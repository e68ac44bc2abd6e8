/**
 * Degenerate groups and duplicates: questions whose completions all pass or all fail, one reward
 * for every unit, and prompts or code repeated, exactly or up to whitespace.
 */
import { quoteIdent } from '../../../../shared/sql'
import { UNIT_COLUMNS as U, roleTextSql, unitTextSql } from '../../profile/units'
import {
  type QaContext,
  duplicateSides,
  isPassRateFamily,
  passSequence,
  rewardMeasure,
} from '../context'
import { MIN_GROUP, type QaRule, type RulePlan, SCORE_EPSILON } from './rule'
import {
  ITEM,
  ROW,
  groupFindings,
  lit,
  num,
  select,
  tailKey,
  textHash,
  whitespaceDuplicates,
} from './sql'

/** The pass outcomes of a unit's completions: a pass sequence per row, or the group's rewards. */
function passGroups(ctx: QaContext, outcome: 'pass' | 'fail'): RulePlan | null {
  const reward = rewardMeasure(ctx)
  if (!isPassRateFamily(ctx) || !reward) return null
  const seq = passSequence(ctx)
  const word = outcome === 'pass' ? 'pass' : 'fail'
  if (seq) {
    return {
      values: {
        seq_n: `len(${seq.sequence.sql})`,
        seq_passes: `list_sum(list_transform(${seq.sequence.sql}, x -> TRY_CAST(x AS DOUBLE)))`,
      },
      findings: (from) =>
        select(
          from,
          `concat('all ', seq_n, ${lit(` trials in ${seq.sequence.label} ${word}`)})`,
          `seq_n >= ${MIN_GROUP} AND seq_passes = ${outcome === 'pass' ? 'seq_n' : '0'}`,
        ),
    }
  }
  if (!ctx.profile.group) return null
  const label = ctx.profile.codeA?.label ?? 'unit'
  const test = outcome === 'pass' ? `lo >= ${1 - SCORE_EPSILON}` : `hi <= ${SCORE_EPSILON}`
  return {
    values: { reward: reward.sql, grp: U.group },
    findings: (from) =>
      groupFindings(
        from,
        'grp',
        `n >= ${MIN_GROUP} AND scored = n AND ${test}`,
        `concat('all ', g.n, ${lit(` ${label}s of this group ${word} (${reward.label} ${outcome === 'pass' ? 1 : 0})`)})`,
        ', count(reward) AS scored, min(reward) AS lo, max(reward) AS hi',
      ),
  }
}

export const allPass: QaRule = {
  id: 'all-pass',
  label: 'Every completion passes',
  description: `Every completion of a question passes all tests (at least ${MIN_GROUP}): the tests may be too weak to tell good code from bad.`,
  category: 'groups',
  severity: 'info',
  plan: (ctx) => passGroups(ctx, 'pass'),
}

export const allFail: QaRule = {
  id: 'all-fail',
  label: 'Every completion fails',
  description: `Every completion of a question fails (at least ${MIN_GROUP}): the tests or the reference may be broken.`,
  category: 'groups',
  severity: 'warning',
  plan: (ctx) => passGroups(ctx, 'fail'),
}

export const constantReward: QaRule = {
  id: 'constant-reward',
  label: 'One reward for every unit',
  description: 'Every unit has the same reward: it cannot tell any answer from another.',
  category: 'groups',
  severity: 'warning',
  plan(ctx) {
    const reward = rewardMeasure(ctx)
    if (!reward) return null
    return {
      values: { reward: reward.sql },
      findings: (from) =>
        `SELECT v.${ROW}, v.${ITEM}, concat('all ', s.n, ${lit(` units have ${reward.label} `)}, ${num('s.lo')}) AS detail
           FROM ${from} v, (SELECT count(reward) AS n, min(reward) AS lo, max(reward) AS hi FROM ${from} WHERE isfinite(reward)) s
          WHERE isfinite(v.reward) AND s.n >= 2 AND s.hi - s.lo <= ${SCORE_EPSILON}`,
    }
  },
}

export const duplicatePrompt: QaRule = {
  id: 'duplicate-prompt',
  label: 'Repeated prompt',
  description: 'The same prompt, character for character, is in more than one row.',
  category: 'groups',
  severity: 'info',
  plan(ctx) {
    if (!ctx.profile.prompt) return null
    return {
      values: { prompt_hash: textHash(U.prompt) },
      findings: (from) =>
        groupFindings(
          from,
          'prompt_hash',
          'n_rows > 1',
          `concat('the same prompt is in ', g.n_rows, ' rows')`,
        ),
    }
  },
}

export const duplicatePromptWhitespace: QaRule = {
  id: 'duplicate-prompt-whitespace',
  label: 'Prompt repeated up to whitespace',
  description:
    'Prompts that differ only in whitespace: the same prompt spelled more than one way, in more than one row.',
  category: 'groups',
  severity: 'info',
  plan(ctx) {
    if (!ctx.profile.prompt) return null
    const rowPrompt = promptOfRow(ctx)
    return {
      values: { prompt_hash: textHash(U.prompt), prompt_tail: tailKey(U.prompt) },
      findings: (from) =>
        whitespaceDuplicates(
          from,
          rowPrompt ?? unitTextSql(ctx.table, ctx.profile, U.prompt, ctx.fields),
          { hash: 'prompt_hash', tail: 'prompt_tail' },
          'n_rows > 1 AND spellings > 1',
          `concat('the prompt is in ', g.n_rows, ' rows spelled ', g.spellings, ' ways (whitespace only)')`,
          rowPrompt !== null,
        ),
    }
  },
}

/**
 * Each row's prompt (`__rl_row`, `x`) when it is a field of the row, shared by every unit of an
 * unnested list; else null.
 */
function promptOfRow(ctx: QaContext): string | null {
  const { unnest, prompt } = ctx.profile
  if (!unnest?.[0] || !prompt || prompt[0] === unnest[0]) return null
  return `SELECT rowid AS ${ROW}, ${roleTextSql(prompt, ctx.fields, 'whole')} AS x FROM ${quoteIdent(ctx.table)}`
}

/** Duplicates of each code side, exact or up to whitespace. */
function duplicateCode(ctx: QaContext, spaced: boolean): RulePlan | null {
  const sides = duplicateSides(ctx)
  if (sides.length === 0) return null
  const values: Record<string, string> = {}
  for (const s of sides) {
    values[`${s.key}_hash`] = textHash(s.raw)
    if (spaced) values[`${s.key}_tail`] = tailKey(s.raw)
  }
  return {
    values,
    findings: (from) =>
      sides.map((s) =>
        spaced
          ? whitespaceDuplicates(
              from,
              unitTextSql(ctx.table, ctx.profile, s.raw, ctx.fields),
              { hash: `${s.key}_hash`, tail: `${s.key}_tail` },
              'spellings > 1',
              `concat(${lit(`the same ${s.label} code appears `)}, g.n, ' times spelled ', g.spellings, ' ways (whitespace only)')`,
            )
          : groupFindings(
              from,
              `${s.key}_hash`,
              'n > 1',
              `concat(${lit(`the same ${s.label} code appears `)}, g.n, ' times')`,
            ),
      ),
  }
}

export const duplicateCodeExact: QaRule = {
  id: 'duplicate-code',
  label: 'Repeated code',
  description: 'The same code, character for character, is the answer of more than one unit.',
  category: 'groups',
  severity: 'info',
  plan: (ctx) => duplicateCode(ctx, false),
}

export const duplicateCodeWhitespace: QaRule = {
  id: 'duplicate-code-whitespace',
  label: 'Code repeated up to whitespace',
  description: 'Answers that differ only in whitespace: the same code spelled more than one way.',
  category: 'groups',
  severity: 'info',
  plan: (ctx) => duplicateCode(ctx, true),
}
