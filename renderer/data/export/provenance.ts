/**
 * The provenance record written beside every export as `<name>.meta.json`: where the rows came
 * from (file names, sizes, SHA-256), how they were chosen (the filter as data and as SQL), what
 * was written (format, options, columns, counts) and by what (app version, time).
 */
import { createSHA256 } from 'hash-wasm'
import type { DatasetFile } from '../../../shared/host'
import type { Profile } from '../../../shared/profile'
import { pathLabel } from '../../../shared/profile'
import type { SqlParam } from '../engine'
import { type Filter, compareLabel, contaminatedLabel, nearDupLabel, rangeLabel } from '../filter'
import { quoteString } from '../../../shared/sql'
import type { ExportOptions } from './options'

/** Version of the provenance record's layout. */
export const META_FORMAT = 'rewardlens-export-meta/1'

/** A filter in words: `language = rust`, `reward ≥ 0.5; search "vec"`; `none` when it keeps all. */
export function describeFilter(filter: Filter): string {
  const parts: string[] = []
  if (filter.languages.length === 1) parts.push(`language = ${filter.languages[0]}`)
  else if (filter.languages.length > 1) parts.push(`language in (${filter.languages.join(', ')})`)
  for (const [name, range] of Object.entries(filter.ranges)) {
    const key = rangeLabel(name)
    if (range.min !== null && range.max !== null) parts.push(`${range.min} ≤ ${key} ≤ ${range.max}`)
    else if (range.min !== null) parts.push(`${key} ≥ ${range.min}`)
    else if (range.max !== null) parts.push(`${key} ≤ ${range.max}`)
  }
  if (filter.models.length === 1) parts.push(`model = ${filter.models[0]}`)
  else if (filter.models.length > 1) parts.push(`model in (${filter.models.join(', ')})`)
  if (filter.groupSize) {
    const { min, max } = filter.groupSize
    if (min !== null) parts.push(`group size ≥ ${min}`)
    if (max !== null) parts.push(`group size ≤ ${max}`)
  }
  if (filter.search.trim() !== '') parts.push(`search "${filter.search.trim()}"`)
  if (filter.rules.length > 0) parts.push(`QA: ${filter.rules.join(' or ')}`)
  if (filter.flagged === 'only') parts.push('flagged rows only')
  if (filter.flagged === 'exclude') parts.push('flagged rows left out')
  if (filter.compare) parts.push(`compared: ${compareLabel(filter.compare)}`)
  if (filter.nearDup) parts.push(nearDupLabel(filter.nearDup))
  if (filter.contaminated) parts.push(contaminatedLabel(filter.contaminated))
  if (filter.where.trim() !== '') parts.push(`where ${filter.where.trim()}`)
  return parts.length > 0 ? parts.join('; ') : 'none'
}

/** A SQL literal for a parameter value. */
function literal(value: SqlParam): string {
  if (value === null) return 'NULL'
  if (typeof value === 'string') return quoteString(value)
  return String(value)
}

/**
 * SQL with its `?` parameters written in as literals, for people to read and rerun. Question marks
 * inside string literals and quoted names are left alone.
 */
export function inlineParams(sql: string, params: readonly SqlParam[]): string {
  let out = ''
  let next = 0
  let quote: string | null = null
  for (const char of sql) {
    if (quote !== null) {
      if (char === quote) quote = null
      out += char
    } else if (char === "'" || char === '"') {
      quote = char
      out += char
    } else if (char === '?' && next < params.length) {
      out += literal(params[next++]!)
    } else out += char
  }
  return out
}

/** Reads bytes [start, end) of a source file. */
export type ReadBytes = (fileId: string, start: number, end: number) => Promise<Uint8Array>

const HASH_CHUNK = 8 * 1024 * 1024
/** Bytes hashed between two pauses that let the page draw and answer clicks. */
const HASH_SLICE = 2 * 1024 * 1024
/** A hash under way or done, with whoever wants to hear how far it has got. */
interface Hashing {
  readonly result: Promise<string>
  readonly listeners: Set<(done: number) => void>
}

const hashes = new WeakMap<DatasetFile, Hashing>()

/** Lets the page draw and handle input before the next slice of work. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}

/**
 * The SHA-256 of a source file, read in chunks (the next read overlapping the hashing of the
 * current one) and hashed in slices with pauses between, so the window stays responsive.
 * Remembered per opened file: the dialog starts it when it opens and the export reuses it,
 * hearing its progress from wherever it has got to.
 */
export async function sourceHash(
  file: DatasetFile,
  readBytes: ReadBytes,
  onBytes?: (done: number) => void,
): Promise<string> {
  let hashing = hashes.get(file)
  if (!hashing) {
    const listeners = new Set<(done: number) => void>()
    const result = hashFile(file, readBytes, (done) => {
      for (const listener of listeners) listener(done)
    })
    hashing = { result, listeners }
    hashes.set(file, hashing)
    result.catch(() => hashes.delete(file))
  }
  if (!onBytes) return hashing.result
  hashing.listeners.add(onBytes)
  try {
    const hex = await hashing.result
    onBytes(file.size)
    return hex
  } finally {
    hashing.listeners.delete(onBytes)
  }
}

