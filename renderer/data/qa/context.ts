/**
 * What the QA rules know about a dataset: its profile, its fields, and the code sides worth
 * checking with the score that judged each. Rules read roles from the units view; the few
 * family-specific inputs (a pass sequence, a test list) are found here by name and type, so a rule
 * applies only when its inputs exist.
 */
import { type FieldPath, type Profile, pathLabel, samePath } from '../../../shared/profile'
import type { ColumnKind, LoadedDataset } from '../dataset'
import { type FieldInfo, datasetFields, fieldSql, findField } from '../profile/fields'
import { UNIT_COLUMNS as U, scoreColumn } from '../profile/units'
import { relationNames } from '../relations'
import { quoteIdent } from '../../../shared/sql'

/** The dataset as the rules see it. */
export interface QaContext {
  readonly profile: Profile
  readonly fields: readonly FieldInfo[]
  /** The units view, quoted. */
  readonly view: string
  /** The dataset table's name (not quoted). */
  readonly table: string
  /**
   * The parse facts table (quoted) once the answers are parsed, else null: rules reading parse
   * trees apply only then, and rules with a part of their own before it run that part alone.
   */
  readonly parse: string | null
  /**
   * The near-duplicate table (quoted) once near-duplicates are found, else null; `reference` says
   * whether a reference set was matched (renderer/data/neardup/).
   */
  readonly nearDup: { readonly table: string; readonly reference: boolean } | null
}

/** What has been built beside the units that some rules read. */
export interface QaInputs {
  /** The answers are parsed (the parse facts table is complete). */
  readonly parsed?: boolean
  /** Near-duplicates are found; `reference`: matched against a reference set too. */
  readonly nearDup?: { readonly reference: boolean } | null
}

/** Builds the context of a dataset under a profile, with the inputs built beside its units. */
export function qaContext(
  dataset: LoadedDataset,
  profile: Profile,
  inputs: QaInputs = {},
): QaContext {
  const names = relationNames(dataset.table)
  return {
    profile,
    fields: datasetFields(dataset, profile.unnest),
    view: quoteIdent(names.units),
    table: dataset.table,
    parse: inputs.parsed ? quoteIdent(names.parse) : null,
    nearDup: inputs.nearDup
      ? { table: quoteIdent(names.nearDup), reference: inputs.nearDup.reference }
      : null,
  }
}

/** A numeric value of a unit: SQL over the units view and the name people know it by. */
export interface Measure {
  readonly sql: string
  readonly label: string
}

/** The reward role, or null. */
export function rewardMeasure(ctx: QaContext): Measure | null {
  const path = ctx.profile.reward
  return path ? { sql: U.reward, label: pathLabel(path) } : null
}

/** The i-th score role (0-based), or null. */
export function scoreMeasure(ctx: QaContext, index: number): Measure | null {
  const path = ctx.profile.scores[index]
  return path ? { sql: scoreColumn(index), label: pathLabel(path) } : null
}

/** The reward and every score, each field once (AceCode's reward is also its first score). */
export function allMeasures(ctx: QaContext): Measure[] {
  const out: { path: FieldPath; measure: Measure }[] = []
  const add = (path: FieldPath | null, measure: Measure | null) => {
    if (path && measure && !out.some((m) => samePath(m.path, path))) out.push({ path, measure })
  }
  add(ctx.profile.reward, rewardMeasure(ctx))
  ctx.profile.scores.forEach((path, i) => add(path, scoreMeasure(ctx, i)))
  return out.map((m) => m.measure)
}

/** A field of the dataset by name, compared without case, when it has one of the given kinds. */
export function fieldNamed(
  ctx: QaContext,
  path: FieldPath,
  kinds: readonly ColumnKind[],
): FieldInfo | null {
  const found = ctx.fields.find(
    (f) =>
      f.path.length === path.length &&
      f.path.every((part, i) => part.toLowerCase() === path[i]!.toLowerCase()),
  )
  return found && kinds.includes(found.kind) ? found : null
}

/** The kind of a role's field, or null when the role is unset or names nothing. */
export function roleKind(ctx: QaContext, path: FieldPath | null): ColumnKind | null {
  return path ? (findField(ctx.fields, path)?.kind ?? null) : null
}

/** A list of trial outcomes (0/1) beside the percentage computed from it (KodCode's `gpt_`). */
export interface PassSequence {
  readonly percentage: Measure
  readonly sequence: Measure
  /** How many trials passed, as the file records it; null when it does not. */
  readonly passes: Measure | null
}

