import { useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { numericFields } from '../../data/explore'
import type { LoadedDataset } from '../../data/load'
import { LanguageFacet } from './LanguageFacet'
import { RangeFilter } from './RangeFilter'
import { SearchBox } from './SearchBox'
import { SqlWhereBox } from './SqlWhereBox'

/** The filters on the left: search, languages, a range for every score and numeric column, SQL. */
export function FilterPanel({ dataset }: { readonly dataset: LoadedDataset }) {
  const { store } = useServices()
  const profile = useAppState(store, (s) => s.profile)
  const [showOthers, setShowOthers] = useState(false)
  if (!profile) return <aside className="filter-panel" />
  const fields = numericFields(dataset, profile.profile)
  const roles = fields.filter((f) => f.role)
  const others = fields.filter((f) => !f.role)
  return (
    <aside className="filter-panel" aria-label="Filters">
      <SearchBox />
      <LanguageFacet view={profile.view} />
      {roles.map((field) => (
        <RangeFilter key={field.key} view={profile.view} field={field} />
      ))}
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
              <RangeFilter key={field.key} view={profile.view} field={field} />
            ))}
        </div>
      )}
      <SqlWhereBox view={profile.view} />
    </aside>
  )
}
