/**
 * Queries behind the explore views: filtered counts, the language facet, numeric fields and their
 * histograms. Binning and counting happen in SQL; only the few numbers a view draws come back.
 *
 * Each query is a value (`xQuery(…) → Sql`) read by a parser (`parseX(rows)`); views run the pair
 * through `useEngineQuery`, and `x(engine, …)` runs it directly (the loader, the bench, tests).
 */
import { type FieldPath, type Profile, pathLabel, samePath } from '../../shared/profile'
import { quoteString } from '../../shared/sql'
import type { LoadedDataset } from './dataset'
import type { Engine } from './engine'
import type { Row } from './values'
import { conditionErrorMessage, errorMessage } from './errors'
import { EMPTY_FILTER, type Filter, type RowSource, filterUnits, numberSql } from './filter'
import { fieldSql, datasetFields } from './profile/fields'
import { UNIT_COLUMNS as U, scoreColumn } from './profile/units'
import type { Relations } from './relations'
import { type Sql, ident, raw, runSql, sql } from './sql'
import { valueText } from './values'

type Rows = readonly Row[]

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** The query counting the rows of a dataset a row source holds. */
export function countRowsQuery(source: RowSource): Sql {
  return sql`SELECT count(*) AS n FROM ${raw(source.from)} WHERE ${source.where}`
}

/** The count a count query answers. */
export function parseCount(rows: Rows): number {
  return Number(rows[0]?.n ?? 0)
}

/** Rows of the dataset a row source holds (a row shows when any of its units does). */
export async function countRows(engine: Engine, source: RowSource): Promise<number> {
  // The count is what a person waits for after a filter change: it goes before the charts.
  return parseCount((await runSql(engine, countRowsQuery(source), 'first')).rows)
}

/** One value of a role column (a language, a model) and how many units have it. */
export interface FacetValue {
  readonly value: string
  readonly count: number
}

/** The role columns a facet counts, with the part of the filter choosing among their values. */
export const FACETS = {
  languages: U.language,
  models: U.model,
} as const

/**
 * The query counting units per value of a facet's role column under every part of the filter
 * except the choice made on that facet itself, so the counts say what choosing another would give.
 */
export function facetQuery(relations: Relations, facet: keyof typeof FACETS, filter: Filter): Sql {
  const { from, where } = filterUnits(relations, filter, facet)
  const column = raw(FACETS[facet])
  return sql`SELECT ${column} AS value, count(*) AS n FROM ${raw(from)} WHERE ${where} AND ${column} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`
}

/** The values and counts a facet query answers. */
export function parseFacet(rows: Rows): FacetValue[] {
  return rows.map((r) => ({ value: valueText(r.value ?? null), count: Number(r.n) }))
}

/** Units per language under the rest of the filter. */
export async function languageFacet(
  engine: Engine,
  relations: Relations,
  filter: Filter,
): Promise<FacetValue[]> {
  return parseFacet((await runSql(engine, facetQuery(relations, 'languages', filter))).rows)
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
  /** Units whose value is 1 (true): passing, for a pass/fail field. */
  readonly passing: number
  /** True when every value is 0 or 1 (a boolean, or a 0/1 integer): a share passing says it all. */
  readonly binary: boolean
}

/** The query of a field's count, mean, median, 5th and 95th percentile and nulls, per language and for all. */
export function summaryQuery(relations: Relations, path: FieldPath, filter: Filter): Sql {
  const { from, where } = filterUnits(relations, filter)
  const x = raw(numberSql(path))
  const language = raw(U.language)
  // One list of quantiles sorts the values once; three quantile calls sorted them three times.
  return sql`SELECT language, n, mean, q[1] AS p5, q[2] AS median, q[3] AS p95, nulls, passing, all01 FROM (
       SELECT coalesce(${language}, 'all') AS language, count(*) AS n, avg(${x}) AS mean,
              quantile_cont(${x}, [0.05, 0.5, 0.95]) AS q,
              count(*) FILTER (WHERE ${x} IS NULL) AS nulls, grouping(${language}) AS g,
              count(*) FILTER (WHERE ${x} = 1) AS passing,
              coalesce(bool_and(${x} IN (0, 1)), false) AS all01
         FROM ${raw(from)} WHERE ${where}
        GROUP BY GROUPING SETS ((${language}), ()))
      ORDER BY g DESC, n DESC, 1`
}

/** The summaries a summary query answers, all languages first. */
export function parseSummary(rows: Rows): Summary[] {
  return rows.map((r) => ({
    language: valueText(r.language ?? null),
    count: Number(r.n),
    mean: num(r.mean),
    median: num(r.median),
    p5: num(r.p5),
    p95: num(r.p95),
    nulls: Number(r.nulls),
    passing: Number(r.passing ?? 0),
    binary: r.all01 === true,
  }))
}

