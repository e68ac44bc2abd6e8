/**
 * Near-duplicates in the engine: every distinct prompt and answer of a dataset signed once (MinHash
 * in the near-duplicate worker, `core.ts`), grouped by LSH at a Jaccard threshold, and written to
 * the table `<table>_neardup` (a row per unit: its prompt's and its code's group, and the reference
 * rows it matches) that the filter, the facet, the detail pane and the checks read.
 *
 * Texts are read a batch at a time and only their signatures are kept (SIGNATURE_SIZE × 4 bytes a
 * distinct text), so memory grows with the number of rows, not with their length. A prompt that is
 * a field of the row (AceCode's question over its list of completions) is one text per row: the
 * completions of one question are not near-duplicates of each other for sharing it.
 */
import type { Profile } from '../../../shared/profile'
import { quoteIdent } from '../../../shared/sql'
import type { LoadedDataset } from '../dataset'
import type { Engine } from '../engine'
import { rowsIPC } from '../ingest/ipc'
import { extractCodeSql } from '../profile/code'
import { type FieldInfo, datasetFields } from '../profile/fields'
import { ITEM_KEY, UNIT_COLUMNS as U, roleTextSql, unitTextSql } from '../profile/units'
import { nearDupWork, relationNames } from '../relations'
import { valueText } from '../values'
import { type NearDupKind, SIGNATURE_SIZE } from './core'
import type { NearDupService } from './service'

/** Jaccard similarity two texts need to be near-duplicates, unless the person changes it. */
export const DEFAULT_THRESHOLD = 0.8

/** Distinct texts read from the engine and signed per step. */
const BATCH_TEXTS = 2000

/** How far finding near-duplicates has come, in distinct texts signed. */
export interface NearDupProgress {
  readonly done: number
  readonly total: number
}

/** The signatures of one kind of text of a dataset: one per distinct text, by its id. */
export interface SignedTexts {
  readonly kind: NearDupKind
  readonly count: number
  readonly signatures: Uint32Array
}

/** What a dataset's near-duplicates are built from, kept so a new threshold only groups again. */
export interface NearDupSignatures {
  readonly prompt: SignedTexts | null
  readonly code: SignedTexts | null
  /** Kinds with more distinct texts than `MAX_TEXTS`: not signed, not grouped. */
  readonly skipped: readonly { readonly kind: NearDupKind; readonly texts: number }[]
}

/**
 * Distinct texts of one kind signed at most: 1,000,000 signatures take 512 MB in the window. A
 * file with more (AceCode-87K's 7M completions) is not grouped on that kind, and the facet says so.
 */
export const MAX_TEXTS = 1_000_000

/** Groups of one kind: how many, and how many units they hold. */
export interface KindSummary {
  readonly groups: number
  readonly units: number
  /** Distinct texts signed. */
  readonly texts: number
  /** Units whose text of this kind matches a row of the reference set. */
  readonly matched: number
}

/** What the near-duplicate table holds. */
export interface NearDupSummary {
  readonly threshold: number
  readonly prompt: KindSummary | null
  readonly code: KindSummary | null
  /** Units whose prompt or code matches a row of the reference set. */
  readonly contaminated: number
  /** Kinds not grouped for having more distinct texts than `MAX_TEXTS`. */
  readonly skipped: NearDupSignatures['skipped']
  readonly ms: number
}

/** The work tables of a dataset's near-duplicate run for one kind, quoted. */
function work(table: string, kind: NearDupKind) {
  const names = nearDupWork(table, kind)
  return {
    units: quoteIdent(names.units),
    texts: quoteIdent(names.texts),
    groups: quoteIdent(names.groups),
    ref: quoteIdent(names.ref),
  }
}

/**
 * SQL giving the texts of one kind as `__rl_row`, `__rl_item` (NULL for a prompt of the row),
 * `x` (the text) and `lang`; null when the profile has no such role.
 */
