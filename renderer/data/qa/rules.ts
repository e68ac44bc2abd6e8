/**
 * The reward checks: each a named rule over the roles of the units view, computed in SQL.
 *
 * A rule knows when it applies (its inputs exist in this dataset and mean what it assumes for this
 * family) and then gives two things: the per-unit values it reads, computed once for all rules in
 * one pass over the units view, and a query over those values listing the units it trips, each
 * with a short reason a person can read. docs/QA-RULES.md explains every rule and its tolerance.
 */
import { samePath } from '../../../shared/profile'
import { quoteIdent, quoteString } from '../../../shared/sql'
import { fieldSql } from '../profile/fields'
import { CODE_SIGNS, codeLanguageSql, fenceLanguageSql } from '../profile/languages'
import { UNIT_COLUMNS as U, unitTextSql } from '../profile/units'
import {
  type CodeSide,
  type Measure,
  type QaContext,
  allMeasures,
  codeSides,
  duplicateSides,
  isPassRateFamily,
  passSequence,
  rewardMeasure,
  scoreMeasure,
  testCount,
} from './context'

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
 * Signs of code not written yet, anywhere in an answer (RE2 syntax): a Rust `unimplemented!()` or
 * `todo!()`, a `NotImplementedError`, a TODO/FIXME comment, "your code here", or an answer that is
 * nothing but `pass` or `...`.
 */
export const STUB_PATTERN = [
  String.raw`\bunimplemented!\s*\(`,
  String.raw`\btodo!\s*\(`,
  String.raw`\bNotImplemented(Error|Exception)\b`,
  String.raw`(?i:(#|//|/\*)\s*(TODO|FIXME)\b)`,
  String.raw`(?i:your code (goes )?here)`,
  String.raw`\A\s*(pass|\.\.\.)\s*\z`,
]
  .map((p) => `(${p})`)
  .join('|')

/**
 * The first Python function of an answer, up to the first word of its body (past a docstring).
 * Only the first: an empty `def example(): pass` further down is usually a usage example.
 */
export const FIRST_DEF_PATTERN = String.raw`(?m)^[ \t]*def\s+\w+\s*\([^)]*\)[^:\n]*:\s*("""[^"]*"""\s*|'''[^']*'''\s*)?\S+`

/** A first function body that does nothing: its first word is `pass` or `...`. */
const EMPTY_BODY = String.raw`(\bpass|\.\.\.)$`

/**
 * Label and detected language pairs that are not a contradiction: C is valid C++, JavaScript is
 * valid TypeScript (and TypeScript's signs can show in JavaScript), a page holds its scripts.
 */
const COMPATIBLE_LANGUAGES = [
  'cpp>c',
  'typescript>javascript',
  'javascript>typescript',
  'html>javascript',
  'html>css',
]

/** The languages code signs can recognise: only those labels can be contradicted. */
const CHECKABLE_LANGUAGES = [...new Set([...CODE_SIGNS.map(([language]) => language), 'c'])]

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
  /** The rule's plan for a dataset, or null when it does not apply (its inputs are missing). */
  plan(ctx: QaContext): RulePlan | null
}

// ---------------------------------------------------------------------------------------------
// Small SQL pieces.

const ROW = U.row
const ITEM = U.item
const WHITESPACE = `' ' || chr(9) || chr(10) || chr(13)`

/** A number as a reason shows it: six significant digits, `null` for none. */
const num = (x: string) => `coalesce(printf('%.6g', ${x}), 'null')`
const lit = quoteString
/** The findings of the units of `from` matching `where`. */
const select = (from: string, detail: string, where: string) =>
  `SELECT ${ROW}, ${ITEM}, ${detail} AS detail FROM ${from} WHERE ${where}`
/** True when a derived value sits further than DERIVED_TOLERANCE from what its inputs give. */
const disagrees = (actual: string, expected: string) =>
  `(abs((${actual}) - (${expected})) > ${DERIVED_TOLERANCE} * greatest(1, abs(${expected})))`
/** Text with nothing in it: NULL, empty or only whitespace (a regex stops at the first letter). */
const blank = (x: string) => `(${x} IS NULL OR NOT regexp_matches(${x}, '\\S'))`
/** SQL: true when a text leaves a code fence open (an odd number of ```), as the units view has it. */
const fenceOpen = (x: string) => `(len(string_split(${x}, '\`\`\`')) % 2 = 0)`
/** Text that is only a code fence, with nothing inside (```python and its closing ```). */
const emptyFence = (x: string) =>
  `regexp_matches(${x}, '\\A\\s*\`\`\`[^\\n]*(\\n\\s*(\`\`\`\\s*)?)?\\z')`
