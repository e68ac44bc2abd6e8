/**
 * What joins two datasets' units: a field of each (an id both share, or any two the person picks),
 * the normalised prompt, or the prompt with code A. Detection prefers an id column unique on both
 * sides; a key that repeats is reported with its counts, never multiplied into a cross product.
 */
import { type FieldPath, type Profile, pathLabel, samePath } from '../../../shared/profile'
import { quoteIdent } from '../../../shared/sql'
import type { LoadedDataset } from '../dataset'
import type { Engine } from '../engine'
import { fieldSql } from '../profile/fields'
import { UNIT_COLUMNS as U } from '../profile/units'
import type { Relations } from '../relations'

/** A field of A and the field of B that holds the same value (their names may differ). */
export interface FieldPair {
  readonly a: FieldPath
  readonly b: FieldPath
}

/**
 * How the units of the two files are paired: by one or more fields of each (all must agree: a
 * results table is keyed by challenge and model together), the normalised prompt, or the prompt
 * with code A.
 */
export type CompareKey =
  | { readonly kind: 'fields'; readonly pairs: readonly FieldPair[] }
  | { readonly kind: 'prompt' }
  | { readonly kind: 'prompt-code' }

/** One file of a comparison: its table, its roles and the relations built from them. */
export interface CompareSide {
  readonly dataset: LoadedDataset
  readonly profile: Profile
  readonly relations: Relations
}

/** How a key falls on one side. */
export interface KeyStats {
  /** Units on this side. */
  readonly units: number
  /** Units with no key value (they pair with nothing). */
  readonly missing: number
  /** Distinct key values. */
  readonly keys: number
  /** Units whose key value is shared with another row of the same file. */
  readonly repeated: number
  /** Key values shared by more than one row. */
  readonly repeatedKeys: number
}

/** The key chosen for the person, and what else they could pick. */
export interface KeyChoice {
  /** The key detection chose; null when the files share nothing to join on. */
  readonly key: CompareKey | null
  /** Columns both files have, scalar, unique on both sides with no missing value. */
  readonly uniqueColumns: readonly string[]
  /** Every column both files have by the same name (scalar), for the key editor. */
  readonly sharedColumns: readonly string[]
}

/** The key in words: `id`, `prompt (normalised)`, `metadata.model = model`. */
export function keyLabel(key: CompareKey): string {
  switch (key.kind) {
    case 'fields':
      return key.pairs
        .map(({ a, b }) => (samePath(a, b) ? pathLabel(a) : `${pathLabel(a)} = ${pathLabel(b)}`))
        .join(' + ')
    case 'prompt':
      return 'prompt (normalised)'
    case 'prompt-code':
      return 'prompt + code A (normalised)'
  }
}

/** True when two keys join the same way. */
export function sameKey(x: CompareKey | null, y: CompareKey | null): boolean {
  if (x === null || y === null) return x === y
  if (x.kind !== y.kind) return false
  if (x.kind !== 'fields' || y.kind !== 'fields') return true
  return (
    x.pairs.length === y.pairs.length &&
    x.pairs.every((p, i) => samePath(p.a, y.pairs[i]!.a) && samePath(p.b, y.pairs[i]!.b))
  )
}

/** Text folded for a key: trimmed, runs of white space as one space, lower case. */
function normalised(expr: string): string {
  return `lower(regexp_replace(trim(coalesce(${expr}, '')), '\\s+', ' ', 'g'))`
}

/**
 * SQL over a side's units view giving each unit's key as text (NULL: no key), or null when the
 * side lacks a role the key needs.
 */
export function keySql(key: CompareKey, profile: Profile, side: 'a' | 'b'): string | null {
  switch (key.kind) {
    case 'fields': {
      const values = key.pairs.map((p) => `TRY_CAST(${fieldSql(p[side])} AS VARCHAR)`)
      if (values.length === 1) return values[0]!
      // Every field must have a value; the separator cannot be typed into a field by accident.
      return `CASE WHEN ${values.map((v) => `${v} IS NULL`).join(' OR ')} THEN NULL ELSE concat_ws(chr(31), ${values.join(', ')}) END`
    }
    case 'prompt':
      return profile.prompt
        ? `CASE WHEN ${U.prompt} IS NULL THEN NULL ELSE md5(${normalised(U.prompt)}) END`
        : null
    case 'prompt-code':
      return profile.prompt && profile.codeA
        ? `CASE WHEN ${U.prompt} IS NULL AND ${U.codeARaw} IS NULL THEN NULL ELSE md5(${normalised(U.prompt)} || chr(0) || ${normalised(U.codeARaw)}) END`
        : null
  }
}

