import { useCallback, useRef, useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useVersionsOf } from '../../app/useVersionsOf'
import type { LoadedDataset } from '../../data/dataset'
import type { RowSource } from '../../data/filter'
import { PAGE_SIZE, type RowOrder, type TableRow, fetchPage } from '../../data/rows'
import { sqlKey } from '../../data/sql'

/** Pages kept in memory; scrolling far away drops the oldest. */
const MAX_CACHED_PAGES = 40

/** The rows of the table, fetched a page at a time as they scroll into view. */
export interface RowPages {
  /** The row at a display position, or undefined while its page loads. */
  readonly rowAt: (index: number) => TableRow | undefined
  /** Asks for the pages covering display positions [first, last]. */
  readonly request: (first: number, last: number) => void
  /** The message of the last failed page fetch, if any. */
  readonly error: string | null
  /** Changes whenever a page arrives. */
  readonly version: number
  /**
   * Names the rows in their order: changes with the dataset, the order, the filter and whatever
   * changes the filter's rows under the same query (flags, a rebuild of the units).
   */
  readonly viewKey: string
}

/**
 * Fetches and caches table pages. Pages are keyed by dataset and order as well as number, so a
 * new order never shows rows of the old one, and answers to stale requests are simply unused.
 */
export function useRowPages(
  dataset: LoadedDataset,
  order: RowOrder | null,
  source: RowSource,
  rowCount: number,
): RowPages {
  const { engine } = useServices()
  // Flags or a rebuild of the units change which rows a filter shows, under the same query; the
  // unfiltered table's rows never change (so its cursor and scroll stay put when the roles arrive).
  const where = sqlKey(source.where)
  const versions = useVersionsOf(where)
  const viewKey = `${dataset.table}|${order?.column ?? ''}|${order?.direction ?? ''}|${source.from}|${where}${versions}`
  const pages = useRef(new Map<string, TableRow[]>())
  const inFlight = useRef(new Set<string>())
  const [version, setVersion] = useState(0)
  const [failure, setFailure] = useState<{ viewKey: string; message: string } | null>(null)

  const request = useCallback(
    (first: number, last: number) => {
      const firstPage = Math.max(0, Math.floor(first / PAGE_SIZE))
      const lastPage = Math.floor(Math.max(first, last) / PAGE_SIZE)
      for (let page = firstPage; page <= lastPage; page++) {
        const key = `${viewKey}#${page}`
        if (pages.current.has(key) || inFlight.current.has(key)) continue
        if (page * PAGE_SIZE >= rowCount) break
        inFlight.current.add(key)
        void engine()
          .then((e) => fetchPage(e, dataset, order, page, source))
          .then((rows) => {
            pages.current.set(key, rows)
            if (pages.current.size > MAX_CACHED_PAGES) {
              const oldest = pages.current.keys().next().value
              if (oldest !== undefined) pages.current.delete(oldest)
            }
            setVersion((v) => v + 1)
          })
          .catch((e: unknown) =>
            setFailure({ viewKey, message: e instanceof Error ? e.message : String(e) }),
          )
          .finally(() => inFlight.current.delete(key))
      }
    },
    [dataset, order, engine, viewKey, source, rowCount],
  )

  // Reads the cache at render time; every cache change re-renders through the version counter.
  const rowAt = useCallback(
    (index: number) =>
      pages.current.get(`${viewKey}#${Math.floor(index / PAGE_SIZE)}`)?.[index % PAGE_SIZE],
    [viewKey],
  )
  const error = failure?.viewKey === viewKey ? failure.message : null
  return { rowAt, request, error, version, viewKey }
}