function textsSql(
  dataset: LoadedDataset,
  profile: Profile,
  fields: readonly FieldInfo[],
  kind: NearDupKind,
): string | null {
  const unitTable = quoteIdent(relationNames(dataset.table).unitTable)
  if (kind === 'prompt') {
    if (!profile.prompt) return null
    const { unnest, prompt } = profile
    if (unnest?.[0] && prompt[0] !== unnest[0]) {
      return `SELECT rowid AS ${U.row}, NULL::BIGINT AS ${U.item}, ${roleTextSql(prompt, fields, 'whole')} AS x, NULL AS lang FROM ${quoteIdent(dataset.table)}`
    }
    return `SELECT ${U.row}, ${U.item}, x, NULL AS lang FROM (${unitTextSql(dataset.table, profile, U.prompt, fields)})`
  }
  if (!profile.codeA) return null
  return `SELECT a.${U.row}, a.${U.item}, ${extractCodeSql('a.x')} AS x, u.${U.language} AS lang
    FROM (${unitTextSql(dataset.table, profile, U.codeARaw, fields)}) a
    JOIN ${unitTable} u ON u.${U.row} = a.${U.row} AND u.${ITEM_KEY} = coalesce(a.${U.item}, 0)`
}

/**
 * Reads the distinct texts of one kind into work tables and signs them. Answers null when the
 * profile has no such text, or when `current` turned false on the way.
 */
async function signKind(
  engine: Engine,
  dataset: LoadedDataset,
  profile: Profile,
  kind: NearDupKind,
  service: NearDupService,
  step: (texts: number) => void,
  current: () => boolean,
): Promise<SignedTexts | null> {
  const source = textsSql(dataset, profile, datasetFields(dataset, profile.unnest), kind)
  if (source === null) return null
  const w = work(dataset.table, kind)
  await engine.exec(
    `CREATE OR REPLACE TABLE ${w.units} AS
       SELECT ${U.row}, ${U.item}, hash(x, lang) AS h FROM (${source}) WHERE trim(coalesce(x, '')) <> ''`,
    'later',
  )
  await engine.exec(
    `CREATE OR REPLACE TABLE ${w.texts} AS
       SELECT (row_number() OVER (ORDER BY h) - 1)::INTEGER AS id, h, t, lang FROM (
         SELECT hash(x, lang) AS h, any_value(x) AS t, any_value(lang) AS lang
           FROM (${source}) WHERE trim(coalesce(x, '')) <> '' GROUP BY 1)`,
    'later',
  )
  const count = Number(
    (await engine.query(`SELECT count(*) AS n FROM ${w.texts}`, [], 'later')).rows[0]?.n ?? 0,
  )
  const signatures = new Uint32Array(count * SIGNATURE_SIZE)
  for (let start = 0; start < count; start += BATCH_TEXTS) {
    if (!current()) return null
    const rows = (
      await engine.query(
        `SELECT t, lang FROM ${w.texts} WHERE id >= ${start} AND id < ${start + BATCH_TEXTS} ORDER BY id`,
        [],
        'later',
      )
    ).rows
    const texts = rows.map((r) => valueText(r.t ?? null))
    const languages =
      kind === 'code' ? rows.map((r) => (r.lang == null ? null : valueText(r.lang))) : null
    signatures.set(await service.signatures(kind, texts, languages), start * SIGNATURE_SIZE)
    step(rows.length)
  }
  return { kind, count, signatures }
}

/** The distinct texts of each kind the profile has (null: it has no such text). */
async function countTexts(
  engine: Engine,
  dataset: LoadedDataset,
  profile: Profile,
): Promise<Record<NearDupKind, number | null>> {
  const fields = datasetFields(dataset, profile.unnest)
  const counts: Record<NearDupKind, number | null> = { prompt: null, code: null }
  for (const kind of ['prompt', 'code'] as const) {
    const source = textsSql(dataset, profile, fields, kind)
    if (source === null) continue
    const result = await engine.query(
      `SELECT count(DISTINCT hash(x, lang)) AS n FROM (${source}) WHERE trim(coalesce(x, '')) <> ''`,
      [],
      'later',
    )
    counts[kind] = Number(result.rows[0]?.n ?? 0)
  }
  return counts
}

/**
 * Signs every distinct prompt and answer of a dataset under a profile. Answers null when
 * `current` turned false on the way (the dataset or profile was replaced, or the person stopped).
 */
