/**
 * Suspicious code that scored: an answer that is empty, a stub, cut off or in another language
 * than its label, yet got credit.
 */
import { CODE_SIGNS, codeLanguageSql, fenceLanguageSql } from '../../profile/languages'
import { UNIT_COLUMNS as U } from '../../profile/units'
import { type CodeSide, type QaContext, codeSides } from '../context'
import type { QaRule, RulePlan } from './rule'
import { WHITESPACE, blank, emptyFence, fenceOpen, lit, num, select, unclosed } from './sql'

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
    'The code is a stub (pass, ..., TODO, unimplemented!(), NotImplementedError), yet it scored above zero or was chosen.',
  category: 'code',
  severity: 'warning',
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

export const truncatedCode: QaRule = {
  id: 'truncated-code',
  label: 'Truncated code that scored',
  description:
    'The code was cut off (a code fence left open, or brackets opened and never closed), yet it scored above zero or was chosen.',
  category: 'code',
  severity: 'warning',
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

export const wrongLanguage: QaRule = {
  id: 'wrong-language',
  label: 'Not the labelled language',
  description:
    "The code reads as another language than the row's label (C in a C++ row and the like are allowed), yet it scored above zero or was chosen.",
  category: 'code',
  severity: 'warning',
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
