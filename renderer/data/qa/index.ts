/**
 * The QA checks of a dataset: built once per profile into a findings table (one row per unit and
 * rule it trips), then counted under the filter and read for the rows on screen. The filter's
 * `rules` part reads the same table (see `Relations.qa` and `filterWhere`).
 */
import type { Profile } from '../../../shared/profile'
import type { Engine } from '../engine'
import { type Filter, filterUnits } from '../filter'
import type { LoadedDataset } from '../dataset'
import { UNIT_COLUMNS as U, unitKeySql } from '../profile/units'
import { type RelationNames, type Relations, relationNames } from '../relations'
import { type Sql, TRUE, ident, raw, runSql, sql } from '../sql'
import { quoteIdent, quoteString } from '../../../shared/sql'
import { type Row, valueText } from '../values'
import { type QaContext, type QaInputs, qaContext, rewardMeasure, scoreMeasure } from './context'
import { QA_RULES, type QaCategory, type QaRule, type QaSeverity, type RulePlan } from './rules'

export { QA_CATEGORIES, QA_RULES, type QaCategory, type QaSeverity } from './rules'

/** A rule's severity by its id; an id no rule has (a finding of an older build) is a warning. */
export function ruleSeverity(id: string): QaSeverity {
  return QA_RULES.find((rule) => rule.id === id)?.severity ?? 'warning'
}

/** A rule that applies to the open dataset, and how many units trip it. */
export interface QaRuleSummary {
  readonly id: string
  readonly label: string
  readonly description: string
  readonly category: QaCategory
  readonly severity: QaSeverity
  readonly count: number
}

/** How strongly the reward follows the length of the code, for one language (or `all`). */
export interface LengthCorrelation {
  readonly language: string
  /** Units with both a reward and code. */
  readonly n: number
  /** Pearson's r; null when it is undefined (fewer than 3 units, or no spread). */
  readonly r: number | null
}

/** What the QA checks found in a dataset. */
export interface QaSummary {
  /** Every rule that applies, in panel order, with its count over all units. */
  readonly rules: readonly QaRuleSummary[]
  /** The reward's correlation with code length: `all` first, then each language by units. */
  readonly lengthCorrelation: readonly LengthCorrelation[]
  /** What the correlation relates (`reward` and `student answer length`); null when nothing does. */
  readonly lengthMeasure: { readonly reward: string; readonly length: string } | null
  /** Milliseconds the checks took. */
  readonly ms: number
}

/** One rule a unit trips, and why. */
export interface QaFinding {
  /** The unit's 1-based position in the unnested list; null when rows are the units. */
  readonly item: number | null
  readonly rule: string
  readonly detail: string
}

/** Correlations need at least this many units to mean anything. */
const MIN_CORRELATION_UNITS = 3

/** The applicable rules with their plans, in panel order. */
export function applicableRules(ctx: QaContext): { rule: QaRule; plan: RulePlan }[] {
  return QA_RULES.flatMap((rule) => {
    const plan = rule.plan(ctx)
    return plan ? [{ rule, plan }] : []
  })
}

/**
 * Units whose values one statement computes (at least one dataset row's worth). The engine runs
 * one query at a time, so the table, charts and counts wait for each statement; short statements
 * keep every wait short, also when each row holds 80 completions.
 */
export const QA_CHUNK_UNITS = 8192

/** The tables a build writes before the findings table is replaced. */
function workTables(table: string): { values: string; next: string } {
  return {
    values: quoteIdent(`${table}_qa_values`),
    next: quoteIdent(`${table}_qa_next`),
  }
}

/**
 * The statements building a dataset's findings under a profile, in order: every unit's values
 * (one statement per chunk of rows), each rule's findings (one per part) into a work table, and
 * last the findings table, replaced in one statement so the filter never reads half of it.
 */
