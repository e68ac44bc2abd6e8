import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'
import { SecondFileButton } from '../open/SecondFileButton'
import './compare.css'

/**
 * "Compare with…": opens a second file beside the open one. The desktop shows the OS picker; the
 * browser build a file input (`compare-file-input`).
 */
export function CompareButton() {
  const { store } = useServices()
  const profile = useAppState(store, (s) => s.profile)
  const loading = useAppState(store, (s) => s.compare?.loading ?? null)
  return (
    <SecondFileButton
      testId="compare-button"
      inputTestId="compare-file-input"
      className="compare-button"
      title="Open a second file beside this one: a new version, another reward model, another checkpoint"
      disabled={!profile || loading !== null}
      onChoose={(request) => void store.compareFrom(request)}
    >
      Compare with…
    </SecondFileButton>
  )
}
