import { errorMessage } from '../data/errors'
import type { EngineRead } from '../data/sql'
import { useEffect, useState } from 'react'
import { useServices } from './AppContext'
import { useVersionsOf } from './useVersionsOf'

/** What a view has of a read: the last answer, whether it answers the read asked now, and why not. */
export interface EngineAnswer<T> {
  /** The last answer (possibly to an older read, to draw with until the new one arrives). */
  readonly value: T | undefined
  /** True when `value` (or `error`) answers the read asked now. */
  readonly current: boolean
  readonly error: string | null
}

/**
 * Runs an engine read whenever what it asks changes and keeps the answer for that read only, so a
 * slow answer to an old filter never replaces a newer one. A read is keyed by its SQL text and
 * parameters and, when it reads a derived relation, by the data version (flags or checks changed
 * a table under the same filter) and the build of the units (a profile change rebuilt them under
 * the same names): no view spells a key by hand.
 * A null read asks nothing: its answer is undefined and current.
 */
export function useEngineQuery<T>(read: EngineRead<T> | null): EngineAnswer<T> {
  const { engine } = useServices()
  const versions = useVersionsOf(read?.key ?? null)
  const key = read === null ? null : `${read.key}${versions}`
  const [state, setState] = useState<{ key: string; value?: T; error: string | null }>()
  useEffect(() => {
    if (key === null || read === null) return
    let live = true
    engine()
      .then(read.run)
      .then((value) => live && setState({ key, value, error: null }))
      .catch(
        (e: unknown) => live && setState((s) => ({ key, value: s?.value, error: errorMessage(e) })),
      )
    return () => {
      live = false
    }
    // `read` is a fresh object each render; its key says when what it asks really changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, key])
  if (key === null) return { value: undefined, current: true, error: null }
  return {
    value: state?.value,
    current: state?.key === key,
    error: state?.key === key ? state.error : null,
  }
}
