/**
 * Flags and notes: what a QA person marked as wrong, kept in a sidecar beside the dataset.
 *
 * A flag names its row twice: by position and by a hash of the row's content. Reopening the file
 * checks both, so a reordered or edited file is noticed and reported, never silently misattributed.
 */

/** One flagged row. */
export interface RowFlag {
  /**
   * The row's 0-based position in the dataset (its engine rowid): where it was flagged, or where
   * its content was found when the file was last opened and saved.
   */
  readonly row: number
  /** Hex hash of the row's content when it was flagged. */
  readonly hash: string
  /** The person's note; empty when they gave none. */
  readonly note: string
  /** ISO time of the last change to this flag. */
  readonly at: string
}

/** Everything saved for one dataset. */
export interface FlagsDocument {
  readonly version: 1
  /** The dataset the flags were made on, to tell the person when a different file sits at its path. */
  readonly dataset: { readonly name: string; readonly size: number }
  /** In row order, at most one entry per row and hash (see `compareFlags` for why not per row). */
  readonly flags: readonly RowFlag[]
}

/** A flags document as the Host found it, with where it is kept (shown to the person). */
export interface SavedFlags {
  readonly document: FlagsDocument
  /** A path on the desktop (`train.jsonl.rewardlens.json`), a description in the browser. */
  readonly location: string
}

/**
 * How a flags sidecar's name ends (`train.jsonl.rewardlens.json`, a folder's `.rewardlens.json`).
 * Such a file is never a dataset, though its extension says JSON.
 */
export const SIDECAR_SUFFIX = '.rewardlens.json'

/** The longest note a flag keeps, in characters; the editor stops there, and a longer one is invalid. */
export const MAX_NOTE_CHARS = 10_000

/**
 * How a Host ends the message of saved flags it could not read but set aside. Only the message
 * crosses IPC, so the renderer tells "set aside: start afresh" from "left in place: do not
 * overwrite" by this phrase.
 */
export const FLAGS_SET_ASIDE = 'so nothing in them is lost.'

/** A document with no flags yet, for a dataset that has none saved. */
export function emptyFlags(dataset: FlagsDocument['dataset']): FlagsDocument {
  return { version: 1, dataset: { name: dataset.name, size: dataset.size }, flags: [] }
}

/**
 * Orders flags by row, then by hash.
 *
 * A row can carry two entries: a live flag and an orphaned one (a flag whose row was edited, kept
 * with its old position until the person deals with it), so a flag is named by row and hash.
 */
export function compareFlags(a: RowFlag, b: RowFlag): number {
  return a.row - b.row || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0)
}

/** True when two flags name the same row content at the same position. */
function sameFlag(a: Pick<RowFlag, 'row' | 'hash'>, b: Pick<RowFlag, 'row' | 'hash'>): boolean {
  return a.row === b.row && a.hash === b.hash
}

/** The document with `flag` added, or replacing the flag with its row and hash (a new note). */
export function setFlag(doc: FlagsDocument, flag: RowFlag): FlagsDocument {
  const flags = [...doc.flags.filter((item) => !sameFlag(item, flag)), flag]
  return { ...doc, flags: flags.sort(compareFlags) }
}

/** The document without the flag on `row` whose content hash is `hash`. */
export function removeFlag(doc: FlagsDocument, flag: Pick<RowFlag, 'row' | 'hash'>): FlagsDocument {
  return { ...doc, flags: doc.flags.filter((item) => !sameFlag(item, flag)) }
}

/** The key naming a flag: its row and its content hash. */
function flagKey(flag: Pick<RowFlag, 'row' | 'hash'>): string {
  return `${flag.row}:${flag.hash}`
}

/** True when two documents hold the same flags, notes and times. */
export function sameFlags(a: FlagsDocument, b: FlagsDocument): boolean {
  return JSON.stringify(a.flags) === JSON.stringify(b.flags)
}

/**
 * Merges two edits of one flags document: `mine` (this window's) and `theirs` (what another tab,
 * window or machine saved meanwhile), both made from `base`, the document this window last read
 * or wrote. Each side's additions, changes and removals since `base` are kept; a flag only one
 * side changed takes that side's version (whatever the clocks say); when both changed the same
 * flag (by row and hash), the later change (`at`) wins; and a flag one side changed is kept even
 * if the other removed it, so no note is lost silently.
 */
export function mergeFlags(
  base: FlagsDocument,
  mine: FlagsDocument,
  theirs: FlagsDocument,
): FlagsDocument {
  const index = (doc: FlagsDocument) => new Map(doc.flags.map((f) => [flagKey(f), f]))
  const [was, ours, other] = [index(base), index(mine), index(theirs)]
  const changed = (flag: RowFlag, before: RowFlag | undefined) =>
    !before || before.note !== flag.note || before.at !== flag.at
  const merged: RowFlag[] = []
  for (const key of new Set([...ours.keys(), ...other.keys()])) {
    const a = ours.get(key)
    const b = other.get(key)
    const before = was.get(key)
    if (a && b) {
      const [mineChanged, theirsChanged] = [changed(a, before), changed(b, before)]
      if (mineChanged && theirsChanged) merged.push(b.at > a.at ? b : a)
      else merged.push(theirsChanged ? b : a)
    } else if (a && (!before || changed(a, before))) merged.push(a)
    else if (b && (!before || changed(b, before))) merged.push(b)
  }
  return { ...mine, flags: merged.sort(compareFlags) }
}

/**
 * A flags document read back from storage or received over IPC, checked in full; null when any
 * part is wrong.
 *
 * Unlike a profile, nothing is dropped on its own: a flag is a person's work, so a document with
 * one bad entry is refused whole and the caller keeps the file for them to look at. Flags come
 * back in row order; two entries for the same row and hash make the document invalid.
 */
export function parseFlags(value: unknown): FlagsDocument | null {
  if (!isRecord(value) || value.version !== 1) return null
  const dataset = value.dataset
  if (!isRecord(dataset) || typeof dataset.name !== 'string' || !isCount(dataset.size)) return null
  if (!Array.isArray(value.flags)) return null
  const flags: RowFlag[] = []
  for (const item of value.flags as unknown[]) {
    const flag = parseRowFlag(item)
    if (flag === null) return null
    flags.push(flag)
  }
  flags.sort(compareFlags)
  if (flags.some((flag, i) => i > 0 && sameFlag(flag, flags[i - 1]!))) return null
  return { version: 1, dataset: { name: dataset.name, size: dataset.size }, flags }
}

function parseRowFlag(value: unknown): RowFlag | null {
  if (!isRecord(value)) return null
  const { row, hash, note, at } = value
  if (!isCount(row) || typeof hash !== 'string' || hash === '') return null
  if (typeof note !== 'string' || note.length > MAX_NOTE_CHARS || typeof at !== 'string')
    return null
  return { row, hash, note, at }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A whole number, 0 or more: a row position or a size in bytes. */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
