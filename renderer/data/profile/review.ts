/** The units of one dataset row with every role, for the review shown beside the table. */
import { type FieldPath, type Profile, samePath } from '../../../shared/profile'
import type { Engine } from '../engine'
import type { Relations } from '../relations'
import { type Sql, ident, raw, runSql, sql } from '../sql'
import type { CellValue, Row } from '../values'
import { extractCodeSql, fenceOpenSql } from './code'
import { type FieldInfo, fieldSql, findField } from './fields'
import { UNIT_COLUMNS as U, scoreColumn } from './units'

/** One unit of review with its roles' values. */
export interface ReviewUnit {
  /** 1-based position in the unnested list, or null when rows are the units. */
  readonly item: number | null
  readonly prompt: string | null
  /** The prompt's field as the file holds it (chat messages are shown as a conversation). */
  readonly promptValue: CellValue
  readonly languageLabel: string | null
  readonly language: string
  readonly codeA: {
    readonly raw: string | null
    readonly code: string | null
    readonly open: boolean
  }
  readonly codeB: {
    readonly raw: string | null
    readonly code: string | null
    readonly open: boolean
    /** The unit it was taken from, when codeB comes from another unit of the group. */
    readonly item: number | null
  }
  readonly reward: number | null
  /** One value per score role, in the profile's order. */
  readonly scores: readonly (number | null)[]
  readonly group: string | null
  readonly tests: CellValue
  readonly model: string | null
  readonly breakdown: CellValue
  /** For B taken from the unit a column points at (`gt_choice`), that column's value (0-based). */
  readonly pointsAt: number | null
}

const str = (v: CellValue | undefined) => (typeof v === 'string' ? v : null)
const num = (v: CellValue | undefined) => (typeof v === 'number' ? v : null)

const PROMPT_VALUE = '__rl_prompt_value'
const POINTS_AT = '__rl_points_at'

/** The query of the units of one dataset row (one unit, or one per element of the unnested list). */
export function reviewUnitsQuery(relations: Relations, profile: Profile, rowId: number): Sql {
  const from = profile.codeB?.fromGroup
  const columns = [
    U.item,
    U.prompt,
    U.languageLabel,
    U.language,
    U.codeARaw,
    U.codeA,
    U.codeAOpen,
    U.codeBRaw,
    U.codeB,
    U.codeBOpen,
    U.codeBItem,
    U.reward,
    U.group,
    U.tests,
    U.model,
    U.breakdown,
    ...profile.scores.map((_, i) => scoreColumn(i)),
    `${profile.prompt ? fieldSql(profile.prompt) : 'NULL'} AS ${PROMPT_VALUE}`,
    `${from?.pick === 'at' ? `TRY_CAST(${fieldSql(from.by)} AS BIGINT)` : 'NULL'} AS ${POINTS_AT}`,
  ]
  return sql`SELECT ${raw(columns.join(', '))} FROM ${ident(relations.units)} WHERE ${raw(U.row)} = ${rowId} ORDER BY ${raw(U.item)}`
}

/** The units a review-units query answers, for a profile with `scoreCount` scores. */
export function parseReviewUnits(rows: readonly Row[], scoreCount: number): ReviewUnit[] {
  const scores = Array.from({ length: scoreCount }, (_, i) => scoreColumn(i))
  return rows.map((r) => ({
    item: num(r[U.item]),
    prompt: str(r[U.prompt]),
    promptValue: r[PROMPT_VALUE] ?? null,
    languageLabel: str(r[U.languageLabel]),
    language: str(r[U.language]) ?? 'unknown',
    codeA: { raw: str(r[U.codeARaw]), code: str(r[U.codeA]), open: r[U.codeAOpen] === true },
    codeB: {
      raw: str(r[U.codeBRaw]),
      code: str(r[U.codeB]),
      open: r[U.codeBOpen] === true,
      item: num(r[U.codeBItem]),
    },
    reward: num(r[U.reward]),
    scores: scores.map((s) => num(r[s])),
    group: str(r[U.group]),
    tests: r[U.tests] ?? null,
    model: str(r[U.model]),
    breakdown: r[U.breakdown] ?? null,
    pointsAt: num(r[POINTS_AT]),
  }))
}

/**
 * The units a pair of units shows first. B from the unit a column points at (CodePrefBench's
 * correct answer): another unit against that one. Otherwise the best unit (by reward) against the
 * worst other one.
 */
