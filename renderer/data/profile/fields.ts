/**
 * The fields a profile can point at: every column, every field of a struct column (to any depth),
 * and, for the list column a profile unnests, every field of its elements.
 */
import { type FieldPath, JSON_STEP } from '../../../shared/profile'
import {
  type ColumnInfo,
  type ColumnKind,
  type JsonField,
  type LoadedDataset,
  columnKind,
  jsonColumn,
} from '../dataset'
import { quoteIdent, quoteString } from '../../../shared/sql'
import { type DuckType, parseDuckType } from './duckType'

/** One field a role can use. */
export interface FieldInfo {
  readonly path: FieldPath
  readonly kind: ColumnKind
  readonly type: DuckType
}

/** How deep into nested structs fields are offered. */
const MAX_DEPTH = 4

/**
 * Every field of a dataset. When `unnest` names a list-of-struct column, that column stands for
 * one element of the list and its element's fields are listed under it.
 */
export function listFields(
  columns: readonly ColumnInfo[],
  unnest: FieldPath | null,
  json: readonly JsonField[] = [],
): FieldInfo[] {
  const out: FieldInfo[] = []
  const parsed = new Map(json.map((f) => [JSON.stringify(f.path), parseDuckType(f.type)]))
  const visit = (path: FieldPath, type: DuckType, depth: number) => {
    out.push({ path, kind: columnKind(type), type })
    if (type.kind === 'struct' && depth < MAX_DEPTH) {
      for (const field of type.fields) visit([...path, field.name], field.type, depth + 1)
    }
    const doc = parsed.get(JSON.stringify(path))
    if (doc && depth < MAX_DEPTH) visit([...path, JSON_STEP], doc, depth + 1)
  }
  for (const column of columns) {
    const type = parseDuckType(column.type)
    const unnested = unnest !== null && unnest.length === 1 && unnest[0] === column.name
    visit([column.name], unnested && type.kind === 'list' ? type.element : type, 0)
  }
  return out
}

/** Every field of a loaded dataset, the parsed JSON of its text fields included. */
export function datasetFields(
  dataset: Pick<LoadedDataset, 'columns' | 'jsonFields'>,
  unnest: FieldPath | null,
): FieldInfo[] {
  return listFields(dataset.columns, unnest, dataset.jsonFields)
}

/** The list columns a profile may unnest: lists of records and lists of text alike. */
export function unnestCandidates(columns: readonly ColumnInfo[]): FieldPath[] {
  return columns.filter((c) => parseDuckType(c.type).kind === 'list').map((c) => [c.name])
}

/** The names a chat message's role and text go by: `role`/`content`, or ShareGPT's `from`/`value`. */
const MESSAGE_KEYS = [
  ['role', 'content'],
  ['from', 'value'],
] as const

/** For a list of chat messages, the struct fields of a message's role and text; else null. */
export function messageKeys(type: DuckType): { role: string; content: string } | null {
  if (type.kind !== 'list' || type.element.kind !== 'struct') return null
  const fields = type.element.fields
  const text = (name: string) =>
    fields.find((f) => f.name.toLowerCase() === name && columnKind(f.type) === 'text')?.name
  for (const [role, content] of MESSAGE_KEYS) {
    const [r, c] = [text(role), text(content)]
    if (r && c) return { role: r, content: c }
  }
  return null
}

/** True when a field can take a role of these kinds: chat messages count as text. */
export function fieldFits(field: FieldInfo, kinds: readonly ColumnKind[]): boolean {
  return kinds.includes(field.kind) || (kinds.includes('text') && messageKeys(field.type) !== null)
}

/** Finds a field by path. */
export function findField(fields: readonly FieldInfo[], path: FieldPath): FieldInfo | undefined {
  return fields.find((f) => f.path.length === path.length && f.path.every((p, i) => p === path[i]))
}

/**
 * SQL reading a field: `"metadata"['chosen_scores']['overall']`. Bracket access never confuses a
 * struct field with a table name, and keeps names with dots (`trial_qwen2.5_0`) whole.
 */
export function fieldSql(path: FieldPath): string {
  const step = path.indexOf(JSON_STEP)
  if (step >= 0) return fieldSql([jsonColumn(path.slice(0, step)), ...path.slice(step + 1)])
  const [column, ...rest] = path
  return quoteIdent(column ?? '') + rest.map((part) => `[${quoteString(part)}]`).join('')
}
