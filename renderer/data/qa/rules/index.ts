/**
 * Every reward check, in the order the panel lists them. Each panel heading has a file of its
 * own (`inputs.ts`, `values.ts`, `pairs.ts`, `code.ts`, `groups.ts`), with `text.ts` (leaked
 * tokens) and `runs.ts` (test runs) beside them; what a rule is and the tolerances they share are
 * in `rule.ts`, the SQL pieces they share in `sql.ts`, how rules read parse facts in `parsed.ts`.
 */
import {
  emptyCode,
  rewardHacking,
  stubCode,
  syntaxError,
  truncatedCode,
  wrongLanguage,
} from './code'
import {
  allFail,
  allPass,
  constantReward,
  duplicateCodeExact,
  duplicateCodeWhitespace,
  duplicatePrompt,
  duplicatePromptWhitespace,
} from './groups'
import { contaminated, nearDuplicateRewards } from './nearDup'
import { passPercentage, passRateSteps, rewardRatio, scoreDifference } from './inputs'
import {
  chosenBelowRejected,
  identicalSides,
  repeatedAnswerDifferentRewards,
  sameCodeDifferentScores,
} from './pairs'
import { timeoutPass } from './runs'
import { templateTokens } from './text'
import { rerunMismatch } from './rerun'
import type { QaRule } from './rule'
import { missingValue, notANumber, outOfRange, zeroDivisor } from './values'

export {
  DERIVED_TOLERANCE,
  MIN_GROUP,
  PASS_RATE_TOLERANCE,
  QA_CATEGORIES,
  type QaCategory,
  type QaRule,
  type QaSeverity,
  RATIO_EPSILON,
  type RulePlan,
  SCORE_EPSILON,
} from './rule'
export { TEMPLATE_TOKEN_PATTERN } from './text'

/** Every rule, in the order the panel lists them. */
export const QA_RULES: readonly QaRule[] = [
  rewardRatio,
  scoreDifference,
  passPercentage,
  passRateSteps,
  rerunMismatch,
  missingValue,
  notANumber,
  outOfRange,
  zeroDivisor,
  timeoutPass,
  chosenBelowRejected,
  sameCodeDifferentScores,
  identicalSides,
  repeatedAnswerDifferentRewards,
  emptyCode,
  stubCode,
  truncatedCode,
  syntaxError,
  wrongLanguage,
  rewardHacking,
  templateTokens,
  allPass,
  allFail,
  constantReward,
  duplicatePrompt,
  duplicatePromptWhitespace,
  duplicateCodeExact,
  duplicateCodeWhitespace,
  nearDuplicateRewards,
  contaminated,
]