export function defaultPair(units: readonly Pick<ReviewUnit, 'reward' | 'item' | 'pointsAt'>[]): {
  readonly a: number
  readonly b: number
} {
  const pointed = units.findIndex(
    (u, i) => u.pointsAt !== null && (u.item ?? i + 1) - 1 === u.pointsAt,
  )
  if (pointed >= 0 && units.length > 1) return { a: pointed === 0 ? 1 : 0, b: pointed }
  const a = bestUnit(units)
  return { a, b: worstOtherUnit(units, a) }
}

/** The index of the unit with the highest reward, the first of equals; units without one come last. */
export function bestUnit(units: readonly Pick<ReviewUnit, 'reward'>[]): number {
  let at = 0
  units.forEach((u, i) => {
    if ((u.reward ?? -Infinity) > (units[at]!.reward ?? -Infinity)) at = i
  })
  return at
}

/**
 * The unit B is compared with A by default: the lowest reward among the other units (the first of
 * equals; units without a reward last), so A is never compared with itself while the group has
 * another unit to show.
 */
export function worstOtherUnit(units: readonly Pick<ReviewUnit, 'reward'>[], a: number): number {
  let at = -1
  units.forEach((u, i) => {
    if (i === a) return
    if (at < 0 || (u.reward ?? Infinity) < (units[at]!.reward ?? Infinity)) at = i
  })
  return at < 0 ? a : at
}

/** Fetches the units of one dataset row; see `reviewUnitsQuery`. */
export async function fetchReviewUnits(
  engine: Engine,
  relations: Relations,
  profile: Profile,
  rowId: number,
): Promise<ReviewUnit[]> {
  const query = reviewUnitsQuery(relations, profile, rowId)
  return parseReviewUnits((await runSql(engine, query, 'first')).rows, profile.scores.length)
}

/** Another value a code role could take in the same row: a KodCode trial beside `trial_1`. */
export interface CodeAlternative {
  /** The struct key that tells it apart (`trial_2`). */
  readonly key: string
  readonly path: FieldPath
  /** The field beside the code that says how it fared (`test_result`), if there is one. */
  readonly result: FieldPath | null
}

/** Names of the field that says how a trial fared, in the order they are looked for. */
const RESULT_FIELDS = ['test_result', 'result', 'passed', 'status']

/**
 * The alternatives of a code role whose path runs through a struct of structs
 * (`trials.trial_1.solution_code`): every sibling struct with the same code field. Empty otherwise.
 */
export function codeAlternatives(fields: readonly FieldInfo[], path: FieldPath): CodeAlternative[] {
  if (path.length < 3) return []
  const parent = path.slice(0, -2)
  const leaf = path.at(-1)!
  const siblings = fields.filter(
    (f) =>
      f.kind === 'struct' &&
      f.path.length === parent.length + 1 &&
      samePath(f.path.slice(0, -1), parent),
  )
  return siblings
    .filter((s) => findField(fields, [...s.path, leaf]) !== undefined)
    .map((s) => {
      const result = RESULT_FIELDS.find(
        (name) => findField(fields, [...s.path, name]) !== undefined,
      )
      return {
        key: s.path.at(-1)!,
        path: [...s.path, leaf],
        result: result === undefined ? null : [...s.path, result],
      }
    })
}

/** One side of the diff read from any field of a row: raw text, its code, and how it fared. */
export interface CodeAt {
  readonly raw: string | null
  readonly code: string | null
  readonly open: boolean
  readonly result: CellValue
}

/** The query of a code field of one dataset row, with the code extracted as the units view does it. */
export function codeAtQuery(table: string, rowId: number, alternative: CodeAlternative): Sql {
  const raw_ = `TRY_CAST(${fieldSql(alternative.path)} AS VARCHAR)`
  const result = alternative.result ? fieldSql(alternative.result) : 'NULL'
  return sql`SELECT ${raw(raw_)} AS raw, ${raw(extractCodeSql(raw_))} AS code, ${raw(fenceOpenSql(raw_))} AS open, ${raw(result)} AS result
       FROM ${ident(table)} WHERE rowid = ${rowId}`
}

/** The code a code-at query answers. */
export function parseCodeAt(rows: readonly Row[]): CodeAt {
  const r = rows[0]
  return {
    raw: str(r?.raw),
    code: str(r?.code),
    open: r?.open === true,
    result: r?.result ?? null,
  }
}
