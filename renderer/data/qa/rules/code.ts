/**
 * Suspicious code that scored: an answer that is empty, a stub, cut off, broken, in another
 * language than its label, or gaming its tests, yet got credit.
 *
 * Everything but emptiness and an open fence is read from parse trees (`../../parse`): those
 * rules apply once the answers are parsed, in the background after the other checks.
 */
import { fenceLanguageSql } from '../../profile/languages'
import { UNIT_COLUMNS as U } from '../../profile/units'
import { type CodeSide, type QaContext, codeSides } from '../context'
import { factKeyValues, placeSql, withFacts } from './parsed'
import type { QaRule, RulePlan } from './rule'
import { blank, emptyFence, fenceOpen, lit, num, select } from './sql'

/**
 * Label and detected language pairs that are not a contradiction: C is valid C++, JavaScript is
 * valid TypeScript (and TypeScript's signs can show in JavaScript), a page holds its scripts.
 */
const COMPATIBLE_LANGUAGES = [
  'cpp>c',
  'c>cpp',
  'typescript>javascript',
  'javascript>typescript',
  'html>javascript',
  'html>css',
]

/** The languages with a grammar: only those labels can be contradicted by a parse. */
const PARSED_LABELS = [
  'python',
  'cpp',
  'c',
  'rust',
  'java',
  'javascript',
  'typescript',
  'go',
  'csharp',
]

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

/** What a rule checks on one side: the values it reads and the reason SQL (NULL: no finding). */
interface SideCheck {
  readonly values: Record<string, string>
  readonly reason: string
  /** True when the reason reads the side's parse facts. */
  readonly facts?: boolean
}

/** A rule that checks each code side with credit; `check` gives its values and the reason SQL. */
function perSide(ctx: QaContext, check: (side: CodeSide) => SideCheck | null): RulePlan | null {
  const parts = codeSides(ctx).flatMap((side) => {
    const c = check(side)
    return c ? [{ side, ...c }] : []
  })
  if (parts.length === 0) return null
  const parse = ctx.parse
  return {
    values: Object.fromEntries(
      parts.flatMap((p) =>
        Object.entries({
          ...sideValues(p.side),
          ...(p.facts ? factKeyValues(ctx, p.side.key, p.side.raw) : {}),
          ...p.values,
        }),
      ),
    ),
    findings: (from) =>
      parts.map((p) =>
        select(
          p.facts && parse ? withFacts(from, parse, [p.side.key]) : from,
          sideDetail(p.side, p.reason),
          `${p.side.key}_credit AND ${p.reason} IS NOT NULL`,
        ),
      ),
  }
}

export const emptyCode: QaRule = {
  id: 'empty-code',
  label: 'Empty code that scored',
  description: 'The code is empty or only whitespace, yet it scored above zero or was chosen.',
  category: 'code',
  severity: 'warning',
  plan: (ctx) =>
    perSide(ctx, (side) => ({
      values: { [`${side.key}_empty`]: `(${blank(side.raw)} OR ${emptyFence(side.raw)})` },
      reason: `CASE WHEN ${side.key}_empty THEN 'empty' END`,
    })),
}

export const stubCode: QaRule = {
  id: 'stub-code',
  label: 'Stub that scored',
  description:
    'Every function of the code is a placeholder (pass, ..., raise NotImplementedError, todo!(), only a TODO) and nothing else runs, yet it scored above zero or was chosen.',
  category: 'code',
  severity: 'warning',
  parsed: true,
  plan: (ctx) =>
    ctx.parse
      ? perSide(ctx, (side) => ({
          values: {},
          facts: true,
          reason: `CASE WHEN ${side.key}_stub_line IS NOT NULL THEN concat('stub at ', ${placeSql(side.key, 'stub')}) END`,
        }))
      : null,
}

