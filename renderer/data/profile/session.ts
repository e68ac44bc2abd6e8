/**
 * The profile of an open dataset: detected from its columns, replaced by the one the person saved
 * for this file when that still fits, and applied as the engine's units view.
 */
import { type Profile, pickField, samePath } from '../../../shared/profile'
import type { Engine } from '../engine'
import type { LoadedDataset } from '../dataset'
import type { Relations } from '../relations'
import { sampleTextLengths } from '../rows'
import { detectProfile } from './detect'
import { findField, datasetFields } from './fields'
import { createUnitsView, unitsViewSql } from './units'
import { errorMessage } from '../errors'

/** The profile in use and where it came from. */
export interface ProfileState {
  readonly profile: Profile
  /** What detection found; "Reset" goes back to it. */
  readonly detected: Profile
  /** `saved`: the person's earlier choice for this file; `edited`: changed in this session. */
  readonly origin: 'detected' | 'saved' | 'edited'
  /** The engine relations its units are read from (one row per unit, a column per role). */
  readonly relations: Relations
  /** Why the saved profile could not be used, if it could not. */
  readonly notice: string | null
}

/** Every path a profile points at. */
function pathsOf(profile: Profile): Profile['scores'] {
  const paths = [
    profile.prompt,
    profile.language,
    profile.codeA?.path ?? null,
    profile.codeB?.path ?? null,
    pickField(profile.codeB?.fromGroup),
    profile.reward,
    profile.group,
    profile.tests,
    profile.model,
    profile.breakdown,
    ...profile.scores,
  ]
  return paths.filter((p) => p !== null)
}

/** The first path of a profile that names no field of the dataset, or null when all exist. */
export function missingField(dataset: LoadedDataset, profile: Profile): string | null {
  const fields = datasetFields(dataset, profile.unnest)
  if (profile.unnest && !dataset.columns.some((c) => samePath([c.name], profile.unnest))) {
    return profile.unnest.join('.')
  }
  const missing = pathsOf(profile).find((path) => !findField(fields, path))
  return missing ? missing.join('.') : null
}

/** Detects the profile of a freshly loaded dataset, prefers a saved one that fits, applies it. */
export async function openProfile(
  engine: Engine,
  dataset: LoadedDataset,
  saved: Profile | null,
): Promise<ProfileState> {
  const detected = detectProfile(
    dataset.columns,
    await sampleTextLengths(engine, dataset),
    dataset.jsonFields,
  )
  const apply = async (profile: Profile, notice: string | null): Promise<ProfileState> => ({
    profile,
    detected,
    origin: profile === saved ? 'saved' : 'detected',
    relations: await createUnitsView(engine, dataset, profile),
    notice,
  })
  if (!saved) return apply(detected, null)
  const missing = missingField(dataset, saved)
  if (missing !== null) {
    return apply(
      detected,
      `The roles saved for this file name ${missing}, which it no longer has; the detected roles are used.`,
    )
  }
  try {
    return await apply(saved, null)
  } catch (error) {
    return apply(detected, savedNotice(error))
  }
}

function savedNotice(error: unknown): string {
  const reason = errorMessage(error)
  return `The roles saved for this file no longer work (${reason}); the detected roles are used.`
}

/** Applies a changed profile; rejects with the engine's reason when it cannot be applied. */
export async function changeProfile(
  engine: Engine,
  dataset: LoadedDataset,
  current: ProfileState,
  profile: Profile,
): Promise<ProfileState> {
  // Labels and the family are not part of the view: changing them must not wait for a rebuild,
  // or a person typing a label outpaces it and loses letters.
  // The view's SQL names every role the units table is computed from.
  const sameView =
    unitsViewSql(current.relations, profile) === unitsViewSql(current.relations, current.profile)
  const relations = sameView ? current.relations : await createUnitsView(engine, dataset, profile)
  const same = JSON.stringify(profile) === JSON.stringify(current.detected)
  return { ...current, profile, origin: same ? 'detected' : 'edited', relations, notice: null }
}