export async function signDataset(
  engine: Engine,
  dataset: LoadedDataset,
  profile: Profile,
  service: NearDupService,
  options: {
    onProgress?: (p: NearDupProgress) => void
    current?: () => boolean
    /** Keep each distinct text in its work table (a reference set shows the text it matched). */
    keepTexts?: boolean
  } = {},
): Promise<NearDupSignatures | null> {
  const current = options.current ?? (() => true)
  const counts = await countTexts(engine, dataset, profile)
  // Past the limit a kind is not signed: its signatures alone would not fit in the window.
  const skipped = (['prompt', 'code'] as const)
    .filter((kind) => (counts[kind] ?? 0) > MAX_TEXTS)
    .map((kind) => ({ kind, texts: counts[kind]! }))
  const signs = (kind: NearDupKind) =>
    counts[kind] !== null && !skipped.some((s) => s.kind === kind)
  const total = (signs('prompt') ? counts.prompt! : 0) + (signs('code') ? counts.code! : 0)
  let done = 0
  options.onProgress?.({ done, total })
  const step = (texts: number) => {
    done += texts
    options.onProgress?.({ done, total })
  }
  const sign = (kind: NearDupKind) =>
    signs(kind) ? signKind(engine, dataset, profile, kind, service, step, current) : null
  const prompt = await sign('prompt')
  if (!current()) return null
  const code = await sign('code')
  if (!current()) return null
  if (!options.keepTexts) {
    // Signed: the texts' copies leave the engine (they would double the memory the texts take).
    for (const kind of ['prompt', 'code'] as const) {
      const w = work(dataset.table, kind)
      if ((kind === 'prompt' ? prompt : code) === null) continue
      await engine.exec(
        `CREATE OR REPLACE TABLE ${w.texts} AS SELECT id, h FROM ${w.texts}`,
        'later',
      )
    }
  }
  return { prompt, code, skipped }
}

/**
 * The columns of the near-duplicate table for one kind: group, its size, the similarity to the
 * group's first text, and the reference row matched (its 0-based row, similarity and text).
 */
const KIND_COLUMNS = (kind: NearDupKind) =>
  [
    [`${kind}_id`, 'INTEGER'],
    [`${kind}_group`, 'INTEGER'],
    [`${kind}_size`, 'INTEGER'],
    [`${kind}_sim`, 'FLOAT'],
    [`${kind}_ref_row`, 'BIGINT'],
    [`${kind}_ref_sim`, 'FLOAT'],
    [`${kind}_ref_text`, 'VARCHAR'],
  ] as const

/**
 * Groups the signed texts at `threshold` and writes the near-duplicate table: a row per unit with,
 * for each kind, its group (numbered from 1, largest first; NULL when it is in none), the group's
 * size in units, its similarity to the group's first text, and the reference row it matches.
 */
