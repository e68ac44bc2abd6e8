/** The units of one dataset row with every role, for the review shown beside the table. */
import { type FieldPath, type Profile, samePath } from '../../../shared/profile'
import type { Engine } from '../engine'
import { quoteIdent } from '../../../shared/sql'
import type { CellValue } from '../values'
import { extractCodeSql, fenceOpenSql } from './code'
import { type FieldInfo, fieldSql, findField } from './fields'
import { UNIT_COLUMNS as U, scoreColumn } from './units'

/** One unit of review with its roles' values. */
export interface ReviewUnit {
  /** 1-based position in the unnested list, or null when rows are the units. */
  readonly item: number | null
  readonly prompt: string | null
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
}

const str = (v: CellValue | undefined) => (typeof v === 'string' ? v : null)
const num = (v: CellValue | undefined) => (typeof v === 'number' ? v : null)

/** Fetches the units of one dataset row (one unit, or one per element of the unnested list). */
export async function fetchReviewUnits(
  engine: Engine,
  view: string,
  profile: Profile,
  rowId: number,
): Promise<ReviewUnit[]> {
  const scores = profile.scores.map((_, i) => scoreColumn(i))
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
    ...scores,
  ]
  const result = await engine.query(
    `SELECT ${columns.join(', ')} FROM ${quoteIdent(view)} WHERE ${U.row} = ? ORDER BY ${U.item}`,
    [rowId],
    'first',
  )
  return result.rows.map((r) => ({
    item: num(r[U.item]),
    prompt: str(r[U.prompt]),
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
  }))
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

/** Reads a code field of one dataset row, with the code extracted as the units view does it. */
export async function fetchCodeAt(
  engine: Engine,
  table: string,
  rowId: number,
  alternative: CodeAlternative,
): Promise<CodeAt> {
  const raw = `TRY_CAST(${fieldSql(alternative.path)} AS VARCHAR)`
  const result = alternative.result ? fieldSql(alternative.result) : 'NULL'
  const answer = await engine.query(
    `SELECT ${raw} AS raw, ${extractCodeSql(raw)} AS code, ${fenceOpenSql(raw)} AS open, ${result} AS result
       FROM ${quoteIdent(table)} WHERE rowid = ?`,
    [rowId],
  )
  const r = answer.rows[0]
  return {
    raw: str(r?.raw),
    code: str(r?.code),
    open: r?.open === true,
    result: r?.result ?? null,
  }
}
