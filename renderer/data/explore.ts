/**
 * Queries behind the explore views: filtered counts, the language facet, numeric fields and their
 * histograms. Binning and counting happen in SQL; only the few numbers a view draws come back.
 */
import { type FieldPath, type Profile, pathLabel, samePath } from '../../shared/profile'
import type { Engine, SqlParam } from './engine'
import { EMPTY_FILTER, type Filter, type RowSource, filterUnits, numberSql } from './filter'
import type { LoadedDataset } from './load'
import { listFields } from './profile/fields'
import {
  UNIT_COLUMNS as U,
  noteConditionOnTable,
  tableOfUnitsView,
  unitTableName,
} from './profile/units'
import { quoteIdent } from '../../shared/sql'
import { valueText } from './values'
import { errorMessage } from './errors'

/** Rows of the dataset a row source holds (a row shows when any of its units does). */
export async function countRows(engine: Engine, source: RowSource): Promise<number> {
  // The count is what a person waits for after a filter change: it goes before the charts.
  const result = await engine.query(
    `SELECT count(*) AS n FROM ${source.from} WHERE ${source.where.sql}`,
    [...source.where.params],
    'first',
  )
  return Number(result.rows[0]?.n ?? 0)
}

/** One language and how many units have it. */
export interface FacetValue {
  readonly value: string
  readonly count: number
}

/**
 * Units per value of a role column (language, model) under every part of the filter except the
 * choice made on that column itself, so the counts say what choosing another value would give.
 */
async function valueFacet(
  engine: Engine,
  view: string,
  column: string,
  filter: Filter,
  skip: string,
): Promise<FacetValue[]> {
  const { from, where } = filterUnits(view, filter, skip)
  const result = await engine.query(
    `SELECT ${column} AS value, count(*) AS n FROM ${from} WHERE ${where.sql} AND ${column} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`,
    [...where.params],
  )
  return result.rows.map((r) => ({ value: valueText(r.value ?? null), count: Number(r.n) }))
}

/** Units per language under the rest of the filter. */
export function languageFacet(engine: Engine, view: string, filter: Filter): Promise<FacetValue[]> {
  return valueFacet(engine, view, U.language, filter, 'languages')
}

/** Units per model under the rest of the filter. */
export function modelFacet(engine: Engine, view: string, filter: Filter): Promise<FacetValue[]> {
  return valueFacet(engine, view, U.model, filter, 'models')
}

