/**
 * The units of review as an engine view: one row per row of the dataset, or per element of the list
 * the profile unnests, with every role as a column of its own. Views written later (review,
 * charts, checks, export) read roles from here and never need a dataset's own column names.
 */
import type { FieldPath, GroupPick, Profile } from '../../../shared/profile'
import type { Engine } from '../engine'
import { type Relations, newRelations } from '../relations'
import { quoteIdent, quoteString } from '../../../shared/sql'
import type { LoadedDataset } from '../dataset'
import { valueText } from '../values'
import { extractCodeSql, fenceOpenSql } from './code'
import { type DuckType, parseDuckType, scalarKind } from './duckType'
import { type FieldInfo, datasetFields, fieldSql, findField, messageKeys } from './fields'
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
  /** The length of codeA's raw text, in characters. */
  codeAChars: '__rl_code_a_chars',
  /** A hash of the group, to count units per group without holding its text. */
  groupKey: '__rl_group_key',
  /** The share of the unit's tests that passed when RewardLens ran them (0-1); NULL until run. */
  rerunPassRate: '__rl_rerun_pass_rate',
  /** How that run ended: `pass`, `fail`, `error` or `timeout`; NULL until run. */
  rerunStatus: '__rl_rerun_status',
  /** Compared with a second file: `both`, `a` (only in this file); NULL when not compared. */
  compareSide: '__rl_compare_side',
  /** True when the unit's pair differs in its reward, a score or either side's text. */
  compareChanged: '__rl_compare_changed',
  /** True when the pair's two sides are swapped (A's chosen is B's rejected and back). */
  compareSwapped: '__rl_compare_swapped',
  /** The reward of the unit's pair in the second file. */
  compareReward: '__rl_compare_reward',
  /** The second file's reward minus this one's. */
  deltaReward: '__rl_delta_reward',
} as const

/** The column of the second file's value of the i-th score role (0-based), when compared. */
export function compareScoreColumn(index: number): string {
  return `__rl_compare_score_${index}`
}