export function qaSql(
  table: string,
  ctx: QaContext,
  rowCount: number,
  unitCount = rowCount,
  only: ((rule: QaRule) => boolean) | null = null,
): string[] {
  const plans = applicableRules(ctx).filter(({ rule }) => !only || only(rule))
  const values = new Map<string, string>()
  for (const { rule, plan } of plans) {
    for (const [name, sql] of Object.entries(plan.values)) {
      const known = values.get(name)
      if (known !== undefined && known !== sql) {
        throw new Error(`QA rule ${rule.id} defines the value ${name} differently`)
      }
      values.set(name, sql)
    }
  }
  const work = workTables(table)
  const statements: string[] = []
  const columns = [U.row, U.item, ...[...values].map(([name, sql]) => `${sql} AS ${name}`)]
  const select = `SELECT ${columns.join(', ')} FROM ${quoteIdent(relationNames(table).units)}`
  const chunkRows = Math.max(1, Math.floor(QA_CHUNK_UNITS / Math.max(1, unitCount / rowCount)))
  for (let start = 0; start === 0 || start < rowCount; start += chunkRows) {
    const last = start + chunkRows >= rowCount
    const where = `${U.row} >= ${start}${last ? '' : ` AND ${U.row} < ${start + chunkRows}`}`
    statements.push(
      start === 0
        ? `CREATE OR REPLACE TABLE ${work.values} AS ${select} WHERE ${where}`
        : `INSERT INTO ${work.values} ${select} WHERE ${where}`,
    )
  }
  // Values built in several statements are big: written to the database file (in the browser's
  // storage, see docs/ARCHITECTURE.md "Memory") their blocks can leave memory while the findings'
  // joins need it. Without it, 7M AceCode completions' values stayed in memory and the joins ran
  // out of it. An engine whose database is in memory has nothing to write.
  if (statements.length > 1) statements.push('CHECKPOINT')
  statements.push(
    `CREATE OR REPLACE TABLE ${work.next} (${U.row} BIGINT, ${U.item} BIGINT, rule VARCHAR, part INTEGER, detail VARCHAR)`,
  )
  for (const { rule, plan } of plans) {
    for (const [part, sql] of [plan.findings(work.values)].flat().entries()) {
      statements.push(
        `INSERT INTO ${work.next} SELECT ${U.row}, ${U.item}, ${quoteString(rule.id)}, ${part}, detail FROM (${sql})`,
      )
    }
  }
  // One row per unit and rule: a unit both sides of which trip a rule gets both reasons, A first.
  // A build of some rules keeps the findings of the others.
  const qa = quoteIdent(relationNames(table).qa)
  const rebuilt = QA_RULES.filter((rule) => !only || only(rule)).map((rule) => quoteString(rule.id))
  const kept = only
    ? `SELECT * FROM ${qa} WHERE rule NOT IN (${rebuilt.join(', ')}) UNION ALL `
    : ''
  if (only) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${qa} (${U.row} BIGINT, ${U.item} BIGINT, rule VARCHAR, detail VARCHAR)`,
    )
  }
  statements.push(`CREATE OR REPLACE TABLE ${qa} AS ${kept}(
SELECT ${U.row}, ${U.item}, rule, string_agg(detail, '; ' ORDER BY part) AS detail FROM ${work.next}
 GROUP BY ${U.row}, ${U.item}, rule) ORDER BY ${U.row}, ${U.item}, rule`)
  return statements
}

/**
 * Runs every applicable rule over a dataset's units view (which must exist for this profile) into
 * its findings table, replacing the previous one, and summarises what it found.
 */
export async function buildQa(
  engine: Engine,
  dataset: LoadedDataset,
  profile: Profile,
  options: QaInputs & { readonly nearDupOnly?: boolean } = {},
): Promise<QaSummary> {
  const started = performance.now()
  const ctx = qaContext(dataset, profile, options)
  // With the answers parsed, only the rules reading parse facts are built again; with
  // near-duplicates found (or a reference matched), only the rules reading them.
  const only = options.nearDupOnly
    ? (rule: QaRule) => rule.nearDup === true
    : options.parsed
      ? (rule: QaRule) => rule.parsed === true
      : null
  try {
    // Behind every view: a person is looking at the table while the checks run.
    const units = await engine.query(
      `SELECT count(*) AS n FROM ${quoteIdent(relationNames(dataset.table).unitTable)}`,
      [],
      'later',
    )
    const unitCount = Number(units.rows[0]?.n ?? dataset.rowCount)
    for (const statement of qaSql(dataset.table, ctx, dataset.rowCount, unitCount, only)) {
      await engine.exec(statement, 'later')
    }
  } finally {
    await dropWorkTables(engine, dataset.table)
  }
  const counts = await engine.query(
    `SELECT rule, count(*) AS n FROM ${quoteIdent(relationNames(dataset.table).qa)} GROUP BY rule`,
  )
  const byRule = new Map(counts.rows.map((r) => [valueText(r.rule ?? null), Number(r.n)]))
  const rules = applicableRules(ctx).map(({ rule }) => ({
    id: rule.id,
    label: rule.label,
    description: rule.description,
    category: rule.category,
    severity: rule.severity,
    count: byRule.get(rule.id) ?? 0,
  }))
  const correlation = await lengthCorrelation(engine, dataset.table, ctx)
  return { rules, ...correlation, ms: performance.now() - started }
}

async function dropWorkTables(engine: Engine, table: string): Promise<void> {
  const work = workTables(table)
  await engine.exec(`DROP TABLE IF EXISTS ${work.values}`, 'later')
  await engine.exec(`DROP TABLE IF EXISTS ${work.next}`, 'later')
}

/** The reward's Pearson correlation with code length, per language and for all units. */
async function lengthCorrelation(
  engine: Engine,
  table: string,
  ctx: QaContext,
): Promise<Pick<QaSummary, 'lengthCorrelation' | 'lengthMeasure'>> {
  const { codeA, codeB, family } = ctx.profile
  const reward = rewardMeasure(ctx) ?? scoreMeasure(ctx, 0)
  if (!reward || !codeA) return { lengthCorrelation: [], lengthMeasure: null }
  // For a pair the preference is relative, and so is the length that may explain it.
  const difference = family === 'preference-pairs' && codeB !== null
  // Length of the answer as written, fences and prose included: the verbosity a reward may favour.
  // Not the extracted code, which would cost a pass of extraction over every unit.
  // One side's length is in the units table (characters), which spares reading the view: its B
  // side may be a window over every unit's code (AceCode at its real size ran out of memory).
  const length = difference
    ? `strlen(${U.codeARaw})::DOUBLE - strlen(${U.codeBRaw})::DOUBLE`
    : `${U.codeAChars}::DOUBLE`
  const names = relationNames(table)
  const units = difference ? names.units : names.unitTable
  const lengthLabel = difference
    ? `${codeA.label} answer length − ${codeB.label} answer length`
    : `${codeA.label} answer length`
  const result = await engine.query(
    `SELECT coalesce(language, 'all') AS language, count(*) AS n, corr(y, x) AS r
       FROM (SELECT ${U.language} AS language, ${reward.sql} AS y, ${length} AS x FROM ${quoteIdent(units)})
      WHERE isfinite(x) AND isfinite(y)
      GROUP BY GROUPING SETS ((language), ()) ORDER BY grouping(language) DESC, n DESC, 1`,
  )
  return {
    lengthCorrelation: result.rows.map((row) => {
      const n = Number(row.n)
      const r = typeof row.r === 'number' && Number.isFinite(row.r) ? row.r : null
      return {
        language: valueText(row.language ?? null),
        n,
        r: n >= MIN_CORRELATION_UNITS ? r : null,
      }
    }),
    lengthMeasure: { reward: reward.label, length: lengthLabel },
  }
}

/**
 * The query of the units tripping each rule among those the filter shows (its own rule choice left
 * out, so every count says what choosing that rule would show).
 */
export function qaCountsQuery(relations: Relations, filter: Filter): Sql {
  const { from, where } = filterUnits(relations, filter, 'rules')
  const key = raw(unitKeySql())
  const shown =
    where.text === 'true' ? TRUE : sql`${key} IN (SELECT ${key} FROM ${raw(from)} WHERE ${where})`
  return sql`SELECT rule, count(*) AS n FROM ${ident(relations.qa)} WHERE ${shown} GROUP BY rule`
}

/** Units per rule, as a counts query answers them. A rule with no units is absent: read it as 0. */
export function parseQaCounts(rows: readonly Row[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [valueText(r.rule ?? null), Number(r.n)]))
}

/** Units tripping each rule among those the filter shows; see `qaCountsQuery`. */
export async function qaCounts(
  engine: Engine,
  relations: Relations,
  filter: Filter,
): Promise<Record<string, number>> {
  return parseQaCounts((await runSql(engine, qaCountsQuery(relations, filter))).rows)
}

/**
 * The query of the findings of some dataset rows (by rowid), or null for no rows. One text
 * parameter split in SQL: a list of `?` makes DuckDB plan (slowly) a long OR chain.
 */
export function qaFindingsQuery(relations: RelationNames, rows: readonly number[]): Sql | null {
  const ids = [...new Set(rows)].filter((r) => Number.isSafeInteger(r))
  if (ids.length === 0) return null
  return sql`SELECT ${raw(U.row)} AS row, ${raw(U.item)} AS item, rule, detail FROM ${ident(relations.qa)}
      WHERE ${raw(U.row)} IN (SELECT CAST(unnest(string_split(${ids.join(',')}, ',')) AS BIGINT))`
}

/**
 * The findings a findings query answers, for row badges and the detail pane: per row, every rule
 * its units trip with the reason, in panel order. Rows without findings are absent.
 */
export function parseQaFindings(rows: readonly Row[]): Map<number, QaFinding[]> {
  const out = new Map<number, QaFinding[]>()
  const order = new Map(QA_RULES.map((rule, i) => [rule.id, i]))
  const rank = (f: QaFinding) => order.get(f.rule) ?? QA_RULES.length
  for (const r of rows) {
    const row = Number(r.row)
    const finding = {
      item: r.item === null || r.item === undefined ? null : Number(r.item),
      rule: valueText(r.rule ?? null),
      detail: valueText(r.detail ?? null),
    }
    out.set(row, [...(out.get(row) ?? []), finding])
  }
  for (const list of out.values()) {
    list.sort((a, b) => rank(a) - rank(b) || (a.item ?? 0) - (b.item ?? 0))
  }
  return out
}

/** The findings of some dataset rows; see `qaFindingsQuery`. */
export async function qaFindings(
  engine: Engine,
  table: string,
  rows: readonly number[],
): Promise<Map<number, QaFinding[]>> {
  const query = qaFindingsQuery(relationNames(table), rows)
  return query ? parseQaFindings((await runSql(engine, query)).rows) : new Map()
}

/** Drops a dataset's findings table (when the dataset closes). */
export async function dropQa(engine: Engine, table: string): Promise<void> {
  await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(relationNames(table).qa)}`)
  await dropWorkTables(engine, table)
}