/** A field's distribution for one language (or all of them). */
export interface Summary {
  readonly language: string
  readonly count: number
  readonly mean: number | null
  readonly median: number | null
  readonly p5: number | null
  readonly p95: number | null
  readonly nulls: number
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** Count, mean, median, 5th and 95th percentile and nulls of a field, per language and for all. */
export async function summaryByLanguage(
  engine: Engine,
  view: string,
  path: FieldPath,
  filter: Filter,
): Promise<Summary[]> {
  const { from, where } = filterUnits(view, filter)
  const x = numberSql(path)
  const result = await engine.query(
    // One list of quantiles sorts the values once; three quantile calls sorted them three times.
    `SELECT language, n, mean, q[1] AS p5, q[2] AS median, q[3] AS p95, nulls FROM (
       SELECT coalesce(${U.language}, 'all') AS language, count(*) AS n, avg(${x}) AS mean,
              quantile_cont(${x}, [0.05, 0.5, 0.95]) AS q,
              count(*) FILTER (WHERE ${x} IS NULL) AS nulls, grouping(${U.language}) AS g
         FROM ${from} WHERE ${where.sql}
        GROUP BY GROUPING SETS ((${U.language}), ()))
      ORDER BY g DESC, n DESC, 1`,
    [...where.params],
  )
  return result.rows.map((r) => ({
    language: valueText(r.language ?? null),
    count: Number(r.n),
    mean: num(r.mean),
    median: num(r.median),
    p5: num(r.p5),
    p95: num(r.p95),
    nulls: Number(r.nulls),
  }))
}

/** One point of a scatter plot. */
export interface Point {
  readonly x: number
  readonly y: number
  readonly language: string
}

/** SQL for codeA's length in characters, the x of the reward-against-length scatter plot. */
export const CODE_A_LENGTH_SQL = `${U.codeAChars}::DOUBLE`

/** At most this many points are drawn; more would only hide each other. */
export const SCATTER_POINTS = 1500

/**
 * A sample of units under the filter as points (x, y), for scatter plots; `x` and `y` are SQL
 * expressions over the units view. The sample is repeatable, so the plot does not jump.
 */
export async function scatterSample(
  engine: Engine,
  view: string,
  x: string,
  y: string,
  filter: Filter,
): Promise<Point[]> {
  const { from, where } = filterUnits(view, filter)
  const result = await engine.query(
    `SELECT x, y, language FROM (
       SELECT ${x} AS x, ${y} AS y, ${U.language} AS language FROM ${from} WHERE ${where.sql}
     ) WHERE x IS NOT NULL AND y IS NOT NULL AND isfinite(x) AND isfinite(y)
     USING SAMPLE reservoir(${SCATTER_POINTS} ROWS) REPEATABLE (7)`,
    [...where.params],
  )
  return result.rows.map((r) => ({
    x: Number(r.x),
    y: Number(r.y),
    language: valueText(r.language ?? null),
  }))
}

/** A field's mean per category (model, difficulty): count and mean for each. */
export async function meanByCategory(
  engine: Engine,
  view: string,
  path: FieldPath,
  category: string,
  filter: Filter,
): Promise<{ category: string; count: number; mean: number | null }[]> {
  const { from, where } = filterUnits(view, filter)
  const x = numberSql(path)
  const result = await engine.query(
    `SELECT ${category} AS category, count(*) AS n, avg(${x}) AS mean FROM ${from}
      WHERE ${where.sql} AND ${category} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    [...where.params],
  )
  return result.rows.map((r) => ({
    category: valueText(r.category ?? null),
    count: Number(r.n),
    mean: num(r.mean),
  }))
}

/** A numeric field a range filter and a histogram can be built on. */
export interface NumericField {
  /** Its label, used as the filter key and in test ids: `reward`, `metadata.chosen_scores.overall`. */
  readonly key: string
  readonly path: FieldPath
  /** True for the profile's scores and reward, which are shown first and open. */
  readonly role: boolean
}

/** The profile's reward and scores first, then every other numeric field of the units. */
export function numericFields(dataset: LoadedDataset, profile: Profile): NumericField[] {
  const roles = [...(profile.reward ? [profile.reward] : []), ...profile.scores]
  const unique: FieldPath[] = []
  for (const path of roles) if (!unique.some((p) => samePath(p, path))) unique.push(path)
  const others = listFields(dataset.columns, profile.unnest)
    .filter((f) => f.kind === 'number' && !unique.some((p) => samePath(p, f.path)))
    .map((f) => f.path)
  return [
    ...unique.map((path) => ({ key: pathLabel(path), path, role: true })),
    ...others.map((path) => ({ key: pathLabel(path), path, role: false })),
  ]
}

/** The smallest and largest value of a field over all units, and how many are null. */
export interface Extent {
  readonly min: number | null
  readonly max: number | null
  readonly nulls: number
}

/** The extent of a numeric field over all units (unfiltered, so chart axes stay put). */
export async function fieldExtent(engine: Engine, view: string, path: FieldPath): Promise<Extent> {
  const x = numberSql(path)
  const result = await engine.query(
    `SELECT min(${x}) AS lo, max(${x}) AS hi, count(*) FILTER (WHERE ${x} IS NULL) AS nulls FROM ${filterUnits(view, EMPTY_FILTER).from}`,
  )
  const row = result.rows[0] ?? {}
  return { min: num(row.lo), max: num(row.hi), nulls: Number(row.nulls ?? 0) }
}

/** One histogram bar: its range and how many units of each language fall in it. */
export interface Bin {
  readonly from: number
  readonly to: number
  readonly counts: Readonly<Record<string, number>>
  readonly total: number
}

/**
 * A histogram of a field under the filter (leaving out the field's own range, so the chart shows
 * what lies outside it too), split by language, over the field's full extent.
 */
export async function histogram(
  engine: Engine,
  view: string,
  field: NumericField,
  extent: Extent,
  filter: Filter,
  bins: number,
): Promise<Bin[]> {
  if (extent.min === null || extent.max === null) return []
  const width = extent.max > extent.min ? (extent.max - extent.min) / bins : 1
  const count = extent.max > extent.min ? bins : 1
  const { from, where } = filterUnits(view, filter, `range:${field.key}`)
  const params: SqlParam[] = [extent.min, width, count - 1, ...where.params]
  const result = await engine.query(
    `SELECT least(greatest(floor((x - ?) / ?), 0), ?)::INTEGER AS bin, lang, count(*) AS n
       FROM (SELECT ${numberSql(field.path)} AS x, ${U.language} AS lang FROM ${from} WHERE ${where.sql})
      WHERE x IS NOT NULL AND isfinite(x) GROUP BY ALL`,
    params,
  )
  const out: Bin[] = Array.from({ length: count }, (_, i) => ({
    from: extent.min! + i * width,
    to: i === count - 1 ? extent.max! : extent.min! + (i + 1) * width,
    counts: {},
    total: 0,
  }))
  for (const row of result.rows) {
    const i = Number(row.bin)
    const bin = out[i]
    if (!bin) continue
    const n = Number(row.n)
    out[i] = {
      ...bin,
      counts: { ...bin.counts, [valueText(row.lang ?? null)]: n },
      total: bin.total + n,
    }
  }
  return out
}

/**
 * Checks a power user's WHERE condition against the units view; resolves to null when it is
 * valid, or to the engine's message.
 */
export async function checkWhere(
  engine: Engine,
  view: string,
  where: string,
): Promise<string | null> {
  if (where.trim() === '') return null
  if (/;/.test(where.replace(/'[^']*'/g, ''))) return 'Only one condition, without ";".'
  try {
    await engine.query(`SELECT 1 FROM ${quoteIdent(view)} WHERE (${where}) LIMIT 0`)
  } catch (error) {
    return errorMessage(error)
  }
  // When the units table has every column the condition names, filters read the table instead.
  const table = unitTableName(tableOfUnitsView(view))
  const fits = await engine
    .query(`SELECT 1 FROM ${quoteIdent(table)} WHERE (${where}) LIMIT 0`)
    .then(() => true)
    .catch(() => false)
  if (fits) noteConditionOnTable(view, where)
  return null
}
