/**
 * The units of review as an engine view: one row per row of the dataset, or per element of the list
 * the profile unnests, with every role as a column of its own. Views written later (review,
 * charts, checks, export) read roles from here and never need a dataset's own column names.
 */
import type { Profile } from '../../../shared/profile'
import type { Engine } from '../engine'
import { quoteIdent } from '../sql'
import { extractCodeSql, fenceOpenSql } from './code'
import { fieldSql } from './fields'
import { UNKNOWN_LANGUAGE, codeLanguageSql, fenceLanguageSql, foldLanguageSql } from './languages'

/** The role columns of the units view. */
export const UNIT_COLUMNS = {
  /** The dataset row the unit comes from (its rowid). */
  row: '__rl_row',
  /** The unit's 1-based position in the unnested list; NULL when rows are the units. */
  item: '__rl_item',
  prompt: '__rl_prompt',
  /** The language as the file labels it (or the fence label), before folding. */
  languageLabel: '__rl_language_label',
  /** The folded language: `cpp` for `c++`, from the label, a fence or the code; `unknown` if unsure. */
  language: '__rl_language',
  codeARaw: '__rl_code_a_raw',
  codeA: '__rl_code_a',
  codeAOpen: '__rl_code_a_open',
  codeBRaw: '__rl_code_b_raw',
  codeB: '__rl_code_b',
  codeBOpen: '__rl_code_b_open',
  /** For a codeB taken from another unit of the group, that unit's item number. */
  codeBItem: '__rl_code_b_item',
  reward: '__rl_reward',
  group: '__rl_group',
  tests: '__rl_tests',
  model: '__rl_model',
  breakdown: '__rl_breakdown',
} as const

/** The column of the i-th score role (0-based). */
export function scoreColumn(index: number): string {
  return `__rl_score_${index}`
}

/** The name of the units view of a dataset table. */
export function unitsViewName(table: string): string {
  return `${table}_units`
}

/** The dataset table a units view was built on. */
export function tableOfUnitsView(view: string): string {
  return view.replace(/_units$/, '')
}

/**
 * The table of QA findings of a dataset table: one row per unit and rule it trips, with columns
 * `__rl_row`, `__rl_item` (NULL when rows are the units), `rule` and `detail`. Rebuilt with the profile.
 */
export function qaTableName(table: string): string {
  return `${table}_qa`
}

/** The table of flagged rows of a dataset table: `__rl_row` and `note`, kept in step with the sidecar. */
export function flagsTableName(table: string): string {
  return `${table}_flags`
}

/**
 * One BIGINT naming a unit: its row and its item (0 when rows are the units). Columns are read
 * unqualified, so it works over the units view and over the QA table alike.
 */
export function unitKeySql(): string {
  return `(${UNIT_COLUMNS.row} * 4294967296 + coalesce(${UNIT_COLUMNS.item}, 0))`
}

const text = (expr: string) => `TRY_CAST(${expr} AS VARCHAR)`
const number = (expr: string) => `TRY_CAST(${expr} AS DOUBLE)`

