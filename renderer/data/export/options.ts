/**
 * What an export writes: the format, the optional extra columns, and the file name it suggests.
 *
 * Options are plain data: they travel into the provenance record unchanged.
 */
import { type Filter, isEmptyFilter } from '../filter'
import type { LoadedDataset } from '../dataset'

/** The formats an export can be written in. `triplets`: preference pairs as JSON Lines. */
export type ExportFormat = 'jsonl' | 'parquet' | 'csv' | 'json' | 'triplets'

/** Every format, in the order the dialog offers them. */
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  'jsonl',
  'parquet',
  'csv',
  'json',
  'triplets',
]

/** How an export is written. */
export interface ExportOptions {
  readonly format: ExportFormat
  /** Add the derived columns: folded language, extracted code of each side, re-run results, QA reasons. */
  readonly derived: boolean
  /** Add `rl_flagged` and `rl_note` from the flags. */
  readonly flags: boolean
  /** Narrow what the filter shows to flagged rows, or leave them out; null keeps the filter's choice. */
  readonly flagged: 'only' | 'exclude' | null
  /** Leave out the rows matching the reference set (contamination); off keeps the filter's choice. */
  readonly leaveOutContaminated: boolean
  /** Preference pairs: skip units whose two scores differ by less than this (ties always skipped). */
  readonly minScoreGap: number
  /**
   * CSV: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
   * `'`, so a spreadsheet shows it as text instead of running it as a formula (CSV injection).
   */
  readonly spreadsheetSafe: boolean
}

/** Original columns only, in JSON Lines. */
export const DEFAULT_EXPORT_OPTIONS: ExportOptions = {
  format: 'jsonl',
  derived: false,
  flags: false,
  flagged: null,
  leaveOutContaminated: false,
  minScoreGap: 0,
  spreadsheetSafe: true,
}

/** The file extension of a format. */
export function formatExtension(format: ExportFormat): string {
  return format === 'triplets' ? 'pairs.jsonl' : format
}

/** What a format is called in the dialog and in messages. */
export function formatLabel(format: ExportFormat): string {
  switch (format) {
    case 'jsonl':
      return 'JSON Lines'
    case 'parquet':
      return 'Parquet (zstd)'
    case 'csv':
      return 'CSV'
    case 'json':
      return 'JSON array'
    case 'triplets':
      return 'Preference pairs (JSON Lines)'
  }
}

/**
 * The filter an export applies: the one shown, narrowed by the flagged option. When the filter
 * already picks flagged (or unflagged) rows, it stands: the export never includes a row the
 * filter hides.
 */
export function exportFilter(filter: Filter, options: ExportOptions): Filter {
  const flagged =
    options.flagged === null || filter.flagged !== null
      ? filter
      : { ...filter, flagged: options.flagged }
  // Rows the filter picks for being in the reference set stay: the option never empties a choice.
  return options.leaveOutContaminated && filter.contaminated === null
    ? { ...flagged, contaminated: 'exclude' }
    : flagged
}

/**
 * The name an export suggests: the dataset's name, what the filter keeps when that is only
 * languages (`train.rust.jsonl`) or only flagged rows, `filtered` for any other filter and `all`
 * for none, so the suggestion never names the source file itself.
 */
export function suggestedName(
  dataset: LoadedDataset,
  filter: Filter,
  options: ExportOptions,
): string {
  const base = dataset.source.name.replace(/\.(jsonl|ndjson|json|parquet|pq|csv)$/i, '')
  const effective = exportFilter(filter, options)
  const others = isEmptyFilter({ ...effective, languages: [], flagged: null })
  const part =
    others && effective.flagged === null && effective.languages.length > 0
      ? effective.languages.join('+')
      : others && effective.languages.length === 0 && effective.flagged !== null
        ? effective.flagged === 'only'
          ? 'flagged'
          : 'unflagged'
        : isEmptyFilter(effective)
          ? 'all'
          : 'filtered'
  const safe = `${base}.${part}`.replace(/[^\p{L}\p{N} ._+()-]/gu, '_')
  return `${safe}.${formatExtension(options.format)}`
}
