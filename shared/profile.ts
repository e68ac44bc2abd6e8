/**
 * A dataset profile: which of a file's columns play which role.
 *
 * Everything after loading (review, charts, checks, export) is written against roles, never
 * against one dataset's column names. Profiles are plain data: they are saved per file by the Host
 * (desktop settings, browser local storage) and travel over IPC unchanged.
 */

/** The dataset families RewardLens recognises, and `generic` for anything else. */
export type Family = 'code-rlaif' | 'acecode' | 'preference-pairs' | 'kodcode' | 'generic'

/** Every family, in the order the profile editor lists them. */
export const FAMILIES: readonly Family[] = [
  'code-rlaif',
  'acecode',
  'preference-pairs',
  'kodcode',
  'generic',
]

/**
 * Where a value lives: a column, then struct fields inside it, e.g.
 * `['metadata', 'chosen_scores', 'overall']` or `['trials', 'trial_qwen2.5_0', 'solution_code']`.
 * When the profile unnests a list column, a path that starts with that column refers to the fields
 * of one element of the list (the unit of review).
 */
export type FieldPath = readonly string[]

/** One side of the code comparison. */
export interface CodeRole {
  readonly path: FieldPath
  /** What this side is called: "student", "teacher", "chosen", "rejected", "solution", ... */
  readonly label: string
  /**
   * When set, the code is not this unit's own but that of another unit of the same group: the one
   * with the highest (`best`) or lowest (`worst`) value at `by` (AceCode: best completion by pass rate).
   */
  readonly fromGroup?: { readonly pick: 'best' | 'worst'; readonly by: FieldPath }
}

/** The roles of a dataset's columns. */
export interface Profile {
  readonly family: Family
  /** A list column whose elements are the unit of review (AceCode `inferences`), or null. */
  readonly unnest: FieldPath | null
  readonly prompt: FieldPath | null
  /** The language label as the file spells it; folded (`c++` -> `cpp`) where it is used. */
  readonly language: FieldPath | null
  readonly codeA: CodeRole | null
  readonly codeB: CodeRole | null
  /** Numeric scores, in the order they are shown. */
  readonly scores: readonly FieldPath[]
  readonly reward: FieldPath | null
  /** Units sharing this value form a group (completions of one question, rows of one prompt). */
  readonly group: FieldPath | null
  /** The tests the code is judged by, shown beside it (AceCode `test_cases`, KodCode `test_code`). */
  readonly tests: FieldPath | null
  /** The model that wrote a unit's code, when the file says. */
  readonly model: FieldPath | null
  /** A struct of numbers that explains a score (code-rlaif `scoring_breakdown`), shown field by field. */
  readonly breakdown: FieldPath | null
}

/** A field path as people read it: `metadata.chosen_scores.overall`, quoting parts with dots. */
export function pathLabel(path: FieldPath): string {
  return path
    .map((part) =>
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? part : `"${part.replaceAll('"', '""')}"`,
    )
    .join('.')
}

/** True when two paths name the same field. */
export function samePath(a: FieldPath | null, b: FieldPath | null): boolean {
  if (a === null || b === null) return a === b
  return a.length === b.length && a.every((part, i) => part === b[i])
}

function isPath(value: unknown): value is FieldPath {
  return Array.isArray(value) && value.length > 0 && value.every((p) => typeof p === 'string')
}

function pathOrNull(value: unknown): FieldPath | null | undefined {
  if (value === null) return null
  return isPath(value) ? value : undefined
}

function codeRoleOrNull(value: unknown): CodeRole | null | undefined {
  if (value === null) return null
  if (typeof value !== 'object' || value === undefined) return undefined
  const role = value as Record<string, unknown>
  if (!isPath(role.path) || typeof role.label !== 'string') return undefined
  if (role.fromGroup === undefined) return { path: role.path, label: role.label }
  const from = role.fromGroup as Record<string, unknown> | null
  if (!from || (from.pick !== 'best' && from.pick !== 'worst') || !isPath(from.by)) return undefined
  return { path: role.path, label: role.label, fromGroup: { pick: from.pick, by: from.by } }
}

/**
 * A profile read back from storage, checked field by field; null when it is not a profile (an old
 * or damaged entry must never break opening the file: the detected profile is used instead).
 */
export function parseProfile(value: unknown): Profile | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (!FAMILIES.includes(v.family as Family)) return null
  const profile = {
    family: v.family as Family,
    unnest: pathOrNull(v.unnest),
    prompt: pathOrNull(v.prompt),
    language: pathOrNull(v.language),
    codeA: codeRoleOrNull(v.codeA),
    codeB: codeRoleOrNull(v.codeB),
    scores: Array.isArray(v.scores) && v.scores.every(isPath) ? v.scores : undefined,
    reward: pathOrNull(v.reward),
    group: pathOrNull(v.group),
    tests: pathOrNull(v.tests),
    model: pathOrNull(v.model),
    breakdown: pathOrNull(v.breakdown),
  }
  return Object.values(profile).some((field) => field === undefined) ? null : (profile as Profile)
}