async function hashFile(
  file: DatasetFile,
  readBytes: ReadBytes,
  onBytes: (done: number) => void,
): Promise<string> {
  // Incremental, unlike Web Crypto's `digest`, which takes the whole input at once: a source can be
  // 5 GB. hash-wasm embeds its WebAssembly, so it works offline under the CSP's 'wasm-unsafe-eval'.
  const hash = await createSHA256()
  const read = (start: number) => readBytes(file.id, start, Math.min(file.size, start + HASH_CHUNK))
  let next = file.size > 0 ? read(0) : null
  for (let start = 0; start < file.size; start += HASH_CHUNK) {
    const chunk = await next!
    const end = Math.min(file.size, start + HASH_CHUNK)
    next = end < file.size ? read(end) : null
    next?.catch(() => undefined)
    for (let at = 0; at < chunk.length; at += HASH_SLICE) {
      hash.update(chunk.subarray(at, at + HASH_SLICE))
      onBytes(start + Math.min(chunk.length, at + HASH_SLICE))
      await pause()
    }
  }
  return hash.digest('hex')
}

/** A column of the export as the record lists it. */
export interface MetaColumn {
  readonly name: string
  /** DuckDB's spelling of the type the values had in RewardLens. */
  readonly type: string
  /** `source`: a column of the file; `derived`: computed by RewardLens. */
  readonly origin: 'source' | 'derived'
}

/** Counts of a preference-pairs export. */
export interface PairCounts {
  /** Units the filter shows. */
  readonly units: number
  /** Pairs written. */
  readonly written: number
  /** Units whose two scores are equal. */
  readonly ties: number
  /** Units whose scores differ by less than the minimum gap. */
  readonly belowGap: number
  /** Units missing a side's code or score. */
  readonly incomplete: number
}

/** Everything the record says. */
export interface MetaInput {
  readonly appVersion: string
  readonly exportedAt: Date
  readonly fileName: string
  readonly bytes: number
  readonly options: ExportOptions
  /** How the rows were written, in words. */
  readonly encoding: string
  readonly source: {
    readonly name: string
    readonly format: string
    readonly rows: number
    readonly skippedRecords: number
    readonly files: readonly {
      readonly name: string
      readonly size: number
      readonly sha256: string
    }[]
  }
  /** The second file of a comparison the filter may read (null: not comparing). */
  readonly compared?: {
    readonly name: string
    readonly format: string
    readonly rows: number
    /** The key that paired the two files' rows, in words. */
    readonly key: string
    /** Which side of the comparison the exported source is (the compared file is the other). */
    readonly side: 'A' | 'B'
    readonly files: readonly {
      readonly name: string
      readonly size: number
      readonly sha256: string
    }[]
  } | null
  readonly filter: Filter
  /** The full query that selects the exported rows, parameters written in. */
  readonly sql: string
  readonly rows: { readonly exported: number; readonly shown: number; readonly total: number }
  readonly columns: readonly MetaColumn[]
  readonly profile: Profile | null
  readonly pairs: PairCounts | null
}

/** The provenance record as JSON text (pretty, one trailing newline). */
export function provenanceJson(input: MetaInput): string {
  const { options } = input
  // Where the rows came from and how they were chosen first: what a reader looks for.
  const meta = {
    format_version: META_FORMAT,
    source: {
      name: input.source.name,
      format: input.source.format,
      rows: input.source.rows,
      skipped_records: input.source.skippedRecords,
      files: input.source.files,
    },
    ...(input.compared ? { compared_with: input.compared } : {}),
    filter: {
      description: describeFilter(input.filter),
      structured: input.filter,
      sql: input.sql,
    },
    rows: input.rows,
    export: {
      file: input.fileName,
      format: options.format,
      bytes: input.bytes,
      rows: input.rows.exported,
      encoding: input.encoding,
      options: {
        derived_columns: options.derived,
        flags_and_notes: options.flags,
        flagged: options.flagged ?? 'as filtered',
        ...(options.format === 'triplets' ? { min_score_gap: options.minScoreGap } : {}),
        ...(options.format === 'parquet' ? { compression: 'zstd' } : {}),
      },
    },
    ...(input.pairs
      ? {
          pairs: {
            units: input.pairs.units,
            written: input.pairs.written,
            skipped_ties: input.pairs.ties,
            skipped_below_gap: input.pairs.belowGap,
            skipped_incomplete: input.pairs.incomplete,
          },
        }
      : {}),
    columns: input.columns,
    ...(input.profile ? { roles: rolesOf(input.profile) } : {}),
    app: { name: 'RewardLens', version: input.appVersion },
    exported_at: input.exportedAt.toISOString(),
  }
  return `${JSON.stringify(meta, null, 2)}\n`
}

/** The roles a profile assigns, as field labels, for the record. */
function rolesOf(profile: Profile): Record<string, unknown> {
  const label = (path: readonly string[] | null) => (path ? pathLabel(path) : null)
  return {
    family: profile.family,
    unnest: label(profile.unnest),
    prompt: label(profile.prompt),
    language: label(profile.language),
    code_a: profile.codeA ? { field: label(profile.codeA.path), label: profile.codeA.label } : null,
    code_b: profile.codeB ? { field: label(profile.codeB.path), label: profile.codeB.label } : null,
    scores: profile.scores.map((s) => pathLabel(s)),
    reward: label(profile.reward),
    model: label(profile.model),
  }
}