export const truncatedCode: QaRule = {
  id: 'truncated-code',
  label: 'Truncated code that scored',
  description:
    'The code was cut off (a code fence left open, or a parse error at the very end of the code), yet it scored above zero or was chosen.',
  category: 'code',
  severity: 'warning',
  parsed: true,
  plan: (ctx) =>
    perSide(ctx, (side) => {
      // A fence left open says so without parsing; a parse error reaching the end of the code
      // says so of bare code too. Brackets are never counted: `s.count('(')` is complete code.
      const open = `${side.key}_fence_open`
      const parsedCut = ctx.parse
        ? `WHEN ${side.key}_error_at_end THEN concat('parse error at the end, ', ${placeSql(side.key, 'error')})`
        : ''
      return {
        values: { [open]: fenceOpen(side.raw) },
        facts: ctx.parse !== null,
        reason: `CASE WHEN ${open} THEN 'fence left open' ${parsedCut} END`,
      }
    }),
}

export const syntaxError: QaRule = {
  id: 'syntax-error',
  label: 'Syntax error that scored',
  description:
    "The code does not parse in its language (an error before its end: a cut-off answer is 'Truncated', code another grammar parses is 'Not the labelled language'), yet it scored above zero or was chosen.",
  category: 'code',
  // 6 of its 7 findings on the real files are right (docs/QA-RULES.md): under 90%, so info.
  severity: 'info',
  parsed: true,
  plan: (ctx) =>
    ctx.parse
      ? perSide(ctx, (side) => ({
          values: { [`${side.key}_fence_open`]: fenceOpen(side.raw) },
          facts: true,
          reason: `CASE WHEN ${side.key}_error_line IS NOT NULL AND NOT ${side.key}_error_at_end
                         AND NOT ${side.key}_fence_open AND ${side.key}_other_language IS NULL
                    THEN concat(${side.key}_grammar, ' syntax error at ', ${placeSql(side.key, 'error')}) END`,
        }))
      : null,
}

export const wrongLanguage: QaRule = {
  id: 'wrong-language',
  label: 'Not the labelled language',
  description:
    "The code is in another language than the row's label: its fence says so, or the label's grammar fails where another parses it cleanly (C in a C++ row and the like are allowed).",
  category: 'code',
  severity: 'warning',
  parsed: true,
  plan(ctx) {
    if (!ctx.profile.language) return null
    const labels = PARSED_LABELS.map(lit).join(', ')
    const compatible = COMPATIBLE_LANGUAGES.map(lit).join(', ')
    return perSide(ctx, (side) => {
      const fence = `${side.key}_fence_lang`
      // The answer's own fence label first: the label it wrote cannot be mistaken.
      const byFence = `WHEN label_lang IN (${labels}) AND ${fence} IS NOT NULL AND ${fence} <> label_lang
                          AND concat(label_lang, '>', ${fence}) NOT IN (${compatible})
                        THEN concat('fenced as ', ${fence}, ', labelled ', label_lang)`
      const byParse = ctx.parse
        ? `WHEN label_lang IN (${labels}) AND ${side.key}_other_language IS NOT NULL
             THEN concat('labelled ', label_lang, ': its grammar fails at ', ${placeSql(side.key, 'error')},
                         '; the ', ${side.key}_other_language, ' grammar parses it cleanly')`
        : ''
      return {
        values: {
          label_lang: `(CASE WHEN NOT ${blank(U.languageLabel)} THEN ${U.language} END)`,
          [fence]: fenceLanguageSql(side.raw),
        },
        facts: ctx.parse !== null,
        reason: `CASE ${byFence} ${byParse} END`,
      }
    })
  },
}

export const rewardHacking: QaRule = {
  id: 'reward-hacking',
  label: 'Code that games its tests',
  description:
    "The code exits with success before the asserts run, skips the tests, edits or deletes test files, patches builtins or __eq__ to always agree, or returns the tests' expected outputs as literals (read on the Python parse tree).",
  category: 'code',
  severity: 'warning',
  parsed: true,
  plan: (ctx) =>
    ctx.parse
      ? perSide(ctx, (side) => ({
          values: {},
          facts: true,
          reason: `CASE WHEN ${side.key}_hack_kind IS NOT NULL THEN concat(${side.key}_hack_kind, ' at ', ${placeSql(side.key, 'hack')}) END`,
        }))
      : null,
}
