/**
 * Saved test re-run results: what the Host keeps per dataset (desktop: a sidecar beside it;
 * browser: local storage), so reopening a file shows its results without running anything.
 * Each entry names its unit and the hash of what ran (code, tests, runner version): an entry whose
 * unit no longer hashes the same (the file or the roles changed) is simply not used.
 */

/** One unit's saved result. The result itself is the renderer's `UnitResult`, kept as data. */
export interface SavedRerun {
  readonly row: number
  readonly item: number | null
  readonly hash: string
  readonly result: unknown
}

/** Everything saved for one dataset. */
export interface RerunDocument {
  readonly version: 1
  readonly entries: readonly SavedRerun[]
}

/** How a re-run sidecar's name ends: `train.jsonl` keeps its results in `train.jsonl.rewardlens-rerun.json`. */
export const RERUN_SIDECAR_SUFFIX = '.rewardlens-rerun.json'

/** A re-run document read back from storage or received over IPC; null when it is not one. */
export function parseRerunDocument(value: unknown): RerunDocument | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as { version?: unknown; entries?: unknown }
  if (v.version !== 1 || !Array.isArray(v.entries)) return null
  const entries: SavedRerun[] = []
  for (const e of v.entries as unknown[]) {
    if (typeof e !== 'object' || e === null) return null
    const { row, item, hash, result } = e as Record<string, unknown>
    if (typeof row !== 'number' || !Number.isSafeInteger(row) || row < 0) return null
    if (item !== null && (typeof item !== 'number' || !Number.isSafeInteger(item))) return null
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return null
    if (typeof result !== 'object' || result === null) return null
    entries.push({ row, item, hash, result })
  }
  return { version: 1, entries }
}