/** A hash of text, NULL for blank text (blank code is its own rule, never a duplicate). */
const textHash = (x: string) => `(CASE WHEN ${blank(x)} THEN NULL ELSE hash(${x}) END)`
/**
 * Text with all whitespace taken out. A chain of `replace` is the cheapest way the engine has
 * (`translate` builds its map for every row, `regexp_replace` is slower still), and still costs
 * tens of ns a byte: it runs on a short window of every text, and in full only on candidates.
 */
const stripped = (x: string) =>
  `replace(replace(replace(replace(${x}, chr(13), ''), chr(9), ''), chr(10), ''), ' ', '')`
/** Characters at a text's end read for its whitespace key, and the non-whitespace ones kept. */
const TAIL_WINDOW = 256
const TAIL_KEY = 64
/**
 * A cheap key equal for texts that differ only in whitespace: the hash of their last 64
 * non-whitespace characters (read from the last 256). Texts whose keys agree but whose exact
 * text differs are compared in full.
 */
const tailKey = (x: string) =>
  `(CASE WHEN ${blank(x)} THEN NULL ELSE hash(right(${stripped(`right(${x}, ${TAIL_WINDOW})`)}, ${TAIL_KEY})) END)`

/**
 * Findings for texts that differ only in whitespace. Candidates are units whose tail keys agree
 * while their exact hashes differ; only their texts, read again from the text view, are stripped
 * of whitespace in full and hashed. The texts stream past a semi-join on the candidates' rows and
 * only their hashes are kept: joining the texts themselves held every candidate's text at once,
 * which ran DuckDB-WASM out of memory at a million rows whose code ends alike.
 *
 * `texts` is SQL giving each unit's `__rl_row`, `__rl_item` and text `x` (`unitTextSql`, not the
 * text view, whose B side may be a window over every unit's code). With `perRow` (a text every
 * unit of a row shares, such as the question of AceCode's 80 completions; `texts` then gives
 * each row's `__rl_row` and `x`), one unit stands for its row and the findings go to every unit
 * of the row: the groups' row and spelling counts are the same, and AceCode at its real size
 * (7M completions, every prompt repeated in the bench data) fits in memory.
 */
function whitespaceDuplicates(
  from: string,
  texts: string,
  names: { hash: string; tail: string },
  having: string,
  detail: string,
  perRow = false,
): string {
  const { hash, tail } = names
  const matched = `${from} v
        JOIN (SELECT ${tail} AS k FROM ${from} WHERE ${tail} IS NOT NULL GROUP BY 1
               HAVING count(DISTINCT ${hash}) > 1) t ON v.${tail} = t.k`
  const keys = perRow
    ? `SELECT v.${ROW}, min(v.${ITEM}) AS ${ITEM}, any_value(v.${hash}) AS h FROM ${matched} GROUP BY v.${ROW}`
    : `SELECT v.${ROW}, v.${ITEM}, v.${hash} AS h FROM ${matched}`
  const found = `(WITH keys AS (${keys}),
    candidates AS (
      SELECT k.${ROW}, k.${ITEM}, k.h, t.s FROM keys k
        JOIN (SELECT ${ROW}, ${perRow ? '' : `${ITEM}, `}hash(${stripped('x')}) AS s FROM (${texts})
               WHERE ${ROW} IN (SELECT ${ROW} FROM keys)) t
          ON t.${ROW} = k.${ROW}${perRow ? '' : ` AND coalesce(t.${ITEM}, 0) = coalesce(k.${ITEM}, 0)`})
    SELECT c.${ROW}, c.${ITEM}, ${detail} AS detail FROM candidates c
      JOIN (SELECT * FROM (SELECT s, count(*) AS n, count(DISTINCT ${ROW}) AS n_rows,
                                  count(DISTINCT h) AS spellings FROM candidates GROUP BY s)
             WHERE ${having}) g ON c.s = g.s)`
  if (!perRow) return found
  return `(SELECT u.${ROW}, u.${ITEM}, f.detail FROM ${found} f
      JOIN ${from} u ON u.${ROW} = f.${ROW} AND u.${tail} IS NOT NULL)`
}

