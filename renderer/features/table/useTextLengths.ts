import { useEngineQuery } from '../../app/useEngineQuery'
import type { LoadedDataset } from '../../data/dataset'
import { parseTextLengths, textLengthsQuery } from '../../data/rows'
import { readQuery } from '../../data/sql'

/** The longest sampled text of each text column, for sizing the table; empty until known. */
export function useTextLengths(dataset: LoadedDataset): Readonly<Record<string, number>> {
  const query = textLengthsQuery(dataset)
  const lengths = useEngineQuery(
    query && readQuery(query, (rows) => parseTextLengths(dataset, rows)),
  )
  return lengths.current ? (lengths.value ?? {}) : {}
}
