import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'

/** The detected (or chosen) family in the top bar; opens the profile editor. */
export function ProfileButton({
  open,
  onToggle,
}: {
  readonly open: boolean
  readonly onToggle: () => void
}) {
  const { store } = useServices()
  const state = useAppState(store, (s) => s.profile)
  if (!state) return null
  return (
    <button
      type="button"
      className={`button profile-button${open ? ' active' : ''}`}
      aria-expanded={open}
      data-testid="profile-button"
      title="Which column plays which role"
      onClick={onToggle}
    >
      Roles
      <span className="family-badge" data-testid="profile-family">
        {state.profile.family}
      </span>
      {state.origin !== 'detected' && <span className="muted small">edited</span>}
    </button>
  )
}