/** The column of the i-th score role (0-based). */
export function scoreColumn(index: number): string {
  return `__rl_score_${index}`
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

/** The SQL pieces every units relation is built from. */
interface UnitParts {
  /** One row per unit: the dataset's columns (the unnested list as its element), row and item. */
  readonly base: string
  /** The role columns computed over `base`, by column name. */
  readonly roles: Readonly<Record<string, string>>
  /** True when codeB is another unit of the group (found by a window over the group). */
  readonly fromGroup: boolean
}

/**
 * SQL reading a role's text. A list of chat messages reads as its messages' text (`whole`: a
 * prompt, what a search reads) or as its last assistant message (an answer: the code side of a
 * conversation); anything else as its text.
 */
export function roleTextSql(
  path: FieldPath,
  fields: readonly FieldInfo[],
  read: 'whole' | 'answer',
): string {
  const field = findField(fields, path)
  const keys = field ? messageKeys(field.type) : null
  if (!keys) return text(fieldSql(path))
  const [role, content] = [quoteIdent(keys.role), quoteIdent(keys.content)]
  const messages = fieldSql(path)
  if (read === 'whole') {
    return `array_to_string(list_transform(${messages}, lambda m: m.${content}), chr(10) || chr(10))`
  }
  const fromAssistant = `list_filter(${messages}, lambda m: lower(m.${role}) IN (${ASSISTANT_ROLES}))`
  return `coalesce(list_extract(${fromAssistant}, -1).${content}, list_extract(${messages}, -1).${content})`
}

/** The roles an answer's messages go by: `assistant`, and ShareGPT's `gpt`. */
const ASSISTANT_ROLES = ['assistant', 'gpt', 'model', 'bot'].map((r) => `'${r}'`).join(', ')

function unitParts(table: string, profile: Profile, fields: readonly FieldInfo[]): UnitParts {
  const c = UNIT_COLUMNS
  const unnest = profile.unnest?.[0]
  const base = unnest
    ? `SELECT rowid AS ${c.row}, generate_subscripts(${quoteIdent(unnest)}, 1) AS ${c.item}, * REPLACE (unnest(${quoteIdent(unnest)}) AS ${quoteIdent(unnest)}) FROM ${quoteIdent(table)}`
    : `SELECT rowid AS ${c.row}, NULL::BIGINT AS ${c.item}, * FROM ${quoteIdent(table)}`

  // Unnested units look for the other unit among their own row's list: the engine can then
  // read one row's units without computing the window over every unit's text.
  const groupKey = [unnest ? c.row : null, profile.group ? fieldSql(profile.group) : c.row]
    .filter((key, i, keys) => key !== null && keys.indexOf(key) === i)
    .join(', ')
  const codeB = (() => {
    const b = profile.codeB
    if (!b) return { raw: 'NULL::VARCHAR', item: 'NULL::BIGINT' }
    if (!b.fromGroup) return { raw: roleTextSql(b.path, fields, 'answer'), item: 'NULL::BIGINT' }
    // Another unit of the group, never the unit itself: a group of one has no B side.
    const order = `${groupOrder(b.fromGroup)}${c.item}`
    const window = `OVER (PARTITION BY ${groupKey} ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW)`
    return {
      raw: `first_value(${roleTextSql(b.path, fields, 'answer')}) ${window}`,
      item: `first_value(${c.item}) ${window}`,
    }
  })()

  const roles: Record<string, string> = {
    [c.prompt]: profile.prompt ? roleTextSql(profile.prompt, fields, 'whole') : 'NULL::VARCHAR',
    [c.languageLabel]:
      profile.fixedLanguage !== null
        ? `${quoteString(profile.fixedLanguage)}::VARCHAR`
        : profile.language
          ? text(fieldSql(profile.language))
          : 'NULL::VARCHAR',
    [c.codeARaw]: profile.codeA
      ? roleTextSql(profile.codeA.path, fields, 'answer')
      : 'NULL::VARCHAR',
    [c.codeBRaw]: codeB.raw,
    [c.codeBItem]: codeB.item,
    [c.reward]: profile.reward ? number(fieldSql(profile.reward)) : 'NULL::DOUBLE',
    ...Object.fromEntries(
      profile.scores.map((path, i) => [scoreColumn(i), number(fieldSql(path))] as const),
    ),
    [c.group]: profile.group ? roleTextSql(profile.group, fields, 'whole') : 'NULL::VARCHAR',
    [c.tests]: profile.tests ? fieldSql(profile.tests) : 'NULL::VARCHAR',
    [c.model]: profile.model ? text(fieldSql(profile.model)) : 'NULL::VARCHAR',
    [c.breakdown]: profile.breakdown ? fieldSql(profile.breakdown) : 'NULL::VARCHAR',
  }
  return { base, roles, fromGroup: Boolean(profile.codeB?.fromGroup) }
}

/** How a window orders a group's units so that the picked one comes first (ties by position). */
function groupOrder(from: GroupPick): string {
  switch (from.pick) {
    case 'best':
    case 'worst':
      return `${number(fieldSql(from.by))} ${from.pick === 'best' ? 'DESC' : 'ASC'} NULLS LAST, `
    case 'at':
      // Positions count from 0 in the file's own index (`gt_choice`), from 1 in `__rl_item`.
      return `(${UNIT_COLUMNS.item} - 1 = TRY_CAST(${fieldSql(from.by)} AS BIGINT)) DESC, `
    case 'first':
      return ''
  }
}

/** The role columns a search reads: the prompt and the raw text of both sides. */
export const TEXT_COLUMNS = [UNIT_COLUMNS.prompt, UNIT_COLUMNS.codeARaw, UNIT_COLUMNS.codeBRaw]

/** The named role expressions, in the order of `names`. */
const pick = (roles: Readonly<Record<string, string>>, names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, roles[name]!]))

const select = (exprs: Readonly<Record<string, string>>) =>
  Object.entries(exprs)
    .map(([name, expr]) => `${expr} AS ${name}`)
    .join(', ')

/**
 * The columns the units table adds to the view: computed once per profile, because in a view the
 * engine would evaluate them again for every query (the language alone needs a hundred-entry alias
 * map and a dozen regular expressions).
 */
