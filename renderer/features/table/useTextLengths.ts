import { useEngineQuery } from '../../app/useEngineQuery'
import type { LoadedDataset } from '../../data/load'
import { sampleTextLengths } from '../../data/rows'

/** The longest sampled text of each text column, for sizing the table; empty until known. */
export function useTextLengths(dataset: LoadedDataset): Readonly<Record<string, number>> {
  const lengths = useEngineQuery(`text-lengths|${dataset.table}`, (e) =>
    sampleTextLengths(e, dataset),
  )
  return lengths.current ? (lengths.value ?? {}) : {}
}
