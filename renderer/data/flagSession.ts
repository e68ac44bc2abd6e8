/**
 * The flags of the open dataset as the app holds them: the saved document placed on the rows as
 * they are now, and what changed since it was saved. The store keeps one of these and replaces it
 * with every flag or note; the Host writes each new document as a whole.
 */
import type { FlagsDocument, RowFlag } from '../../shared/flags'
import {
  FLAGS_SET_ASIDE,
  MAX_NOTE_CHARS,
  emptyFlags,
  removeFlag,
  sameFlags,
  setFlag,
} from '../../shared/flags'
import { type Host, sourceBytes } from '../../shared/host'
import type { Engine } from './engine'
import { placeFlags, rowHashes, syncFlagsTable } from './flags'
import type { LoadedDataset } from './dataset'
import { errorMessage } from './errors'

/** The open dataset's flags. */
export interface FlagsState {
  /** Everything saved: placed flags and orphaned ones. */
  readonly document: FlagsDocument
  /** The flags on a row of the dataset now, by row. */
  readonly byRow: ReadonlyMap<number, RowFlag>
  /** Where they are saved, once known. */
  readonly location: string | null
  /** What the person should know about the saved flags (moved, set aside, unreadable). */
  readonly notice: string | null
  /**
   * True when saved flags exist but could not be read and were not set aside: changing flags now
   * would overwrite them, so flagging is refused until the file is dealt with.
   */
  readonly readOnly?: boolean
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

function stateOf(document: FlagsDocument, placed: readonly RowFlag[], location: string | null) {
  return { document, byRow: new Map(placed.map((flag) => [flag.row, flag])), location }
}

/**
 * Reads the flags saved for a dataset and places them on its rows; fills the engine's flags table.
 * A sidecar that cannot be read is reported (the Host has moved it aside) and flagging starts afresh.
 */
export async function openFlags(
  engine: Engine,
  host: Host,
  dataset: LoadedDataset,
): Promise<FlagsState> {
  const fresh = emptyFlags({ name: dataset.source.name, size: sourceBytes(dataset.source) })
  let saved: Awaited<ReturnType<Host['loadFlags']>>
  try {
    saved = await host.loadFlags(dataset.source.path)
  } catch (error) {
    await syncFlagsTable(engine, dataset.table, [])
    const message = errorMessage(error)
    // A damaged sidecar the Host moved aside is safe to start afresh beside; any other failure
    // leaves the old file where the next save would land, so flags stay read-only.
    const setAside = message.endsWith(FLAGS_SET_ASIDE)
    return {
      ...stateOf(fresh, [], null),
      notice: setAside
        ? message
        : `${message} Flagging is off for this file so the saved flags are not overwritten.`,
      readOnly: !setAside,
    }
  }
  if (!saved) {
    await syncFlagsTable(engine, dataset.table, [])
    return { ...stateOf(fresh, [], null), notice: null }
  }
  const placement = await placeFlags(engine, dataset, saved.document)
  let shown = placement
  // Flags that followed their rows are saved where they are now.
  let location = saved.location
  const notes: string[] = []
  if (placement.moved.length > 0) {
    try {
      const written = await host.saveFlags(dataset.source.path, placement.document)
      location = written.location
      // Another window's flags merged in meanwhile: shown (and kept at the next save) too.
      if (!sameFlags(written.document, placement.document)) {
        shown = await placeFlags(engine, dataset, written.document)
      }
    } catch (error) {
      notes.push(
        `The moved flags could not be saved yet (${errorMessage(error)}); the next change saves them.`,
      )
    }
  }
  const { name, size } = saved.document.dataset
  if (name !== fresh.dataset.name || size !== fresh.dataset.size) {
    notes.push(
      `The flags were made on ${name} (${size.toLocaleString('en-US')} bytes); this file differs, and each flag was matched to its row by content.`,
    )
  }
  if (placement.moved.length > 0) {
    notes.push(
      `${plural(placement.moved.length, 'flag', 'flags')} followed ${placement.moved.length === 1 ? 'its row' : 'their rows'} to a new position (the file was reordered).`,
    )
  }
  if (placement.orphaned.length > 0) {
    notes.push(
      `${plural(placement.orphaned.length, 'flag', 'flags')} no longer ${placement.orphaned.length === 1 ? 'matches any row' : 'match any row'} (the row was edited or removed); ${placement.orphaned.length === 1 ? 'it is' : 'they are'} kept in ${saved.location}, attached to no row.`,
    )
  }
  await syncFlagsTable(engine, dataset.table, shown.placed)
  return {
    ...stateOf(shown.document, shown.placed, location),
    notice: notes.length > 0 ? notes.join(' ') : null,
  }
}

/** A saved flags document placed on the dataset's rows as they are now, without a notice. */
export async function placedFlags(
  engine: Engine,
  dataset: LoadedDataset,
  document: FlagsDocument,
  location: string,
): Promise<FlagsState> {
  const placement = await placeFlags(engine, dataset, document)
  return { ...stateOf(placement.document, placement.placed, location), notice: null }
}

/**
 * The flags with a row flagged (with a note) or, with `note` null, unflagged. The row's content hash
 * is taken now, so the flag names this content at this position. The engine's flags table is not
 * touched: save the document first, then `syncFlagsTable` with the state's placed flags.
 */
export async function withFlag(
  engine: Engine,
  dataset: LoadedDataset,
  state: FlagsState,
  row: number,
  note: string | null,
  now: Date,
): Promise<FlagsState> {
  const existing = state.byRow.get(row)
  let document: FlagsDocument
  let added: RowFlag | null = null
  if (note === null) {
    if (!existing) return state
    document = removeFlag(state.document, existing)
  } else {
    const hash = existing?.hash ?? (await rowHashes(engine, dataset, [row])).get(row)
    if (hash === undefined) throw new Error(`Row ${row + 1} is not in ${dataset.source.name}.`)
    added = { row, hash, note: note.slice(0, MAX_NOTE_CHARS), at: now.toISOString() }
    document = setFlag(existing ? removeFlag(state.document, existing) : state.document, added)
  }
  // Orphaned flags may carry this row's number too; only the placed flag of each row counts.
  const placed = document.flags.filter((flag) =>
    flag.row === row ? flag === added : state.byRow.get(flag.row) === flag,
  )
  return { ...state, ...stateOf(document, placed, state.location) }
}