/** Count, mean, median, 5th and 95th percentile and nulls of a field, per language and for all. */
export async function summaryByLanguage(
  engine: Engine,
  relations: Relations,
  path: FieldPath,
  filter: Filter,
): Promise<Summary[]> {
  return parseSummary((await runSql(engine, summaryQuery(relations, path, filter))).rows)
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
 * The query of a sample of units under the filter as points (x, y), for scatter plots; `x` and
 * `y` are SQL expressions over the units. The sample is repeatable, so the plot does not jump.
 */
export function scatterQuery(relations: Relations, x: string, y: string, filter: Filter): Sql {
  const { from, where } = filterUnits(relations, filter)
  return sql`SELECT x, y, language FROM (
       SELECT ${raw(x)} AS x, ${raw(y)} AS y, ${raw(U.language)} AS language FROM ${raw(from)} WHERE ${where}
     ) WHERE x IS NOT NULL AND y IS NOT NULL AND isfinite(x) AND isfinite(y)
     USING SAMPLE reservoir(${raw(String(SCATTER_POINTS))} ROWS) REPEATABLE (7)`
}

/** The points a scatter query answers. */
export function parseScatter(rows: Rows): Point[] {
  return rows.map((r) => ({
    x: Number(r.x),
    y: Number(r.y),
    language: valueText(r.language ?? null),
  }))
}

/** A sample of units under the filter as points (x, y); see `scatterQuery`. */
export async function scatterSample(
  engine: Engine,
  relations: Relations,
  x: string,
  y: string,
  filter: Filter,
): Promise<Point[]> {
  return parseScatter((await runSql(engine, scatterQuery(relations, x, y, filter))).rows)
}

/** A field's count and mean in one category (a model, a difficulty). */
export interface CategoryMean {
  readonly category: string
  readonly count: number
  readonly mean: number | null
}

/** The query of a field's count and mean per category; `category` is SQL over the units. */
export function meanByCategoryQuery(
  relations: Relations,
  path: FieldPath,
  category: string,
  filter: Filter,
): Sql {
  const { from, where } = filterUnits(relations, filter)
  const c = raw(category)
  return sql`SELECT ${c} AS category, count(*) AS n, avg(${raw(numberSql(path))}) AS mean FROM ${raw(from)}
      WHERE ${where} AND ${c} IS NOT NULL GROUP BY 1 ORDER BY 1`
}

/** The means a mean-by-category query answers. */
export function parseMeanByCategory(rows: Rows): CategoryMean[] {
  return rows.map((r) => ({
    category: valueText(r.category ?? null),
    count: Number(r.n),
    mean: num(r.mean),
  }))
}

/** A field's mean per category (model, difficulty): count and mean for each. */
export async function meanByCategory(
  engine: Engine,
  relations: Relations,
  path: FieldPath,
  category: string,
  filter: Filter,
): Promise<CategoryMean[]> {
  const query = meanByCategoryQuery(relations, path, category, filter)
  return parseMeanByCategory((await runSql(engine, query)).rows)
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
  const others = datasetFields(dataset, profile.unnest)
    .filter((f) => f.kind === 'number' && !unique.some((p) => samePath(p, f.path)))
    .map((f) => f.path)
  return [
    ...unique.map((path) => ({ key: pathLabel(path), path, role: true })),
    ...others.map((path) => ({ key: pathLabel(path), path, role: false })),
  ]
}

/**
 * A condition that runs as typed on this dataset, to show in the empty SQL box: a number it has
 * (the reward role, else the first score, else its first numeric column) above 0.5 and the
 * language role column at a language it holds (`__rl_language` exists for every file). A fixed
 * example naming `reward` failed on every file without such a column.
 */
export function exampleCondition(
  dataset: LoadedDataset,
  profile: Profile,
  language: string | null,
): string {
  const field = numericFields(dataset, profile).find((f) => !f.role)
  const number = profile.reward
    ? U.reward
    : profile.scores.length > 0
      ? scoreColumn(0)
      : field && (/^[a-z_][a-z0-9_]*$/.test(field.key) ? field.key : fieldSql(field.path))
  const parts = [
    ...(number ? [`${number} > 0.5`] : []),
    ...(language !== null ? [`${U.language} = ${quoteString(language)}`] : []),
  ]
  return parts.length > 0 ? parts.join(' AND ') : `${U.language} IS NOT NULL`
}

/** The smallest and largest value of a field over all units, and how many are null. */
export interface Extent {
  readonly min: number | null
  readonly max: number | null
  readonly nulls: number
}

/** The query of a numeric field's extent over all units (unfiltered, so chart axes stay put). */
export function extentQuery(relations: Relations, path: FieldPath): Sql {
  const x = raw(numberSql(path))
  return sql`SELECT min(${x}) AS lo, max(${x}) AS hi, count(*) FILTER (WHERE ${x} IS NULL) AS nulls FROM ${raw(filterUnits(relations, EMPTY_FILTER).from)}`
}

/** The extent an extent query answers. */
export function parseExtent(rows: Rows): Extent {
  const row = rows[0] ?? {}
  return { min: num(row.lo), max: num(row.hi), nulls: Number(row.nulls ?? 0) }
}

/** The extent of a numeric field over all units. */
export async function fieldExtent(
  engine: Engine,
  relations: Relations,
  path: FieldPath,
): Promise<Extent> {
  return parseExtent((await runSql(engine, extentQuery(relations, path))).rows)
}

/** One histogram bar: its range and how many units of each language fall in it. */
export interface Bin {
  readonly from: number
  readonly to: number
  readonly counts: Readonly<Record<string, number>>
  readonly total: number
}

/** How a histogram cuts a field's extent: its bars' width and number. */
function binning(extent: Extent, bins: number): { width: number; count: number } {
  const { min, max } = extent
  if (min === null || max === null || max <= min) return { width: 1, count: 1 }
  return { width: (max - min) / bins, count: bins }
}

/**
 * The query of a histogram of a field under the filter (leaving out the field's own range, so the
 * chart shows what lies outside it too), split by language, over the field's full extent.
 */
export function histogramQuery(
  relations: Relations,
  field: NumericField,
  extent: Extent,
  filter: Filter,
  bins: number,
): Sql {
  const { width, count } = binning(extent, bins)
  const { from, where } = filterUnits(relations, filter, `range:${field.key}`)
  return sql`SELECT least(greatest(floor((x - ${extent.min ?? 0}) / ${width}), 0), ${count - 1})::INTEGER AS bin, lang, count(*) AS n
       FROM (SELECT ${raw(numberSql(field.path))} AS x, ${raw(U.language)} AS lang FROM ${raw(from)} WHERE ${where})
      WHERE x IS NOT NULL AND isfinite(x) GROUP BY ALL`
}

/** The bars a histogram query answers (every bar, empty ones too). */
export function parseHistogram(rows: Rows, extent: Extent, bins: number): Bin[] {
  if (extent.min === null || extent.max === null) return []
  const { min, max } = extent
  const { width, count } = binning(extent, bins)
  const out: Bin[] = Array.from({ length: count }, (_, i) => ({
    from: min + i * width,
    to: i === count - 1 ? max : min + (i + 1) * width,
    counts: {},
    total: 0,
  }))
  for (const row of rows) {
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

/** A histogram of a field under the filter; see `histogramQuery`. */
export async function histogram(
  engine: Engine,
  relations: Relations,
  field: NumericField,
  extent: Extent,
  filter: Filter,
  bins: number,
): Promise<Bin[]> {
  if (extent.min === null || extent.max === null) return []
  const query = histogramQuery(relations, field, extent, filter, bins)
  return parseHistogram((await runSql(engine, query)).rows, extent, bins)
}

/**
 * Checks a power user's WHERE condition against the units view; resolves to null when it is
 * valid, or to why not. DuckDB's own parser decides that it is one condition: the probes are
 * prepared (a parameter is bound), and a prepared statement is exactly one statement, so a
 * condition that closes the WHERE and starts a statement of its own runs nothing. The condition
 * must also stand alone as a value (`[(…)]`), which a `) UNION SELECT … (` cannot.
 * A condition the units table can answer too is noted in the relations, so filters read the
 * table instead.
 */
export async function checkWhere(
  engine: Engine,
  relations: Relations,
  where: string,
): Promise<string | null> {
  if (where.trim() === '') return null
  const condition = raw(where)
  const probe = (from: string) =>
    runSql(engine, sql`SELECT 1 FROM ${ident(from)} WHERE (${condition}) AND ${true} LIMIT 0`)
  try {
    await probe(relations.units)
    await runSql(
      engine,
      sql`SELECT [(${condition})] FROM ${ident(relations.units)} WHERE ${false} LIMIT 0`,
    )
  } catch (error) {
    const message = conditionErrorMessage(error)
    return /multiple statements|syntax error|Parser Error/i.test(errorMessage(error))
      ? `Only one condition, as a WHERE clause takes it: ${message}`
      : message
  }
  const fits = await probe(relations.unitTable).then(
    () => true,
    () => false,
  )
  if (fits) relations.conditionsOnTable.add(where.trim())
  return null
}
