import { useServices } from '../../app/AppContext'
import { formatCount } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { type FacetValue, facetQuery, parseFacet } from '../../data/explore'
import type { Relations } from '../../data/relations'
import { readQuery } from '../../data/sql'
import { useWarmGrammars } from '../diff/highlighter'
import { languageColor } from './languageColors'

const FACETS = {
  languages: { title: 'Language', testId: 'language-facet', colored: true },
  models: { title: 'Model', testId: 'model-facet', colored: false },
} as const

/**
 * A value filter (languages, models): every value with how many units it would show under the rest
 * of the filter; ticking narrows to the values ticked.
 */
export function Facet({
  relations,
  on,
}: {
  readonly relations: Relations
  readonly on: keyof typeof FACETS
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const { title, testId, colored } = FACETS[on]
  // The counts ignore this facet's own choice, so ticking a value does not change the query.
  const facet = useEngineQuery(readQuery(facetQuery(relations, on, filter), parseFacet))
  const values: readonly FacetValue[] = facet.value ?? []
  const chosen = filter[on]
  // The diff's colours for these languages load while the person looks at the views.
  useWarmGrammars(on === 'languages' ? values.map((v) => v.value) : [])
  // A chosen value stays listed even when the rest of the filter leaves it no units.
  const listed = [
    ...values,
    ...chosen
      .filter((c) => !values.some((v) => v.value === c))
      .map((value) => ({ value, count: 0 })),
  ]
  const toggle = (value: string) => {
    const next = chosen.includes(value) ? chosen.filter((c) => c !== value) : [...chosen, value]
    store.updateFilter({ [on]: next })
  }
  return (
    <fieldset className="facet" data-testid={testId}>
      <legend>{title}</legend>
      {listed.length === 0 && (
        <p className="muted small">{facet.current ? 'None.' : 'Counting…'}</p>
      )}
      {listed.map((v) => (
        <label key={v.value} className="facet-option" data-value={v.value}>
          <input
            type="checkbox"
            checked={chosen.includes(v.value)}
            onChange={() => toggle(v.value)}
          />
          {colored && <span className="swatch" style={{ background: languageColor(v.value) }} />}
          <span className="facet-name">{v.value}</span>
          <span className="facet-count">{formatCount(v.count)}</span>
        </label>
      ))}
    </fieldset>
  )
}
