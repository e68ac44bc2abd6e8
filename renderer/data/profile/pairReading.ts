/**
 * How the two sides of a profile's diff relate, which decides how the diff draws them. Red and
 * green say "A's lines were removed, B's added": right when B is what A should become (a student's
 * code and its teacher's), wrong for two answers to the same question, where it reads a preference
 * pair backwards (the chosen answer in red). Those get neutral A and B colours instead.
 */
import type { CodeRole, FieldPath, Profile } from '../../../shared/profile'

/** The two sides as versions (A becomes B) or as alternatives (A or B), and which one is preferred. */
export type PairReading =
  | { readonly kind: 'versions' }
  | { readonly kind: 'alternatives'; readonly preferred: 'a' | 'b' | null }

/** Names of a side that is the one kept: the chosen answer of a preference pair. */
const PREFERRED = /^(chosen|preferred|accepted|winner|better|good|correct)\b/i
/** Names of a side that was turned down. */
const TURNED_DOWN = /^(rejected|dispreferred|loser|worse|bad|incorrect|wrong)\b/i
/** Names of a side that is the target the other should become. */
const TARGET = /^(teacher|reference|target|gold|expected|fixed|corrected|revised|after|new)\b/i
/** Names of a side that is the draft the other improves on. */
const DRAFT = /^(student|draft|buggy|before|old|original)\b/i

/** The words a side is known by: its label and the last part of its field, `_` read as a space. */
function names(role: CodeRole | null): string[] {
  if (!role) return []
  const leaf = (path: FieldPath) => (path.at(-1) ?? '').replaceAll('_', ' ')
  return [role.label.trim(), leaf(role.path)]
}

const says = (role: CodeRole | null, pattern: RegExp) => names(role).some((n) => pattern.test(n))

/**
 * The reading of a profile's pair. Code RLAIF, and any pair whose names say a draft and its
 * target (student/teacher, buggy/fixed), are versions; everything else is two alternatives:
 * preference pairs, two completions of a group (AceCode), a solution and a trial (KodCode).
 */
export function pairReading(profile: Profile): PairReading {
  const { codeA: a, codeB: b } = profile
  if (profile.family === 'code-rlaif' || says(b, TARGET) || says(a, DRAFT)) {
    return { kind: 'versions' }
  }
  const preferred =
    says(a, PREFERRED) || says(b, TURNED_DOWN)
      ? 'a'
      : says(b, PREFERRED) || says(a, TURNED_DOWN)
        ? 'b'
        : null
  return { kind: 'alternatives', preferred }
}
