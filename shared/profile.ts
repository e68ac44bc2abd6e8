/**
 * A dataset profile: which of a file's columns play which role.
 *
 * Everything after loading (review, charts, checks, export) is written against roles, never
 * against one dataset's column names. Profiles are plain data: they are saved per file by the Host
 * (desktop settings, browser local storage) and travel over IPC unchanged.
 */

/** The dataset families RewardLens recognises, and `generic` for anything else. */
export type Family =
  'code-rlaif' | 'acecode' | 'preference-pairs' | 'kodcode' | 'verl' | 'chat-preference' | 'generic'

/** Every family, in the order the profile editor lists them. */
export const FAMILIES: readonly Family[] = [
  'code-rlaif',
  'acecode',
  'preference-pairs',
  'kodcode',
  'verl',
  'chat-preference',
  'generic',
]

/**
 * Where a value lives: a column, then struct fields inside it, e.g.
 * `['metadata', 'chosen_scores', 'overall']` or `['trials', 'trial_qwen2.5_0', 'solution_code']`.
 * When the profile unnests a list column, a path that starts with that column refers to the fields
 * of one element of the list (the unit of review).
 */
export type FieldPath = readonly string[]

/**
 * The step of a path into the JSON document a text field holds: `['reward_model', 'ground_truth',
 * JSON_STEP, 'test_list']` is the `test_list` of the parsed ground truth. No JSON key can be it (a
 * NUL in a key is read as U+2400).
 */
export const JSON_STEP = '\u0000json'

/**
 * Which other unit of the group a side is taken from: the one with the highest (`best`) or lowest
 * (`worst`) value at `by`; the one whose 0-based position in the list is the value at `by` (`at`:
 * CodePrefBench's `gt_choice`); or the first other one by position (`first`). Never the unit itself:
 * when `at` points at the unit itself, the first other one is taken.
 */
export type GroupPick =
  { readonly pick: 'best' | 'worst' | 'at'; readonly by: FieldPath } | { readonly pick: 'first' }

/** The field a pick reads, if any. */
export function pickField(from: GroupPick | undefined): FieldPath | null {
  return from && from.pick !== 'first' ? from.by : null
}

/** One side of the code comparison. */
export interface CodeRole {
  readonly path: FieldPath
  /** What this side is called: "student", "teacher", "chosen", "rejected", "solution", ... */
  readonly label: string
  /**
   * When set, the code is not this unit's own but that of another unit of the same group (AceCode:
   * the best completion by pass rate; CodePrefBench: the choice `gt_choice` points at).
   */
  readonly fromGroup?: GroupPick
}

/** The roles of a dataset's columns. */
export interface Profile {
  readonly family: Family
  /** A list column whose elements are the unit of review (AceCode `inferences`), or null. */
  readonly unnest: FieldPath | null
  readonly prompt: FieldPath | null
  /** The language label as the file spells it; folded (`c++` -> `cpp`) where it is used. */
  readonly language: FieldPath | null
  /**
   * One language for the whole file (`python`), when no column says it: used instead of `language`
   * and of detection from the code. Null: the column, else detection.
   */
  readonly fixedLanguage: string | null
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
  const step = path.indexOf(JSON_STEP)
  if (step >= 0) {
    const inner = path.slice(step + 1)
    return `${pathLabel(path.slice(0, step))} → ${inner.length > 0 ? pathLabel(inner) : '(JSON)'}`
  }
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
  if (from?.pick === 'first')
    return { path: role.path, label: role.label, fromGroup: { pick: 'first' } }
  if (!from || (from.pick !== 'best' && from.pick !== 'worst' && from.pick !== 'at'))
    return undefined
  if (!isPath(from.by)) return undefined
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
    // Profiles saved before a fixed language existed have none.
    fixedLanguage:
      v.fixedLanguage === undefined || v.fixedLanguage === null
        ? null
        : typeof v.fixedLanguage === 'string' && v.fixedLanguage.trim() !== ''
          ? v.fixedLanguage.trim()
          : undefined,
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
