/** The units of one dataset row with every role, for the review shown beside the table. */
import type { Profile } from '../../../shared/profile'
import type { Engine } from '../engine'
import { quoteIdent } from '../sql'
import type { CellValue } from '../values'
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
