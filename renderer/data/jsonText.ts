/**
 * Text fields that hold JSON documents (verl's `reward_model.ground_truth`: `{"test_list": [...]}`
 * stored as a string). They are recognised from a sample and parsed once, after loading, into a
 * hidden column of their own (`__rl_json:["reward_model","ground_truth"]`) whose fields a profile
 * can point at like any struct field. The text itself stays as it was: exports write what the file
 * holds.
 *
 * The parse is ours in both engines (DuckDB-WASM has no JSON reader offline), so both give the same
 * types: the ingest's own schema inference and Arrow builder, over the values read back by rowid.
 */
import type { FieldPath } from '../../shared/profile'
import { quoteIdent } from '../../shared/sql'
import { type JsonField, jsonColumn } from './dataset'
import type { ColumnInfo } from './dataset'
import type { Engine } from './engine'
import { ArrowBatchBuilder } from './ingest/arrowBatch'
import { type InferredType, SchemaBuilder, toStoredFields } from './ingest/schema'
import { fieldSql, listFields } from './profile/fields'
import { valueText } from './values'

/** Values sampled per text field to decide whether it holds JSON. */
const SAMPLE_ROWS = 200
/** Rows read back per query while parsing. */
const CHUNK_ROWS = 4096
/** Text fields tried at most: a file with hundreds of text fields is not one of these layouts. */
const MAX_CANDIDATES = 32

/** The parsed document of a text that is a JSON object or array, else undefined. */
export function parseJsonDocument(text: string): object | undefined {
  const start = text.trimStart()[0]
  if (start !== '{' && start !== '[') return undefined
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * The text fields (columns, or fields of struct columns) whose sampled values are all JSON objects
 * or arrays, at least one of them not empty.
 */
export async function findJsonText(
  engine: Engine,
  table: string,
  columns: readonly ColumnInfo[],
): Promise<FieldPath[]> {
  const candidates = listFields(columns, null)
    .filter((f) => f.kind === 'text')
    .slice(0, MAX_CANDIDATES)
  if (candidates.length === 0) return []
  const result = await engine.query(
    `SELECT ${candidates.map((f, i) => `TRY_CAST(${fieldSql(f.path)} AS VARCHAR) AS v${i}`).join(', ')}
       FROM ${quoteIdent(table)} LIMIT ${SAMPLE_ROWS}`,
  )
  return candidates
    .filter((_, i) => {
      const values = result.rows.map((r) => r[`v${i}`] ?? null).filter((v) => v !== null)
      const docs = values.map((v) => parseJsonDocument(valueText(v)))
      return (
        docs.length > 0 &&
        docs.every((d) => d !== undefined) &&
        docs.some((d) => Object.keys(d ?? {}).length > 0)
      )
    })
    .map((f) => f.path)
}

/** Reads one text field back in chunks of rows, parsed: `[rowid, document]` pairs. */
async function* documents(
  engine: Engine,
  table: string,
  path: FieldPath,
  rowCount: number,
): AsyncGenerator<readonly (readonly [number, unknown])[]> {
  for (let start = 0; start < rowCount; start += CHUNK_ROWS) {
    const result = await engine.query(
      `SELECT rowid AS r, TRY_CAST(${fieldSql(path)} AS VARCHAR) AS v FROM ${quoteIdent(table)}
        WHERE rowid >= ? AND rowid < ?`,
      [start, start + CHUNK_ROWS],
    )
    yield result.rows.map((row) => {
      const text = row.v ?? null
      return [Number(row.r), text === null ? null : (parseJsonDocument(valueText(text)) ?? null)]
    })
  }
}

/**
 * Parses a JSON text field into its hidden column: infers the documents' type over every row, then
 * builds them as Arrow, inserts them beside the table and joins them in by position. A value that
 * is not a JSON document is null in the parsed column (its text is still in the field).
 */
async function parseField(
  engine: Engine,
  table: string,
  path: FieldPath,
  rowCount: number,
): Promise<JsonField> {
  const schema = new SchemaBuilder()
  for await (const chunk of documents(engine, table, path, rowCount)) {
    for (const [row, doc] of chunk) schema.add({ r: row, v: doc })
  }
  const types = new Map<string, InferredType>(schema.columnTypes())
  if (!types.has('r')) types.set('r', { kind: 'int' })
  if (!types.has('v')) types.set('v', { kind: 'null' })
  const fields = toStoredFields(types)
  const builder = new ArrowBatchBuilder(fields)
  const parsed = `__rl_parsed_${table}`
  const column = jsonColumn(path)
  let created = false
  try {
    for await (const chunk of documents(engine, table, path, rowCount)) {
      for (const [row, doc] of chunk)
        builder.add({ r: row, v: doc }, { file: 0, offset: 0, bytes: 0 })
      if (builder.length > 0) {
        await engine.insertArrowIPC(parsed, builder.flush(), !created)
        created = true
      }
    }
    const described = await engine.query(`DESCRIBE ${quoteIdent(parsed)}`)
    const type = valueText(described.rows.find((r) => r.column_name === 'v')?.column_type ?? null)
    // A new table in the same order, renamed: an UPDATE of a nested column rewrites the rows
    // under new rowids, and a rowid is a row's number everywhere else.
    const rebuilt = `${table}__json`
    await engine.exec(
      `CREATE TABLE ${quoteIdent(rebuilt)} AS
         SELECT t.*, p.v AS ${quoteIdent(column)}
           FROM ${quoteIdent(table)} t POSITIONAL JOIN (SELECT v FROM ${quoteIdent(parsed)} ORDER BY r) p;
       DROP TABLE ${quoteIdent(table)};
       ALTER TABLE ${quoteIdent(rebuilt)} RENAME TO ${quoteIdent(table)}`,
    )
    return { path, column, type }
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(parsed)}`)
  }
}

/** Finds the JSON text fields of a freshly loaded table and parses each into its hidden column. */
export async function parseJsonText(
  engine: Engine,
  table: string,
  columns: readonly ColumnInfo[],
  rowCount: number,
): Promise<JsonField[]> {
  const found = await findJsonText(engine, table, columns)
  const parsed: JsonField[] = []
  for (const path of found) parsed.push(await parseField(engine, table, path, rowCount))
  return parsed
}
