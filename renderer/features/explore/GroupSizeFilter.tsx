import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { BoundInput } from './BoundInput'

/** Keeps groups (rows sharing a prompt, completions of a question) with a number of units in a range. */
export function GroupSizeFilter({ label }: { readonly label: string }) {
  const { store } = useServices()
  const size = useAppState(store, (s) => s.filter.groupSize)
  const set = (min: number | null, max: number | null) =>
    store.updateFilter({ groupSize: min === null && max === null ? null : { min, max } })
  return (
    <div className="group-size" data-testid="group-size-filter">
      <div className="range-head">
        <span className="range-name">Group size</span>
        <span className="muted small">units per {label}</span>
      </div>
      <div className="range-inputs">
        <BoundInput
          label="group size from"
          placeholder="from"
          value={size?.min ?? null}
          onCommit={(min) => set(min, size?.max ?? null)}
        />
        <span className="muted">–</span>
        <BoundInput
          label="group size to"
          placeholder="to"
          value={size?.max ?? null}
          onCommit={(max) => set(size?.min ?? null, max)}
        />
      </div>
    </div>
  )
}
