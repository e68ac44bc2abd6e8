import { useServices } from '../../app/AppContext'
import { formatCount } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { type FacetValue, languageFacet } from '../../data/explore'
import { languageColor } from './languageColors'

/** The language filter: every language with how many units it would show; ticking narrows to those ticked. */
export function LanguageFacet({ view }: { readonly view: string }) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  // The counts ignore the language choice itself, so ticking a language does not refetch them.
  const facet = useEngineQuery(`${view}|${JSON.stringify({ ...filter, languages: [] })}`, (e) =>
    languageFacet(e, view, filter),
  )
  const values: readonly FacetValue[] = facet.value ?? []
  const chosen = new Set(filter.languages)
  // A chosen language stays listed even when the rest of the filter leaves it no units.
  const listed = [
    ...values,
    ...filter.languages
      .filter((l) => !values.some((v) => v.value === l))
      .map((value) => ({ value, count: 0 })),
  ]
  const toggle = (language: string) => {
    const next = chosen.has(language)
      ? filter.languages.filter((l) => l !== language)
      : [...filter.languages, language]
    store.updateFilter({ languages: next })
  }
  return (
    <fieldset className="facet" data-testid="language-facet">
      <legend>Language</legend>
      {listed.length === 0 && <p className="muted small">Counting…</p>}
      {listed.map((v) => (
        <label key={v.value} className="facet-option" data-value={v.value}>
          <input type="checkbox" checked={chosen.has(v.value)} onChange={() => toggle(v.value)} />
          <span className="swatch" style={{ background: languageColor(v.value) }} />
          <span className="facet-name">{v.value}</span>
          <span className="facet-count">{formatCount(v.count)}</span>
        </label>
      ))}
    </fieldset>
  )
}