const TABLE_COLUMNS = [
  UNIT_COLUMNS.language,
  UNIT_COLUMNS.codeAChars,
  UNIT_COLUMNS.groupKey,
  UNIT_COLUMNS.rerunPassRate,
  UNIT_COLUMNS.rerunStatus,
]

/**
 * Columns filled in when the dataset is compared with a second file (renderer/data/compare/): how
 * each unit's pair differs, for filters, charts and exports. NULL until a comparison is built.
 */
export function compareColumns(
  profile: Profile,
): { readonly name: string; readonly type: string }[] {
  const c = UNIT_COLUMNS
  return [
    { name: c.compareSide, type: 'VARCHAR' },
    { name: c.compareChanged, type: 'BOOLEAN' },
    { name: c.compareSwapped, type: 'BOOLEAN' },
    { name: c.compareReward, type: 'DOUBLE' },
    { name: c.deltaReward, type: 'DOUBLE' },
    ...profile.scores.map((_, i) => ({ name: compareScoreColumn(i), type: 'DOUBLE' })),
  ]
}

/**
 * The SQL creating (or replacing) the units table: a row per unit like the view, with the roles the
 * views count and chart (language, reward, scores, model, group) and the dataset's own fields, but
 * without long text. Filters, counts and charts read this table, never touching the code.
 *
 * `columns` are the dataset's columns as `slimColumns` measured them (long text fields left out).
 */
export function unitTableSql(
  relations: Relations,
  profile: Profile,
  columns: readonly SlimColumn[],
  fields: readonly FieldInfo[] = [],
): string {
  const c = UNIT_COLUMNS
  const { base, roles, fromGroup } = unitParts(relations.table, profile, fields)
  // The language, from a label, a fence or the code's own signs. Another unit's code (codeB from
  // the group) is left out: reading it needs a window over every unit's text. So is which unit
  // that is (`codeBItem`): the window would carry every unit's code through it (AceCode's 7M
  // completions ran out of WASM's memory); the view has it, for the one row or chunk it reads.
  const evidence = fromGroup ? [c.codeARaw] : [c.codeARaw, c.codeBRaw]
  const otherItem = fromGroup ? [] : [c.codeBItem]
  // Last, a fence the prompt asks for ("answer in a ```python block"): verl rows with no code.
  const promptFence = profile.prompt ? [fenceLanguageSql(c.prompt)] : []
  const language = `coalesce(${[
    foldLanguageSql(c.languageLabel),
    ...evidence.map(fenceLanguageSql),
    ...evidence.map(codeLanguageSql),
    ...promptFence,
    `'${UNKNOWN_LANGUAGE}'`,
  ].join(', ')})`
  const needed = pick(roles, [
    c.languageLabel,
    ...evidence,
    ...(profile.prompt ? [c.prompt] : []),
    ...otherItem,
    c.reward,
    ...profile.scores.map((_, i) => scoreColumn(i)),
    c.group,
    c.model,
  ])
  const kept = [
    c.row,
    c.item,
    `coalesce(${c.item}, 0) AS ${ITEM_KEY}`,
    `${language} AS ${c.language}`,
    `length(${c.codeARaw}) AS ${c.codeAChars}`,
    `CASE WHEN ${c.group} IS NULL THEN NULL ELSE hash(${c.group}) END AS ${c.groupKey}`,
    // Filled in by test re-runs (renderer/data/rerun/results.ts), for filters, charts and checks.
    `NULL::DOUBLE AS ${c.rerunPassRate}`,
    `NULL::VARCHAR AS ${c.rerunStatus}`,
    // Filled in by a comparison with a second file (renderer/data/compare/build.ts).
    ...compareColumns(profile).map((col) => `NULL::${col.type} AS ${col.name}`),
    ...otherItem,
    c.reward,
    ...profile.scores.map((_, i) => scoreColumn(i)),
    c.model,
    ...columns.map((col) => quoteIdent(col.name)),
  ]
  const slim = columns.map((col) => `${col.sql} AS ${quoteIdent(col.name)}`)
  return `CREATE OR REPLACE TABLE ${quoteIdent(relations.unitTable)} AS
SELECT ${kept.join(', ')}
  FROM (SELECT base.${c.row}, base.${c.item}, ${[...slim, select(needed)].join(', ')} FROM (${base}) base) roles`
}

