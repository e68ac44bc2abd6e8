/**
 * Parse facts in the engine: every distinct answer of a dataset (by a hash of its language, text
 * and tests) parsed once, its facts written to the table `<table>_parse` that the reward checks
 * join. Built in the background after the units exist, a chunk of rows at a time, with progress;
 * answers parsed before (under another profile) are not parsed again.
 */
import type { Profile } from '../../../shared/profile'
import { rowsIPC } from '../ingest/ipc'
import { quoteIdent } from '../../../shared/sql'
import type { LoadedDataset } from '../dataset'
import type { Engine } from '../engine'
import type { Row } from '../../../shared/engine'
import { type FieldInfo, datasetFields, findField } from '../profile/fields'
import { UNIT_COLUMNS as U, unitTextSql } from '../profile/units'
import { relationNames } from '../relations'
import { valueText } from '../values'
import type { ParseFacts, ParseRequest } from './core/types'

export type { ParseFacts, ParseRequest } from './core/types'

/** What parses answers: the parse worker in the app, the same parser in Node tests. */
export interface ParseService {
  /** The facts of each answer, in order, and how many answers the parser's cache holds. */
  parse(items: readonly ParseRequest[]): Promise<{ facts: readonly ParseFacts[]; cached: number }>
}

/** How far parsing has come. */
export interface ParseProgress {
  /** Units read so far, and in all. */
  readonly done: number
  readonly total: number
  /** Set when a person cancelled parsing there: the checks on parse trees did not run. */
  readonly cancelled?: boolean
}

/** What a parse run did. */
export interface ParseReport {
  /** Units read, and distinct answers parsed (others were in the table already). */
  readonly units: number
  readonly parsed: number
  /** Answers the parser's cache holds at the end (the largest of its workers' caches). */
  readonly cached: number
  readonly ms: number
}

/**
 * Units whose answers one step reads: the engine runs one statement at a time and the views wait
 * behind it, and progress moves once a step.
 */
export const PARSE_CHUNK_UNITS = 1024

/**
 * Answers sent to a parse worker at once: small enough that the workers share a chunk evenly and
 * a cancelled run stops soon, large enough that messages cost little beside parsing.
 */
const BATCH = 256

/** Chunks read ahead: one being parsed while the next is read and the one before inserted. */
const CHUNKS_IN_FLIGHT = 2

/** A read answer as the parser takes it. */
function request(r: Row): ParseRequest {
  return {
    language: typeof r.language === 'string' ? r.language : null,
    text: typeof r.text === 'string' ? r.text : '',
    tests: typeof r.tests === 'string' ? r.tests : null,
  }
}

/** The parse facts table of a dataset table. */
export function parseTable(table: string): string {
  return relationNames(table).parse
}

/** The facts table's columns, in the order rows are inserted. */
const FACT_COLUMNS = `k UBIGINT, grammar VARCHAR, error_line INTEGER, error_column INTEGER,
  error_text VARCHAR, error_at_end BOOLEAN, stub_line INTEGER, stub_text VARCHAR,
  hack_line INTEGER, hack_kind VARCHAR, hack_text VARCHAR, other_language VARCHAR, code_key VARCHAR`

/** The tests of a unit as one text (SQL over a units relation), or NULL without a tests role. */
export function testsTextSql(
  fields: readonly FieldInfo[],
  profile: Profile,
  column: string,
): string {
  if (!profile.tests) return 'NULL::VARCHAR'
  const kind = findField(fields, profile.tests)?.kind
  return kind === 'list' ? `array_to_string(${column}, chr(10))` : `TRY_CAST(${column} AS VARCHAR)`
}

/**
 * The key of an answer's facts: a hash of its language, its text and its tests. The reward
 * checks compute the same key over the units view.
 */
export function factKeySql(language: string, text: string, tests: string): string {
  return `hash(${language}, ${text}, ${tests})`
}

/** The code sides whose answers are parsed: A, and B when it is a field of the unit. */
export function parsedSides(profile: Profile): string[] {
  return [
    ...(profile.codeA ? [U.codeARaw] : []),
    ...(profile.codeB && !profile.codeB.fromGroup ? [U.codeBRaw] : []),
  ]
}

/** The facts table's columns as a batch carries them to the engine, in the table's order. */
const STAGED: readonly (readonly [string, 'string' | 'int' | 'bool', string])[] = [
  ['k', 'string', 'UBIGINT'],
  ['grammar', 'string', 'VARCHAR'],
  ['error_line', 'int', 'INTEGER'],
  ['error_column', 'int', 'INTEGER'],
  ['error_text', 'string', 'VARCHAR'],
  ['error_at_end', 'bool', 'BOOLEAN'],
  ['stub_line', 'int', 'INTEGER'],
  ['stub_text', 'string', 'VARCHAR'],
  ['hack_line', 'int', 'INTEGER'],
  ['hack_kind', 'string', 'VARCHAR'],
  ['hack_text', 'string', 'VARCHAR'],
  ['other_language', 'string', 'VARCHAR'],
  ['code_key', 'string', 'VARCHAR'],
]

/** One facts row's values, in `STAGED` order. */
function factRow(key: string, f: ParseFacts): unknown[] {
  return [
    key,
    f.grammar,
    f.error?.line,
    f.error?.column,
    f.error?.text,
    f.errorAtEnd,
    f.stub?.line,
    f.stub?.text,
    f.hack?.line,
    f.hack?.kind,
    f.hack?.text,
    f.otherLanguage,
    f.codeKey,
  ]
}

/** Staging tables made so far: each batch's has its own name. */
let staged = 0

