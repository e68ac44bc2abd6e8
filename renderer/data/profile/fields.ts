/**
 * The fields a profile can point at: every column, every field of a struct column (to any depth),
 * and, for the list column a profile unnests, every field of its elements.
 */
import type { FieldPath } from '../../../shared/profile'
import { type ColumnInfo, type ColumnKind, columnKind } from '../dataset'
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
export function listFields(columns: readonly ColumnInfo[], unnest: FieldPath | null): FieldInfo[] {
  const out: FieldInfo[] = []
  const visit = (path: FieldPath, type: DuckType, depth: number) => {
    out.push({ path, kind: columnKind(type), type })
    if (type.kind === 'struct' && depth < MAX_DEPTH) {
      for (const field of type.fields) visit([...path, field.name], field.type, depth + 1)
    }
  }
  for (const column of columns) {
    const type = parseDuckType(column.type)
    const unnested = unnest !== null && unnest.length === 1 && unnest[0] === column.name
    visit([column.name], unnested && type.kind === 'list' ? type.element : type, 0)
  }
  return out
}

/** The list-of-struct columns a profile may unnest. */
export function unnestCandidates(columns: readonly ColumnInfo[]): FieldPath[] {
  return columns
    .filter((c) => {
      const type = parseDuckType(c.type)
      return type.kind === 'list' && type.element.kind === 'struct'
    })
    .map((c) => [c.name])
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
  const [column, ...rest] = path
  return quoteIdent(column ?? '') + rest.map((part) => `[${quoteString(part)}]`).join('')
}