/** The first `<x>pass_percentage` number with a `<x>pass_sequence` list beside it, or null. */
export function passSequence(ctx: QaContext): PassSequence | null {
  for (const field of ctx.fields) {
    const name = field.path.at(-1) ?? ''
    const match = /^(.*)pass_percentage$/i.exec(name)
    if (!match || field.kind !== 'number') continue
    const parent = field.path.slice(0, -1)
    const sibling = (suffix: string, kinds: readonly ColumnKind[]) =>
      fieldNamed(ctx, [...parent, `${match[1]}${suffix}`], kinds)
    const sequence = sibling('pass_sequence', ['list'])
    if (!sequence) continue
    const passes = sibling('pass_trial_num', ['number'])
    const measure = (f: FieldInfo) => ({
      sql: `TRY_CAST(${fieldSql(f.path)} AS DOUBLE)`,
      label: pathLabel(f.path),
    })
    return {
      percentage: measure(field),
      sequence: { sql: fieldSql(sequence.path), label: pathLabel(sequence.path) },
      passes: passes ? measure(passes) : null,
    }
  }
  return null
}

/** The tests a unit is judged by, when they are a list (AceCode `test_cases`): SQL for their count. */
export function testCount(ctx: QaContext): Measure | null {
  const path = ctx.profile.tests
  if (!path || roleKind(ctx, path) !== 'list') return null
  return { sql: `len(${U.tests})`, label: pathLabel(path) }
}

/** True for families whose reward is a fraction of tests passed. */
export function isPassRateFamily(ctx: QaContext): boolean {
  return ctx.profile.family === 'acecode' || ctx.profile.family === 'kodcode'
}

/** One side of the code comparison, with what judged it. */
export interface CodeSide {
  /** `a` or `b`: the prefix of this side's per-unit values. */
  readonly key: 'a' | 'b'
  /** What the side is called: "student", "chosen", "completion". */
  readonly label: string
  /**
   * The text as the file holds it (a units view column). Rules read the text itself, not the
   * code extracted from it: extraction runs at a few MB/s in the engine, far too slow to repeat
   * over every unit, and the text answers every question the rules ask (its fence, its signs,
   * its duplicates).
   */
  readonly raw: string
  /** SQL, true when the code was given credit: scored above zero, or was preferred. */
  readonly credit: string
  /** The score shown in a reason, or null when the credit is being chosen. */
  readonly score: Measure | null
}

/**
 * The code sides whose score says something about them: A always (the student, the completion, the
 * solution, the chosen answer), B only for code-rlaif, where the teacher has a score of its own.
 * A side with nothing judging it (no score, not a preference) is not checked.
 */
export function codeSides(ctx: QaContext): CodeSide[] {
  const { profile } = ctx
  const sides: CodeSide[] = []
  const credited = (score: Measure): string => `(${score.sql} > 0)`
  if (profile.codeA) {
    const side = {
      key: 'a',
      label: profile.codeA.label,
      raw: U.codeARaw,
    } as const
    if (profile.family === 'preference-pairs') {
      sides.push({ ...side, credit: 'true', score: null })
    } else {
      const score =
        profile.family === 'code-rlaif'
          ? (scoreMeasure(ctx, 0) ?? rewardMeasure(ctx))
          : (rewardMeasure(ctx) ?? scoreMeasure(ctx, 0))
      if (score) {
        // A generic file's scale is unknown: credit is anything above its lowest value.
        const credit =
          profile.family === 'generic'
            ? `(${score.sql} > (SELECT min(${score.sql}) FROM ${ctx.view}))`
            : credited(score)
        sides.push({ ...side, credit, score })
      }
    }
  }
  const teacher = scoreMeasure(ctx, 1)
  if (profile.codeB && !profile.codeB.fromGroup && profile.family === 'code-rlaif' && teacher) {
    sides.push({
      key: 'b',
      label: profile.codeB.label,
      raw: U.codeBRaw,
      credit: credited(teacher),
      score: teacher,
    })
  }
  return sides
}

/** The code sides whose text is compared for duplicates: both, unless B is taken from the group. */
export function duplicateSides(ctx: QaContext): { key: 'a' | 'b'; label: string; raw: string }[] {
  const { codeA, codeB } = ctx.profile
  return [
    ...(codeA ? [{ key: 'a' as const, label: codeA.label, raw: U.codeARaw }] : []),
    ...(codeB && !codeB.fromGroup
      ? [{ key: 'b' as const, label: codeB.label, raw: U.codeBRaw }]
      : []),
  ]
}