/** Appends facts rows to the facts table through a staging table of the batch's own. */
async function appendFacts(
  engine: Engine,
  table: string,
  keys: readonly string[],
  facts: readonly ParseFacts[],
): Promise<void> {
  const stage = `${table}_stage_${++staged}`
  await engine.insertArrowIPC(
    stage,
    rowsIPC(STAGED, facts.length, (i) => factRow(keys[i]!, facts[i]!)),
    true,
  )
  try {
    const columns = STAGED.map(([name, , type]) => `${quoteIdent(name)}::${type}`)
    await engine.exec(
      `INSERT INTO ${quoteIdent(table)} SELECT ${columns.join(', ')} FROM ${quoteIdent(stage)}`,
      'later',
    )
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(stage)}`, 'later')
  }
}

/**
 * Parses every answer of a dataset under a profile not parsed yet into its facts table. Stops
 * (answering null) when `current` turns false: the dataset or profile was replaced.
 */
export async function buildParseFacts(
  engine: Engine,
  dataset: LoadedDataset,
  profile: Profile,
  service: ParseService,
  options: { onProgress?: (p: ParseProgress) => void; current?: () => boolean } = {},
): Promise<ParseReport | null> {
  const started = performance.now()
  const names = relationNames(dataset.table)
  const facts = quoteIdent(names.parse)
  const sides = parsedSides(profile)
  await engine.exec(`CREATE TABLE IF NOT EXISTS ${facts} (${FACT_COLUMNS})`, 'later')
  const unitCount = Number(
    (await engine.query(`SELECT count(*) AS n FROM ${quoteIdent(names.unitTable)}`, [], 'later'))
      .rows[0]?.n ?? 0,
  )
  const report = { units: unitCount, parsed: 0, cached: 0 }
  if (sides.length === 0 || unitCount === 0) {
    return { ...report, ms: performance.now() - started }
  }
  options.onProgress?.({ done: 0, total: unitCount })
  const perRow = Math.max(1, unitCount / Math.max(1, dataset.rowCount))
  const chunkRows = Math.max(1, Math.floor(PARSE_CHUNK_UNITS / perRow))
  const fields = datasetFields(dataset, profile.unnest)
  const tests = testsTextSql(fields, profile, 't.x')
  const testsJoin = profile.tests
    ? `LEFT JOIN (${unitTextSql(dataset.table, profile, U.tests, fields)}) t
         ON t.${U.row} = a.${U.row} AND coalesce(t.${U.item}, 0) = coalesce(a.${U.item}, 0)`
    : ''
  // Chunks are pipelined: while the workers parse one, the engine reads the next and inserts the
  // one before. Keys read but not yet inserted are not read again by the next chunks.
  const reading = new Set<string>()
  const flying: Promise<Error | null>[] = []
  let done = 0
  const parseChunk = async (rows: readonly Row[], units: number): Promise<Error | null> => {
    try {
      const batches = []
      for (let i = 0; i < rows.length; i += BATCH) batches.push(rows.slice(i, i + BATCH))
      await Promise.all(
        batches.map(async (batch) => {
          const answer = await service.parse(batch.map(request))
          report.cached = Math.max(report.cached, answer.cached)
          if (batch.length > 0) {
            const keys = batch.map((r) => valueText(r.k ?? null))
            await appendFacts(engine, names.parse, keys, answer.facts)
          }
          report.parsed += batch.length
        }),
      )
      done += units
      options.onProgress?.({ done: Math.min(unitCount, Math.round(done)), total: unitCount })
      return null
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    } finally {
      for (const r of rows) reading.delete(valueText(r.k ?? null))
    }
  }
  const settleOldest = async () => {
    const error = await flying.shift()
    if (error) {
      await Promise.all(flying)
      throw error
    }
  }
  for (let start = 0; start < dataset.rowCount; start += chunkRows) {
    if (options.current && !options.current()) {
      await Promise.all(flying)
      return null
    }
    // The range on both sides of the join: the units table is scanned for the step's rows only.
    const range = (alias: string) =>
      `${alias}.${U.row} >= ${start} AND ${alias}.${U.row} < ${start + chunkRows}`
    const answers = sides
      .map(
        (side) => `SELECT u.${U.language} AS language, a.x AS text, ${tests} AS tests
          FROM (${unitTextSql(dataset.table, profile, side, fields)}) a
          JOIN ${quoteIdent(names.unitTable)} u
            ON u.${U.row} = a.${U.row} AND u.__rl_item_key = coalesce(a.${U.item}, 0)
          ${testsJoin}
          WHERE ${range('a')} AND ${range('u')} AND a.x IS NOT NULL`,
      )
      .join(' UNION ALL ')
    const read = (
      await engine.query(
        `SELECT k::VARCHAR AS k, any_value(language) AS language, any_value(text) AS text,
                any_value(tests) AS tests
           FROM (SELECT ${factKeySql('language', 'text', 'tests')} AS k, * FROM (${answers}))
          WHERE k NOT IN (SELECT k FROM ${facts}) GROUP BY k`,
        [],
        'later',
      )
    ).rows
    // An answer met again before its facts are in is parsed once, by the chunk that met it first.
    const rows = read.filter((r) => !reading.has(valueText(r.k ?? null)))
    for (const r of rows) reading.add(valueText(r.k ?? null))
    const units = Math.min(chunkRows, dataset.rowCount - start) * perRow
    flying.push(parseChunk(rows, units))
    while (flying.length >= CHUNKS_IN_FLIGHT) await settleOldest()
  }
  while (flying.length > 0) await settleOldest()
  return { ...report, ms: performance.now() - started }
}
