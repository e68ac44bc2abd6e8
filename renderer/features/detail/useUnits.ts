import { useEngineQuery } from '../../app/useEngineQuery'
import { type ReviewUnit, parseReviewUnits, reviewUnitsQuery } from '../../data/profile/review'
import type { ProfileState } from '../../data/profile/session'
import { readQuery } from '../../data/sql'

/** The units of a dataset row under a profile (code extracted), or null while read or with none. */
export function useUnits(state: ProfileState | null, row: number | null): ReviewUnit[] | null {
  const read = useEngineQuery(
    state && row !== null
      ? readQuery(reviewUnitsQuery(state.relations, state.profile, row), (rows) =>
          parseReviewUnits(rows, state.profile.scores.length),
        )
      : null,
  )
  return read.current ? (read.value ?? null) : null
}