export async function writeNearDuplicates(
  engine: Engine,
  dataset: LoadedDataset,
  signed: NearDupSignatures,
  service: NearDupService,
  threshold: number,
): Promise<NearDupSummary> {
  const started = performance.now()
  const names = relationNames(dataset.table)
  const unitTable = quoteIdent(names.unitTable)
  const joins: string[] = []
  const columns: string[] = []
  const summary: { prompt: KindSummary | null; code: KindSummary | null } = {
    prompt: null,
    code: null,
  }
  for (const texts of [signed.prompt, signed.code]) {
    if (!texts) continue
    const { kind } = texts
    const w = work(dataset.table, kind)
    const grouped = await service.group(texts.signatures, texts.count, threshold)
    const members: number[] = []
    for (let i = 0; i < texts.count; i++) if (grouped.group[i]! >= 0) members.push(i)
    const tables = nearDupWork(dataset.table, kind)
    await engine.exec(`DROP TABLE IF EXISTS ${w.groups}`, 'later')
    await engine.insertArrowIPC(
      tables.groups,
      rowsIPC(
        [
          ['id', 'int'],
          ['rep', 'int'],
          ['sim', 'float'],
        ],
        members.length,
        (k) => [members[k], grouped.group[members[k]!], grouped.similarity[members[k]!]],
      ),
      true,
    )
    await engine.exec(
      `CREATE TABLE IF NOT EXISTS ${w.ref} (id INTEGER, ref_row BIGINT, ref_sim FLOAT, ref_text VARCHAR)`,
      'later',
    )
    // Each unit's text, its group's first text (itself when it is in no group: exact repeats of it
    // still make a group), and how many units that group holds.
    const per = `${kind}_u`
    joins.push(`LEFT JOIN (
      SELECT x.*, count(*) OVER (PARTITION BY rep) AS size FROM (
        SELECT u.${U.row}, u.${U.item} AS item, t.id, coalesce(g.rep, t.id) AS rep, g.sim,
               r.ref_row, r.ref_sim, r.ref_text
          FROM ${w.units} u JOIN ${w.texts} t ON t.h = u.h
          LEFT JOIN ${w.groups} g ON g.id = t.id
          LEFT JOIN ${w.ref} r ON r.id = t.id) x) ${per}
      ON ${per}.${U.row} = n.${U.row} AND (${per}.item IS NULL OR ${per}.item = n.${ITEM_KEY})`)
    // A text of the row (a prompt over a list of completions, or a row that is one unit) has no
    // item: every unit of the row shares it, and its group's size counts rows.
    columns.push(
      `${per}.id AS ${kind}_id`,
      `${per}.rep AS ${kind}_rep`,
      `CASE WHEN ${per}.size > 1 THEN ${per}.size END::INTEGER AS ${kind}_size`,
      `CASE WHEN ${per}.size > 1 THEN coalesce(${per}.sim, 1) END::FLOAT AS ${kind}_sim`,
      `${per}.ref_row::BIGINT AS ${kind}_ref_row`,
      `${per}.ref_sim::FLOAT AS ${kind}_ref_sim`,
      `${per}.ref_text AS ${kind}_ref_text`,
    )
  }
  const staged = quoteIdent(nearDupWork(dataset.table, 'prompt').staged)
  await engine.exec(
    `CREATE OR REPLACE TABLE ${staged} AS
       SELECT n.${U.row}, n.${U.item}${columns.map((c) => `, ${c}`).join('')}
         FROM ${unitTable} n ${joins.join('\n')}`,
    'later',
  )
  // Groups numbered 1, 2... largest first, so "group 1" is the same group in every view.
  const numbered = (kind: NearDupKind, present: boolean) =>
    present
      ? `CASE WHEN ${kind}_size IS NOT NULL THEN dense_rank() OVER (ORDER BY ${kind}_size IS NULL, ${kind}_size DESC, ${kind}_rep) END::INTEGER AS ${kind}_group, ${kind}_id, ${kind}_size, ${kind}_sim, ${kind}_ref_row, ${kind}_ref_sim, ${kind}_ref_text`
      : KIND_COLUMNS(kind)
          .map(([name, type]) => `NULL::${type} AS ${name}`)
          .join(', ')
  await engine.exec(
    `CREATE OR REPLACE TABLE ${quoteIdent(names.nearDup)} AS
       SELECT ${U.row}, ${U.item}, ${numbered('prompt', signed.prompt !== null)}, ${numbered('code', signed.code !== null)}
         FROM ${staged} ORDER BY ${U.row}, ${U.item}`,
    'later',
  )
  await engine.exec(`DROP TABLE IF EXISTS ${staged}`, 'later')
  const nearDup = quoteIdent(names.nearDup)
  for (const kind of ['prompt', 'code'] as const) {
    if (!signed[kind]) continue
    const counts = await engine.query(
      `SELECT count(DISTINCT ${kind}_group) AS groups, count(${kind}_group) AS units,
              count(${kind}_ref_row) AS matched FROM ${nearDup}`,
      [],
      'later',
    )
    const row = counts.rows[0]
    summary[kind] = {
      groups: Number(row?.groups ?? 0),
      units: Number(row?.units ?? 0),
      texts: signed[kind].count,
      matched: Number(row?.matched ?? 0),
    }
  }
  const contaminated = Number(
    (
      await engine.query(
        `SELECT count(*) AS n FROM ${nearDup} WHERE prompt_ref_row IS NOT NULL OR code_ref_row IS NOT NULL`,
        [],
        'later',
      )
    ).rows[0]?.n ?? 0,
  )
  return {
    threshold,
    ...summary,
    contaminated,
    skipped: signed.skipped,
    ms: performance.now() - started,
  }
}