/** How many more `open` than `close` characters (ASCII, so bytes count them) a text has. */
const unclosed = (x: string, open: string, close: string) =>
  `((strlen(${x}) - strlen(replace(${x}, ${lit(open)}, ''))) - (strlen(${x}) - strlen(replace(${x}, ${lit(close)}, ''))))`

/** The reason of a suspicious-code finding: the side, what is wrong, and the credit it got. */
function sideDetail(side: CodeSide, reason: string): string {
  const score = side.score ? `'; ', ${lit(side.score.label)}, ' ', ${num(`${side.key}_score`)}` : ''
  return `concat(${lit(`${side.label} code: `)}, ${reason}${score ? `, ${score}` : ''})`
}

/** The values every suspicious-code rule reads about a side. */
function sideValues(side: CodeSide): Record<string, string> {
  return {
    [`${side.key}_credit`]: side.credit,
    [`${side.key}_score`]: side.score?.sql ?? 'NULL::DOUBLE',
  }
}

/** A rule that checks each code side with credit; `check` gives its values and the reason SQL. */
function perSide(
  ctx: QaContext,
  check: (side: CodeSide) => { values: Record<string, string>; reason: string } | null,
): RulePlan | null {
  const parts = codeSides(ctx).flatMap((side) => {
    const c = check(side)
    return c ? [{ side, ...c }] : []
  })
  if (parts.length === 0) return null
  return {
    values: Object.fromEntries(
      parts.flatMap((p) => Object.entries({ ...sideValues(p.side), ...p.values })),
    ),
    findings: (from) =>
      parts.map((p) =>
        select(
          from,
          sideDetail(p.side, p.reason),
          `${p.side.key}_credit AND ${p.reason} IS NOT NULL`,
        ),
      ),
  }
}

/** A finding per unit of every group passing `having` over the values table. */
function groupFindings(
  from: string,
  key: string,
  having: string,
  detail: string,
  extra = '',
): string {
  return `SELECT v.${ROW}, v.${ITEM}, ${detail} AS detail FROM ${from} v
    JOIN (SELECT * FROM (SELECT ${key} AS k, count(*) AS n, count(DISTINCT ${ROW}) AS n_rows${extra}
                           FROM ${from} WHERE ${key} IS NOT NULL GROUP BY 1)
           WHERE ${having}) g ON v.${key} = g.k`
}

// ---------------------------------------------------------------------------------------------
// The rules, in panel order.