/** How a key falls on one side: units, missing values, repeats across rows. */
export async function keyStats(
  engine: Engine,
  side: CompareSide,
  keyExpr: string,
): Promise<KeyStats> {
  const result = await engine.query(
    `WITH k AS (SELECT ${keyExpr} AS k, ${U.row} AS r FROM ${quoteIdent(side.relations.units)}),
          g AS (SELECT k, count(*) AS n, count(DISTINCT r) AS rows FROM k WHERE k IS NOT NULL GROUP BY k)
     SELECT (SELECT count(*) FROM k) AS units,
            (SELECT count(*) FROM k WHERE k IS NULL) AS missing,
            (SELECT count(*) FROM g) AS keys,
            (SELECT coalesce(sum(n), 0) FROM g WHERE rows > 1) AS repeated,
            (SELECT count(*) FROM g WHERE rows > 1) AS repeated_keys`,
  )
  const row = result.rows[0] ?? {}
  return {
    units: Number(row.units ?? 0),
    missing: Number(row.missing ?? 0),
    keys: Number(row.keys ?? 0),
    repeated: Number(row.repeated ?? 0),
    repeatedKeys: Number(row.repeated_keys ?? 0),
  }
}

/** True when every unit has a key value and no value is shared by two rows. */
export function isUnique(stats: KeyStats): boolean {
  return stats.missing === 0 && stats.repeated === 0
}

/** Column names that say "identifier": `id`, `uuid`, `task_id`, `question_id`, `idx`... */
const ID_NAME = /^(id|uid|uuid|guid|key|idx|index)$|[_-](id|uid|uuid|key|idx)$|[a-z]Id$/i

/** Scalar columns both datasets have by the same name, in A's order. */
function sharedScalarColumns(a: LoadedDataset, b: LoadedDataset): string[] {
  const scalar = (kind: string) => kind === 'number' || kind === 'text' || kind === 'time'
  const inB = new Map(b.columns.map((c) => [c.name, c]))
  return a.columns
    .filter((c) => scalar(c.kind) && scalar(inB.get(c.name)?.kind ?? 'other'))
    .map((c) => c.name)
}

/** Columns of a table unique with no missing value, among `names`, in one scan. */
async function uniqueOf(
  engine: Engine,
  table: string,
  names: readonly string[],
): Promise<Set<string>> {
  if (names.length === 0) return new Set()
  const result = await engine.query(
    `SELECT count(*) AS n, ${names
      .map(
        (name, i) =>
          `count(DISTINCT ${quoteIdent(name)}) AS d${i}, count(${quoteIdent(name)}) AS c${i}`,
      )
      .join(', ')} FROM ${quoteIdent(table)}`,
  )
  const row = result.rows[0] ?? {}
  const n = Number(row.n ?? 0)
  return new Set(
    names.filter(
      (_, i) => n > 0 && Number(row[`d${i}`] ?? 0) === n && Number(row[`c${i}`] ?? 0) === n,
    ),
  )
}

/**
 * Chooses the key for two sides: an id-named column both share that is unique on both, else the
 * normalised prompt, else the prompt with code A, whichever is unique on both sides; else the
 * best of those that exists, reported as repeating (with the columns that would be unique).
 */
export async function detectKey(
  engine: Engine,
  a: CompareSide,
  b: CompareSide,
): Promise<KeyChoice> {
  const shared = sharedScalarColumns(a.dataset, b.dataset)
  const uniqueIn = async (names: readonly string[]) => {
    const inA = await uniqueOf(engine, a.dataset.table, names)
    const inB = await uniqueOf(engine, b.dataset.table, [...inA])
    return names.filter((n) => inB.has(n))
  }
  // An id column first: one scan of the id-named columns alone.
  const ids = await uniqueIn(shared.filter((n) => ID_NAME.test(n)))
  if (ids.length > 0) {
    return { key: fieldsKey(ids[0]!), uniqueColumns: ids, sharedColumns: shared }
  }
  const textKeys: CompareKey[] = [{ kind: 'prompt' }, { kind: 'prompt-code' }]
  const usable = textKeys.filter(
    (key) => keySql(key, a.profile, 'a') !== null && keySql(key, b.profile, 'b') !== null,
  )
  for (const key of usable) {
    const [sa, sb] = [
      await keyStats(engine, a, keySql(key, a.profile, 'a')!),
      await keyStats(engine, b, keySql(key, b.profile, 'b')!),
    ]
    if (isUnique(sa) && isUnique(sb)) return { key, uniqueColumns: [], sharedColumns: shared }
  }
  // Nothing unique: the most specific key there is, shown with its repeats, and every column
  // unique on both sides offered instead.
  const fallback = usable.at(-1) ?? (shared[0] !== undefined ? fieldsKey(shared[0]) : null)
  return { key: fallback, uniqueColumns: await uniqueIn(shared), sharedColumns: shared }
}

/** A key on one column both files have by that name. */
export function fieldsKey(column: string): CompareKey {
  return { kind: 'fields', pairs: [{ a: [column], b: [column] }] }
}
