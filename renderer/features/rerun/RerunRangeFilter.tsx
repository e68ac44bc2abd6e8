import { useServices } from '../../app/AppContext'
import type { NumericField } from '../../data/explore'
import { UNIT_COLUMNS as U } from '../../data/profile/units'
import type { Relations } from '../../data/relations'
import { RangeFilter } from '../explore/RangeFilter'
import { rerunController, useRerunState } from './rerunController'

/** The re-run pass rate as a number to filter and chart, once some unit has one. */
const FIELD: NumericField = { key: U.rerunPassRate, path: [U.rerunPassRate], role: true }

/** A range filter with a histogram of the re-run pass rate, shown once tests have run. */
export function RerunRangeFilter({
  relations,
  split,
}: {
  readonly relations: Relations
  readonly split: boolean
}) {
  const controller = rerunController(useServices())
  const hasResults = useRerunState(controller, (s) =>
    [...s.outcomes.values()].some((o) => o.runnable),
  )
  return hasResults ? <RangeFilter relations={relations} field={FIELD} split={split} /> : null
}