const rewardRatio: QaRule = {
  id: 'reward-ratio',
  label: 'Reward ≠ student / teacher',
  description: `The reward is not student_score / teacher_score (the 1e-6 code-rlaif adds to the divisor allowed; tolerance ${DERIVED_TOLERANCE}).`,
  category: 'inputs',
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

const scoreDifference: QaRule = {
  id: 'score-difference',
  label: 'Difference ≠ chosen − rejected',
  description: `The score difference is not the chosen score minus the rejected one (tolerance ${DERIVED_TOLERANCE}).`,
  category: 'inputs',
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

const passPercentage: QaRule = {
  id: 'pass-percentage',
  label: 'Pass percentage ≠ pass sequence',
  description: `The pass percentage is not the share of passes in the pass sequence (tolerance ${DERIVED_TOLERANCE}), or the pass count disagrees with it.`,
  category: 'inputs',
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

const passRateSteps: QaRule = {
  id: 'pass-rate-steps',
  label: 'Pass rate not k / tests',
  description: `The pass rate is not a whole number of tests passed out of the question's tests (tolerance ${PASS_RATE_TOLERANCE}).`,
  category: 'inputs',
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

/** The reward and scores as values `m_0`, `m_1`, ... with their labels. */
function measureValues(ctx: QaContext): { name: string; measure: Measure }[] {
  return allMeasures(ctx).map((measure, i) => ({ name: `m_${i}`, measure }))
}

const missingValue: QaRule = {
  id: 'missing-value',
  label: 'Missing score',
  description: 'The reward or a score is empty (null), or not a number the engine can read.',
  category: 'values',
  plan(ctx) {
    const measures = measureValues(ctx)
    if (measures.length === 0) return null
    return {
      values: Object.fromEntries(measures.map((m) => [m.name, m.measure.sql])),
      findings: (from) =>
        select(
          from,
          `concat(concat_ws(', ', ${measures.map((m) => `CASE WHEN ${m.name} IS NULL THEN ${lit(m.measure.label)} END`).join(', ')}), ' missing')`,
          measures.map((m) => `${m.name} IS NULL`).join(' OR '),
        ),
    }
  },
}

const notANumber: QaRule = {
  id: 'not-a-number',
  label: 'NaN or infinite score',
  description: 'The reward or a score is NaN or infinite.',
  category: 'values',
  plan(ctx) {
    const measures = measureValues(ctx)
    if (measures.length === 0) return null
    return {
      values: Object.fromEntries(measures.map((m) => [m.name, m.measure.sql])),
      findings: (from) =>
        select(
          from,
          `concat_ws(', ', ${measures.map((m) => `CASE WHEN NOT isfinite(${m.name}) THEN concat(${lit(`${m.measure.label} is `)}, ${num(m.name)}) END`).join(', ')})`,
          measures.map((m) => `NOT isfinite(${m.name})`).join(' OR '),
        ),
    }
  },
}

const outOfRange: QaRule = {
  id: 'out-of-range',
  label: 'Score out of range',
  description:
    'The reward or a score is outside the range its family allows (negative, or above 1 for a score or pass rate).',
  category: 'values',
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

const zeroDivisor: QaRule = {
  id: 'zero-divisor',
  label: 'Zero divisor',
  description:
    'The reward divides by zero: a teacher score of 0, a pass rate over no tests, a pass percentage over no trials.',
  category: 'values',
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

const chosenBelowRejected: QaRule = {
  id: 'chosen-below-rejected',
  label: 'Chosen scored below rejected',
  description: 'The chosen answer has a lower score than the rejected one (a tie does not trip).',
  category: 'pairs',
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

const sameCodeDifferentScores: QaRule = {
  id: 'same-code-different-scores',
  label: 'Same code, different scores',
  description:
    'The two sides of a pair are the same code but scored differently, or identical completions of one question got different rewards.',
  category: 'pairs',
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

const emptyCode: QaRule = {
  id: 'empty-code',
  label: 'Empty code that scored',
  description: 'The code is empty or only whitespace, yet it scored above zero or was chosen.',
  category: 'code',
  plan: (ctx) =>
    perSide(ctx, (side) => ({
      values: { [`${side.key}_empty`]: `(${blank(side.raw)} OR ${emptyFence(side.raw)})` },
      reason: `CASE WHEN ${side.key}_empty THEN 'empty' END`,
    })),
}

const stubCode: QaRule = {
  id: 'stub-code',
  label: 'Stub that scored',
  description:
    'The code is a stub (pass, ..., TODO, unimplemented!(), NotImplementedError), yet it scored above zero or was chosen.',
  category: 'code',
  plan: (ctx) =>
    perSide(ctx, (side) => ({
      values: {
        [`${side.key}_stub`]: `coalesce(
          nullif(regexp_extract(${side.raw}, ${lit(STUB_PATTERN)}, 0), ''),
          CASE WHEN contains(${side.raw}, 'def ')
               THEN list_filter([regexp_extract(${side.raw}, ${lit(FIRST_DEF_PATTERN)}, 0)], d -> regexp_matches(d, ${lit(EMPTY_BODY)}))[1] END)`,
      },
      reason: `CASE WHEN ${side.key}_stub IS NOT NULL THEN concat('stub "', left(regexp_replace(trim(${side.key}_stub, ${WHITESPACE}), '\\s+', ' ', 'g'), 60), '"') END`,
    })),
}

const truncatedCode: QaRule = {
  id: 'truncated-code',
  label: 'Truncated code that scored',
  description:
    'The code was cut off (a code fence left open, or brackets opened and never closed), yet it scored above zero or was chosen.',
  category: 'code',
  plan: (ctx) =>
    perSide(ctx, (side) => {
      const pairs = [
        ['(', ')'],
        ['[', ']'],
        ['{', '}'],
      ] as const
      const brackets = pairs.map(
        ([o, c]) =>
          `CASE WHEN ${unclosed(side.raw, o, c)} > 0 THEN concat(${unclosed(side.raw, o, c)}, ' "${o}" never closed') END`,
      )
      // A fenced answer is cut when its fence is left open; a closed fence means the model
      // finished its block, and the prose around it holds brackets of its own. Brackets are
      // counted only in bare code, which has nothing else to tell.
      return {
        values: {
          [`${side.key}_cut`]: `CASE WHEN ${fenceOpen(side.raw)} THEN 'fence left open'
            WHEN NOT contains(${side.raw}, '\`\`\`') THEN nullif(concat_ws(', ', ${brackets.join(', ')}), '') END`,
        },
        reason: `${side.key}_cut`,
      }
    }),
}

const wrongLanguage: QaRule = {
  id: 'wrong-language',
  label: 'Not the labelled language',
  description:
    "The code reads as another language than the row's label (C in a C++ row and the like are allowed), yet it scored above zero or was chosen.",
  category: 'code',
  plan(ctx) {
    if (!ctx.profile.language) return null
    const checkable = CHECKABLE_LANGUAGES.map(lit).join(', ')
    const compatible = COMPATIBLE_LANGUAGES.map(lit).join(', ')
    return perSide(ctx, (side) => {
      const found = `${side.key}_lang`
      return {
        values: {
          label_lang: `(CASE WHEN NOT ${blank(U.languageLabel)} THEN ${U.language} END)`,
          // The answer's own fence label first: signs can mistake one language for another
          // (Rust's `use std::` reads as C++), the label it wrote cannot.
          [found]: `coalesce(${fenceLanguageSql(side.raw)}, ${codeLanguageSql(side.raw)})`,
        },
        reason: `CASE WHEN label_lang IN (${checkable}) AND ${found} IS NOT NULL AND ${found} <> label_lang
                        AND concat(label_lang, '>', ${found}) NOT IN (${compatible})
                      THEN concat('reads as ', ${found}, ', labelled ', label_lang) END`,
      }
    })
  },
}

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

const allPass: QaRule = {
  id: 'all-pass',
  label: 'Every completion passes',
  description: `Every completion of a question passes all tests (at least ${MIN_GROUP}): the tests may be too weak to tell good code from bad.`,
  category: 'groups',
  plan: (ctx) => passGroups(ctx, 'pass'),
}

const allFail: QaRule = {
  id: 'all-fail',
  label: 'Every completion fails',
  description: `Every completion of a question fails (at least ${MIN_GROUP}): the tests or the reference may be broken.`,
  category: 'groups',
  plan: (ctx) => passGroups(ctx, 'fail'),
}

const constantReward: QaRule = {
  id: 'constant-reward',
  label: 'One reward for every unit',
  description: 'Every unit has the same reward: it cannot tell any answer from another.',
  category: 'groups',
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

const duplicatePrompt: QaRule = {
  id: 'duplicate-prompt',
  label: 'Repeated prompt',
  description: 'The same prompt, character for character, is in more than one row.',
  category: 'groups',
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

const duplicatePromptWhitespace: QaRule = {
  id: 'duplicate-prompt-whitespace',
  label: 'Prompt repeated up to whitespace',
  description:
    'Prompts that differ only in whitespace: the same prompt spelled more than one way, in more than one row.',
  category: 'groups',
  plan(ctx) {
    if (!ctx.profile.prompt) return null
    const rowPrompt = promptOfRow(ctx)
    return {
      values: { prompt_hash: textHash(U.prompt), prompt_tail: tailKey(U.prompt) },
      findings: (from) =>
        whitespaceDuplicates(
          from,
          rowPrompt ?? unitTextSql(ctx.table, ctx.profile, U.prompt),
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
  return `SELECT rowid AS ${ROW}, TRY_CAST(${fieldSql(prompt)} AS VARCHAR) AS x FROM ${quoteIdent(ctx.table)}`
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
              unitTextSql(ctx.table, ctx.profile, s.raw),
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

const duplicateCodeExact: QaRule = {
  id: 'duplicate-code',
  label: 'Repeated code',
  description: 'The same code, character for character, is the answer of more than one unit.',
  category: 'groups',
  plan: (ctx) => duplicateCode(ctx, false),
}

const duplicateCodeWhitespace: QaRule = {
  id: 'duplicate-code-whitespace',
  label: 'Code repeated up to whitespace',
  description: 'Answers that differ only in whitespace: the same code spelled more than one way.',
  category: 'groups',
  plan: (ctx) => duplicateCode(ctx, true),
}

/** Every rule, in the order the panel lists them. */
export const QA_RULES: readonly QaRule[] = [
  rewardRatio,
  scoreDifference,
  passPercentage,
  passRateSteps,
  missingValue,
  notANumber,
  outOfRange,
  zeroDivisor,
  chosenBelowRejected,
  sameCodeDifferentScores,
  emptyCode,
  stubCode,
  truncatedCode,
  wrongLanguage,
  allPass,
  allFail,
  constantReward,
  duplicatePrompt,
  duplicatePromptWhitespace,
  duplicateCodeExact,
  duplicateCodeWhitespace,
]
