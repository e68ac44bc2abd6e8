import { useEffect, useState } from 'react'
import { useServices } from '../../app/AppContext'
import type { LoadedDataset } from '../../data/load'
import { sampleTextLengths } from '../../data/rows'

/** The longest sampled text of each text column, for sizing the table; empty until known. */
export function useTextLengths(dataset: LoadedDataset): Readonly<Record<string, number>> {
  const { engine } = useServices()
  const [state, setState] = useState<{ table: string; lengths: Readonly<Record<string, number>> }>()
  useEffect(() => {
    let live = true
    engine()
      .then((e) => sampleTextLengths(e, dataset))
      .then((lengths) => live && setState({ table: dataset.table, lengths }))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [engine, dataset])
  return state?.table === dataset.table ? state.lengths : {}
}