/** The SQL creating (or replacing) the units view of a table under a profile. */
export function unitsViewSql(
  relations: Relations,
  profile: Profile,
  fields: readonly FieldInfo[] = [],
): string {
  const c = UNIT_COLUMNS
  const { base, roles } = unitParts(relations.table, profile, fields)
  const code = {
    [c.codeA]: extractCodeSql(c.codeARaw),
    [c.codeAOpen]: fenceOpenSql(c.codeARaw),
    [c.codeB]: extractCodeSql(c.codeBRaw),
    [c.codeBOpen]: fenceOpenSql(c.codeBRaw),
  }
  const units = quoteIdent(relations.unitTable)
  // Nested subqueries, not a WITH: DuckDB materializes CTEs, which would extract the code of
  // every unit on every query, even a count that reads no code at all.
  const withRoles = `(SELECT base.*, ${select(roles)} FROM (${base}) base)`
  return `CREATE OR REPLACE VIEW ${quoteIdent(relations.units)} AS
SELECT code.*, ${[...TABLE_COLUMNS, ...compareColumns(profile).map((col) => col.name)].map((name) => `u.${name}`).join(', ')}
  FROM (SELECT roles.*, ${select(code)} FROM ${withRoles} roles) code
  LEFT JOIN ${units} u
  ON u.${c.row} = code.${c.row} AND u.${ITEM_KEY} = coalesce(code.${c.item}, 0)`
}

/**
 * The SQL of the text view: each unit's prompt and the raw text of both sides, nothing else. A
 * search reads it alone, without the view's code extraction and join.
 */
export function unitTextViewSql(
  relations: Relations,
  profile: Profile,
  fields: readonly FieldInfo[] = [],
): string {
  const c = UNIT_COLUMNS
  const { base, roles } = unitParts(relations.table, profile, fields)
  return `CREATE OR REPLACE VIEW ${quoteIdent(relations.unitText)} AS
SELECT base.${c.row}, base.${c.item}, ${select(pick(roles, TEXT_COLUMNS))} FROM (${base}) base`
}

/**
 * SQL giving each unit's `__rl_row`, `__rl_item` and one text role as `x`, straight from the
 * dataset table. Unlike the text view it computes nothing else: with B taken from the group, the
 * view's B is a window over every unit's code, which DuckDB-WASM computes even for a query that
 * reads only A, and which ran out of memory over AceCode's 7M completions. `role` is the prompt
 * or a side's raw text that is a field of the unit (not B from the group).
 */
export function unitTextSql(
  table: string,
  profile: Profile,
  role: string,
  fields: readonly FieldInfo[],
): string {
  const c = UNIT_COLUMNS
  const { base, roles } = unitParts(table, profile, fields)
  return `SELECT base.${c.row}, base.${c.item}, ${roles[role]} AS x FROM (${base}) base`
}

/** The units table's item, 0 when rows are the units: with the row, a plain key to join on. */
export const ITEM_KEY = '__rl_item_key'

/**
 * Builds the units of a dataset table under a profile (the units table, the units view and the
 * text view) and answers their relations; rejects with the engine's message when a role points
 * at nothing usable.
 */
export async function createUnitsView(
  engine: Engine,
  dataset: Pick<LoadedDataset, 'table' | 'columns' | 'jsonFields'>,
  profile: Profile,
): Promise<Relations> {
  // A new build: the rebuilt table may hold other columns, so conditions are checked on it again.
  const { table } = dataset
  const relations = newRelations(table)
  const fields = datasetFields(dataset, profile.unnest)
  const slim = await slimColumns(engine, table, profile)
  await engine.exec(unitTableSql(relations, profile, slim, fields))
  await engine.exec(unitsViewSql(relations, profile, fields))
  await engine.exec(unitTextViewSql(relations, profile, fields))
  return relations
}

