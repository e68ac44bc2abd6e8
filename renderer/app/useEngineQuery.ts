import { errorMessage } from '../data/errors'
import { useEffect, useState } from 'react'
import { useServices } from './AppContext'
import { useAppState } from './store'
import type { Engine } from '../data/engine'

/**
 * Runs an engine query whenever its key changes and keeps the answer for that key only, so a slow
 * answer to an old filter never replaces a newer one. `value` is the last answer (possibly for an
 * older key, to draw with until the new one arrives); `current` says whether it is for this key.
 */
export function useEngineQuery<T>(
  queryKey: string,
  run: (engine: Engine) => Promise<T>,
): { value: T | undefined; current: boolean; error: string | null } {
  const { engine, store } = useServices()
  // Tables under the same filter changed (flags): every query asks again.
  const version = useAppState(store, (s) => s.dataVersion)
  const key = `${queryKey}#${version}`
  const [state, setState] = useState<{ key: string; value?: T; error: string | null }>()
  useEffect(() => {
    let live = true
    engine()
      .then(run)
      .then((value) => live && setState({ key, value, error: null }))
      .catch(
        (e: unknown) =>
          live &&
          setState((s) => ({
            key,
            value: s?.value,
            error: errorMessage(e),
          })),
      )
    return () => {
      live = false
    }
    // `run` is a fresh closure each render; the key says when its query really changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, key])
  return {
    value: state?.value,
    current: state?.key === key,
    error: state?.key === key ? state.error : null,
  }
}