/** The parts of the units SQL: the roles of each unit, and the code derived from them. */
function unitParts(table: string, profile: Profile): { roles: string; code: string[] } {
  const c = UNIT_COLUMNS
  const unnest = profile.unnest?.[0]
  const base = unnest
    ? `SELECT rowid AS ${c.row}, generate_subscripts(${quoteIdent(unnest)}, 1) AS ${c.item}, * REPLACE (unnest(${quoteIdent(unnest)}) AS ${quoteIdent(unnest)}) FROM ${quoteIdent(table)}`
    : `SELECT rowid AS ${c.row}, NULL::BIGINT AS ${c.item}, * FROM ${quoteIdent(table)}`

  const groupKey = profile.group ? fieldSql(profile.group) : c.row
  const codeB = (() => {
    const b = profile.codeB
    if (!b) return { raw: 'NULL::VARCHAR', item: 'NULL::BIGINT' }
    if (!b.fromGroup) return { raw: text(fieldSql(b.path)), item: 'NULL::BIGINT' }
    // Another unit of the group, never the unit itself: a group of one has no B side.
    const order = `${number(fieldSql(b.fromGroup.by))} ${b.fromGroup.pick === 'best' ? 'DESC' : 'ASC'} NULLS LAST, ${c.item}`
    const window = `OVER (PARTITION BY ${groupKey} ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)`
    return {
      raw: `first_value(${text(fieldSql(b.path))}) ${window}`,
      item: `first_value(${c.item}) ${window}`,
    }
  })()

  const roles = [
    `${profile.prompt ? text(fieldSql(profile.prompt)) : 'NULL::VARCHAR'} AS ${c.prompt}`,
    `${profile.language ? text(fieldSql(profile.language)) : 'NULL::VARCHAR'} AS ${c.languageLabel}`,
    `${profile.codeA ? text(fieldSql(profile.codeA.path)) : 'NULL::VARCHAR'} AS ${c.codeARaw}`,
    `${codeB.raw} AS ${c.codeBRaw}`,
    `${codeB.item} AS ${c.codeBItem}`,
    `${profile.reward ? number(fieldSql(profile.reward)) : 'NULL::DOUBLE'} AS ${c.reward}`,
    ...profile.scores.map((path, i) => `${number(fieldSql(path))} AS ${scoreColumn(i)}`),
    `${profile.group ? text(fieldSql(profile.group)) : 'NULL::VARCHAR'} AS ${c.group}`,
    `${profile.tests ? fieldSql(profile.tests) : 'NULL::VARCHAR'} AS ${c.tests}`,
    `${profile.model ? text(fieldSql(profile.model)) : 'NULL::VARCHAR'} AS ${c.model}`,
    `${profile.breakdown ? fieldSql(profile.breakdown) : 'NULL::VARCHAR'} AS ${c.breakdown}`,
  ]
  const code = [
    `${extractCodeSql(c.codeARaw)} AS ${c.codeA}`,
    `${fenceOpenSql(c.codeARaw)} AS ${c.codeAOpen}`,
    `${extractCodeSql(c.codeBRaw)} AS ${c.codeB}`,
    `${fenceOpenSql(c.codeBRaw)} AS ${c.codeBOpen}`,
  ]
  // Nested subqueries, not a WITH: DuckDB materializes CTEs, which would extract the code of
  // every unit on every query, even a count that reads no code at all.
  return { roles: `(SELECT base.*, ${roles.join(', ')} FROM (${base}) base)`, code }
}

/**
 * The SQL computing every unit's language into a table of its own, once per profile.
 *
 * Language needs a hundred-entry alias map and a dozen regular expressions; in a view the engine
 * would plan them again for every query (about 0.3 s each time, whatever the row count), so they
 * run once here and the view joins the result.
 */
export function unitLanguagesSql(table: string, profile: Profile): string {
  const c = UNIT_COLUMNS
  const { roles } = unitParts(table, profile)
  // From the raw text, not the extracted code: a fence label or the code's own signs.
  const language = `coalesce(${foldLanguageSql(c.languageLabel)}, ${fenceLanguageSql(c.codeARaw)}, ${fenceLanguageSql(c.codeBRaw)}, ${codeLanguageSql(c.codeARaw)}, ${codeLanguageSql(c.codeBRaw)}, '${UNKNOWN_LANGUAGE}')`
  return `CREATE OR REPLACE TABLE ${quoteIdent(unitLanguagesName(table))} AS
SELECT ${c.row}, coalesce(${c.item}, 0) AS ${ITEM_KEY}, ${language} AS ${c.language} FROM ${roles} roles`
}

/** The SQL creating (or replacing) the units view of a table under a profile. */
export function unitsViewSql(table: string, profile: Profile): string {
  const c = UNIT_COLUMNS
  const { roles, code } = unitParts(table, profile)
  const languages = quoteIdent(unitLanguagesName(table))
  return `CREATE OR REPLACE VIEW ${quoteIdent(unitsViewName(table))} AS
SELECT code.*, l.${c.language}
  FROM (SELECT roles.*, ${code.join(', ')} FROM ${roles} roles) code
  LEFT JOIN ${languages} l
  ON l.${c.row} = code.${c.row} AND l.${ITEM_KEY} = coalesce(code.${c.item}, 0)`
}

/** The table holding each unit's language. */
export function unitLanguagesName(table: string): string {
  return `${table}_languages`
}

const ITEM_KEY = '__rl_item_key'

/** Creates the units view; rejects with the engine's message when a role points at nothing usable. */
export async function createUnitsView(
  engine: Engine,
  table: string,
  profile: Profile,
): Promise<string> {
  await engine.exec(unitLanguagesSql(table, profile))
  await engine.exec(unitsViewSql(table, profile))
  return unitsViewName(table)
}
