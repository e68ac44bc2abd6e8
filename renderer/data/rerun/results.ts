/**
 * Re-run results as data: which units a filter shows, their code and tests read from the units
 * view, each request's hash (the cache key), and the results written into the units table's
 * `__rl_rerun_pass_rate` and `__rl_rerun_status` columns, where filters, the SQL condition,
 * histograms, checks and exports read them like any other column.
 */
import type { LoadedDataset } from '../dataset'
import type { Engine } from '../engine'
import { type Filter, filterUnits } from '../filter'
import { UNIT_COLUMNS as U } from '../profile/units'
import type { Relations } from '../relations'
import { type Sql, ident, join, raw, runSql, sql } from '../sql'
import { quoteIdent } from '../../../shared/sql'
import type { UnitToRun } from './kinds'
import type { Row } from '../values'
import { RUNNER_VERSION } from './harness'
import type { RerunRequest, UnitResult } from './types'

/** A unit by its dataset row and its item (null when rows are the units). */
export interface UnitKey {
  readonly row: number
  readonly item: number | null
}

/** A unit's key as text, for maps. */
export function unitKeyText(key: UnitKey): string {
  return `${key.row}:${key.item ?? 0}`
}

/** The units a filter shows, in file order: their keys only. */
export function filteredUnitKeysQuery(relations: Relations, filter: Filter): Sql {
  const units = filterUnits(relations, filter)
  return sql`SELECT ${raw(U.row)} AS r, ${raw(U.item)} AS i FROM ${raw(units.from)} WHERE ${units.where} ORDER BY 1, 2`
}

/** The keys of the units a filter shows. */
export async function filteredUnitKeys(
  engine: Engine,
  relations: Relations,
  filter: Filter,
): Promise<UnitKey[]> {
  const result = await runSql(engine, filteredUnitKeysQuery(relations, filter))
  return result.rows.map((r) => ({ row: Number(r.r), item: r.i === null ? null : Number(r.i) }))
}

/** Fields of a row some kinds of tests need beside the tests themselves (see `rerunRequest`). */
export const EXTRA_FIELDS = ['entry_point', 'prompt', 'test_setup_code', 'fn_name'] as const

/** A unit's key and what the runner needs of it. */
export interface UnitToRunAt extends UnitToRun {
  readonly key: UnitKey
}

/** SQL reading the code, language, tests and extra fields of every unit of some rows. */
export function unitsToRunQuery(
  relations: Relations,
  dataset: LoadedDataset,
  rows: readonly number[],
): Sql {
  const names = new Set(dataset.columns.map((c) => c.name))
  const extras = EXTRA_FIELDS.filter((f) => names.has(f)).map((f) =>
    raw(`${quoteIdent(f)} AS ${quoteIdent(`x_${f}`)}`),
  )
  const columns = join(
    [
      raw(`${U.row} AS r`),
      raw(`${U.item} AS i`),
      raw(`${U.codeA} AS code`),
      raw(`${U.language} AS language`),
      raw(`${U.tests} AS tests`),
      ...extras,
    ],
    ', ',
  )
  const rowList = join(
    rows.map((r) => sql`${r}`),
    ', ',
  )
  return sql`SELECT ${columns} FROM ${ident(relations.units)} WHERE ${raw(U.row)} IN (${rowList}) ORDER BY 1, 2`
}

/** The units read by `unitsToRunQuery`. */
export function parseUnitsToRun(rows: readonly Row[]): UnitToRunAt[] {
  return rows.map((r) => ({
    key: { row: Number(r.r), item: r.i === null ? null : Number(r.i) },
    code: typeof r.code === 'string' ? r.code : null,
    language: typeof r.language === 'string' ? r.language : null,
    tests: r.tests ?? null,
    row: Object.fromEntries(EXTRA_FIELDS.map((f) => [f, r[`x_${f}`] ?? null])),
  }))
}

/** The units of some rows, ready to be turned into requests. */
export async function readUnitsToRun(
  engine: Engine,
  relations: Relations,
  dataset: LoadedDataset,
  rows: readonly number[],
): Promise<UnitToRunAt[]> {
  if (rows.length === 0) return []
  return parseUnitsToRun((await runSql(engine, unitsToRunQuery(relations, dataset, rows))).rows)
}

/** The cache key of a request: SHA-256 of the runner version and the request. */
export async function requestHash(request: RerunRequest): Promise<string> {
  const bytes = new TextEncoder().encode(`${RUNNER_VERSION}\n${JSON.stringify(request)}`)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A unit's result as the units table keeps it. */
export interface StoredRerun {
  readonly key: UnitKey
  readonly passRate: number | null
  readonly status: UnitResult['status']
}

/** Rows written per UPDATE statement. */
const WRITE_CHUNK = 500

/** Writes results into the units table's re-run columns. */
export async function writeRerunResults(
  engine: Engine,
  relations: Relations,
  results: readonly StoredRerun[],
): Promise<void> {
  for (let start = 0; start < results.length; start += WRITE_CHUNK) {
    const part = results.slice(start, start + WRITE_CHUNK)
    const values = join(
      part.map((r) => sql`(${r.key.row}, ${r.key.item ?? 0}, ${r.passRate}::DOUBLE, ${r.status})`),
      ', ',
    )
    await runSql(
      engine,
      sql`UPDATE ${ident(relations.unitTable)} AS u
             SET ${raw(U.rerunPassRate)} = v.p, ${raw(U.rerunStatus)} = v.s
            FROM (VALUES ${values}) AS v(r, i, p, s)
           WHERE u.${raw(U.row)} = v.r AND coalesce(u.${raw(U.item)}, 0) = v.i`,
    )
  }
}

/** How many units of the dataset have a re-run result. */
export async function rerunCount(engine: Engine, relations: Relations): Promise<number> {
  const result = await runSql(
    engine,
    sql`SELECT count(*) AS n FROM ${ident(relations.unitTable)} WHERE ${raw(U.rerunStatus)} IS NOT NULL`,
  )
  return Number(result.rows[0]?.n ?? 0)
}
