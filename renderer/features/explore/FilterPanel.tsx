import { useState } from 'react'
import { pathLabel } from '../../../shared/profile'
import { useServices } from '../../app/AppContext'
import { Checkbox } from '../../app/Checkbox'
import { useAppState } from '../../app/store'
import { numericFields } from '../../data/explore'
import type { LoadedDataset } from '../../data/dataset'
import { FlagsFilter } from '../flags/FlagsFilter'
import { NearDupFacet } from '../neardup/NearDupFacet'
import { QaSection } from '../qa/QaSection'
import { RerunRangeFilter } from '../rerun/RerunRangeFilter'
import { Facet } from './Facet'
import { GroupSizeFilter } from './GroupSizeFilter'
import { RangeFilter } from './RangeFilter'
import { SearchBox } from './SearchBox'
import { SqlWhereBox } from './SqlWhereBox'

/** The filters on the left: search, languages, a range for every score and numeric column, SQL. */
export function FilterPanel({ dataset }: { readonly dataset: LoadedDataset }) {
  const { store } = useServices()
  const profile = useAppState(store, (s) => s.profile)
  const [showOthers, setShowOthers] = useState(false)
  const [split, setSplit] = useState(false)
  if (!profile) return <aside className="filter-panel" />
  const fields = numericFields(dataset, profile.profile)
  const roles = fields.filter((f) => f.role)
  const others = fields.filter((f) => !f.role)
  return (
    <aside className="filter-panel" aria-label="Filters">
      <SearchBox />
      <FlagsFilter />
      <QaSection relations={profile.relations} />
      <NearDupFacet relations={profile.relations} />
      <Facet relations={profile.relations} on="languages" />
      <Checkbox
        testId="histogram-split"
        className="small split-choice"
        checked={split}
        onChange={setSplit}
      >
        Histograms: languages side by side
      </Checkbox>
      {profile.profile.model && <Facet relations={profile.relations} on="models" />}
      {roles.map((field) => (
        <RangeFilter key={field.key} relations={profile.relations} field={field} split={split} />
      ))}
      <RerunRangeFilter relations={profile.relations} split={split} />
      {others.length > 0 && (
        <div className="other-fields">
          <button
            type="button"
            className="button link small"
            aria-expanded={showOthers}
            onClick={() => setShowOthers((v) => !v)}
          >
            {showOthers ? '▾' : '▸'} {others.length} more numeric{' '}
            {others.length === 1 ? 'column' : 'columns'}
          </button>
          {showOthers &&
            others.map((field) => (
              <RangeFilter
                key={field.key}
                relations={profile.relations}
                field={field}
                split={split}
              />
            ))}
        </div>
      )}
      {profile.profile.group && <GroupSizeFilter label={pathLabel(profile.profile.group)} />}
      <SqlWhereBox relations={profile.relations} dataset={dataset} profile={profile.profile} />
    </aside>
  )
}