/** A dataset column as the units table holds it: the SQL reading it, long text left out. */
export interface SlimColumn {
  readonly name: string
  readonly sql: string
}

/** Text longer than this (in characters) in the measured units is long, and stays out of the units table. */
export const SHORT_TEXT_CHARS = 200
/** Units measured to tell short text from long. */
const MEASURE_UNITS = 500

/** True when a type holds text anywhere (a string, or a list, struct or map with one inside). */
function holdsText(type: DuckType): boolean {
  switch (type.kind) {
    case 'scalar':
      return scalarKind(type.name) === 'text' || /^(BLOB|JSON)$/i.test(type.name)
    case 'list':
      return holdsText(type.element)
    case 'struct':
      return type.fields.some((f) => holdsText(f.type))
    case 'map':
      return holdsText(type.key) || holdsText(type.value)
  }
}

/** The fields of a type that hold text and are not structs: the values measured for length. */
export function textLeaves(path: FieldPath, type: DuckType): FieldPath[] {
  if (!holdsText(type)) return []
  if (type.kind !== 'struct') return [path]
  return type.fields.flatMap((f) => textLeaves([...path, f.name], f.type))
}

/**
 * SQL reading a field without its long text: the field itself when nothing in it is long, a
 * struct rebuilt from its short fields, or null when nothing short is left.
 */
export function slimSql(
  path: FieldPath,
  type: DuckType,
  isLong: (path: FieldPath) => boolean,
): string | null {
  if (!holdsText(type)) return fieldSql(path)
  if (type.kind !== 'struct') return isLong(path) ? null : fieldSql(path)
  const fields = type.fields.map((f) => ({
    name: f.name,
    sql: slimSql([...path, f.name], f.type, isLong),
  }))
  const kept = fields.filter((f): f is { name: string; sql: string } => f.sql !== null)
  if (kept.length === 0) return null
  if (
    kept.length === fields.length &&
    kept.every((f, i) => f.sql === fieldSql([...path, type.fields[i]!.name]))
  )
    return fieldSql(path)
  // A missing struct stays missing (struct_pack alone would make one of NULL fields).
  const packed = `struct_pack(${kept.map((f) => `${quoteIdent(f.name)} := ${f.sql}`).join(', ')})`
  return `CASE WHEN ${fieldSql(path)} IS NULL THEN NULL ELSE ${packed} END`
}

/**
 * The dataset's columns for the units table: every field whose text, over the first units, is at
 * most SHORT_TEXT_CHARS long; longer text (code, answers, traces) is read from the view on demand.
 */
async function slimColumns(engine: Engine, table: string, profile: Profile): Promise<SlimColumn[]> {
  const described = await engine.query(`DESCRIBE ${quoteIdent(table)}`)
  const unnest = profile.unnest?.[0]
  const columns = described.rows
    .map((r) => ({
      name: valueText(r.column_name ?? null),
      type: parseDuckType(valueText(r.column_type ?? null)),
    }))
    .filter((col) => !col.name.startsWith('__rl_'))
    .map((col) => ({
      name: col.name,
      type: col.name === unnest && col.type.kind === 'list' ? col.type.element : col.type,
    }))
  const leaves = columns.flatMap((col) => textLeaves([col.name], col.type))
  const longest = new Map<string, number>()
  if (leaves.length > 0) {
    const { base } = unitParts(table, profile, [])
    const result = await engine.query(
      `SELECT ${leaves.map((path, i) => `max(length(CAST(${fieldSql(path)} AS VARCHAR))) AS m${i}`).join(', ')}
         FROM (SELECT * FROM (${base}) LIMIT ${MEASURE_UNITS})`,
    )
    const row = result.rows[0] ?? {}
    leaves.forEach((path, i) => longest.set(JSON.stringify(path), Number(row[`m${i}`] ?? 0)))
  }
  const isLong = (path: FieldPath) => (longest.get(JSON.stringify(path)) ?? 0) > SHORT_TEXT_CHARS
  return columns.flatMap((col) => {
    const sql = slimSql([col.name], col.type, isLong)
    return sql === null ? [] : [{ name: col.name, sql }]
  })
}
