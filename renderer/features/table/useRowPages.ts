import { useCallback, useEffect, useRef, useState } from 'react'
import { useServices } from '../../app/AppContext'
import type { LoadedDataset } from '../../data/load'
import { PAGE_SIZE, type RowOrder, type TableRow, fetchPage } from '../../data/rows'

/** Pages kept in memory; scrolling far away drops the oldest. */
const MAX_CACHED_PAGES = 40

/** The rows of the table, fetched a page at a time as they scroll into view. */
export interface RowPages {
  /** The row at a display position, or undefined while its page loads. */
  rowAt(index: number): TableRow | undefined
  /** Asks for the pages covering display positions [first, last]. */
  request(first: number, last: number): void
  /** The message of the last failed page fetch, if any. */
  readonly error: string | null
  /** Changes whenever a page arrives or the cache is dropped. */
  readonly version: number
}

/** Fetches and caches table pages; a change of dataset or order drops everything in flight. */
export function useRowPages(dataset: LoadedDataset, order: RowOrder | null): RowPages {
  const { engine } = useServices()
  const pages = useRef(new Map<number, TableRow[]>())
  const inFlight = useRef(new Set<number>())
  const generation = useRef(0)
  const [version, setVersion] = useState(0)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    generation.current++
    pages.current = new Map()
    inFlight.current = new Set()
    setError(null)
    setVersion((v) => v + 1)
  }, [dataset, order])

  const request = useCallback(
    (first: number, last: number) => {
      const firstPage = Math.max(0, Math.floor(first / PAGE_SIZE))
      const lastPage = Math.floor(Math.max(first, last) / PAGE_SIZE)
      for (let page = firstPage; page <= lastPage; page++) {
        if (pages.current.has(page) || inFlight.current.has(page)) continue
        if (page * PAGE_SIZE >= dataset.rowCount) break
        const gen = generation.current
        inFlight.current.add(page)
        void engine()
          .then((e) => fetchPage(e, dataset, order, page))
          .then((rows) => {
            if (gen !== generation.current) return
            inFlight.current.delete(page)
            pages.current.set(page, rows)
            if (pages.current.size > MAX_CACHED_PAGES) {
              const oldest = pages.current.keys().next().value
              if (oldest !== undefined) pages.current.delete(oldest)
            }
            setVersion((v) => v + 1)
          })
          .catch((e: unknown) => {
            if (gen !== generation.current) return
            inFlight.current.delete(page)
            setError(e instanceof Error ? e.message : String(e))
          })
      }
    },
    [dataset, order, engine],
  )

  // Reads the cache at render time; every cache change re-renders through the version counter.
  const rowAt = useCallback(
    (index: number) => pages.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    [],
  )
  return { rowAt, request, error, version }
}
