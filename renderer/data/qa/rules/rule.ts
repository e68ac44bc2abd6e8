/**
 * What a reward check is: a named rule over the roles of the units view, computed in SQL, and the
 * tolerances the rules share.
 *
 * A rule knows when it applies (its inputs exist in this dataset and mean what it assumes for this
 * family) and then gives two things: the per-unit values it reads, computed once for all rules in
 * one pass over the units view, and a query over those values listing the units it trips, each
 * with a short reason a person can read. docs/QA-RULES.md explains every rule and its tolerance.
 */
import type { QaContext } from '../context'

/**
 * How far a value derived from others may sit from what its inputs give (reward from scores, a
 * difference from two scores, a percentage from passes): 0.1% of it, and at least 0.001. That
 * accepts values rounded to three decimals (KodCode writes 2/3 as 0.667) and nothing coarser.
 */
export const DERIVED_TOLERANCE = 1e-3

/** The epsilon code-rlaif adds to the divisor: reward = student_score / (teacher_score + 1e-6). */
export const RATIO_EPSILON = 1e-6

/** How far a pass rate may sit from a multiple of 1 / tests: rounding to four decimals. */
export const PASS_RATE_TOLERANCE = 1e-4

/** Scores closer than this are equal (ties, "all pass", one reward value): float noise only. */
export const SCORE_EPSILON = 1e-9

/** A group needs this many completions before "all pass" or "all fail" says anything about it. */
export const MIN_GROUP = 2

/** Where a rule sits in the panel. */
export type QaCategory = 'inputs' | 'values' | 'pairs' | 'code' | 'groups'

/** The categories in panel order, with their headings. */
export const QA_CATEGORIES: readonly { readonly id: QaCategory; readonly label: string }[] = [
  { id: 'inputs', label: 'Reward vs its inputs' },
  { id: 'values', label: 'Impossible values' },
  { id: 'pairs', label: 'Pair vs its scores' },
  { id: 'code', label: 'Suspicious code that scored' },
  { id: 'groups', label: 'Degenerate groups and duplicates' },
]

/**
 * What a rule's finding says about a unit. A `warning` is a likely defect of the reward or the
 * answer: the row gets a badge. An `info` rule describes how the data was built (prompts repeated
 * because answers were sampled in groups, the variants of a question sharing one solution): the
 * panel counts it apart, and rows get no badge for it, or badges would mark most rows of a file.
 * docs/QA-RULES.md lists each rule's severity and the counts on the real files behind it.
 */
export type QaSeverity = 'info' | 'warning'

/** How a rule runs on one dataset. */
export interface RulePlan {
  /** Per-unit values the rule reads, by name: SQL over the units view, computed once for all rules. */
  readonly values: Readonly<Record<string, string>>
  /**
   * SQL selecting `__rl_row, __rl_item, detail` of every unit tripping the rule from `values`:
   * one SELECT, or one per part (each side of the pair), run as statements of their own.
   */
  readonly findings: (values: string) => string | readonly string[]
}

/** One reward check. */
export interface QaRule {
  /** Stable id: the panel's `data-rule` and the filter's rule list. */
  readonly id: string
  readonly label: string
  /** One line: what trips the rule. */
  readonly description: string
  readonly category: QaCategory
  readonly severity: QaSeverity
  /**
   * True when the rule reads parse facts (`QaContext.parse`): its findings are built again, alone,
   * when the answers have been parsed.
   */
  readonly parsed?: boolean
  /**
   * True when the rule reads near-duplicates (`QaContext.nearDup`): its findings are built again,
   * alone, when near-duplicates are found or a reference set is matched.
   */
  readonly nearDup?: boolean
  /** The rule's plan for a dataset, or null when it does not apply (its inputs are missing). */
  plan(ctx: QaContext): RulePlan | null
}
