import { describe, expect, it, vi } from 'vitest'
import { FlagQueue } from '../../../renderer/app/flagQueue'
import type { FlagsState } from '../../../renderer/data/flagSession'
import type { LoadedDataset } from '../../../renderer/data/dataset'
import { EMPTY_FILTER } from '../../../renderer/data/filter'
import {
  type FlagsDocument,
  type RowFlag,
  emptyFlags,
  removeFlag,
  setFlag,
} from '../../../shared/flags'
import { FakeState, deferred, fakeDataset, settle } from './fakes'

/** A flag as the fake engine makes it: the row's hash is a function of the row. */
const flagOn = (row: number, note = ''): RowFlag => ({ row, hash: `h${row}`, note, at: 'now' })

/** Flags read from a sidecar: `placed` on rows, plus any document entries on no row. */
function flagsOf(placed: readonly RowFlag[], orphaned: readonly RowFlag[] = []): FlagsState {
  let document = emptyFlags({ name: 'a.jsonl', size: 1 })
  for (const flag of [...placed, ...orphaned]) document = setFlag(document, flag)
  return {
    document,
    byRow: new Map(placed.map((flag) => [flag.row, flag])),
    location: '/data/a.jsonl.flags',
    notice: null,
  }
}

/** `withFlag` without an engine: the same document changes, with a made-up row hash. */
async function fakeWithFlag(
  _dataset: LoadedDataset,
  flags: FlagsState,
  row: number,
  note: string | null,
): Promise<FlagsState> {
  await Promise.resolve()
  const existing = flags.byRow.get(row)
  if (note === null && !existing) return flags
  let document = existing ? removeFlag(flags.document, existing) : flags.document
  const byRow = new Map(flags.byRow)
  byRow.delete(row)
  if (note !== null) {
    const flag = flagOn(row, note)
    document = setFlag(document, flag)
    byRow.set(row, flag)
  }
  return { ...flags, document, byRow }
}

/** The rows of a saved document, in order. */
const rowsOf = (document: FlagsDocument) => document.flags.map((flag) => flag.row)

/** A flag queue over a fake app state with a dataset open, and the fakes it calls. */
function setup(flags: FlagsState | null = flagsOf([])) {
  const dataset = fakeDataset('a.jsonl')
  const app = new FakeState({ dataset, flags })
  const saved: FlagsDocument[] = []
  const save = vi.fn((_path: string, document: FlagsDocument) => {
    saved.push(document)
    return Promise.resolve({ document, location: `/saved/${saved.length}` })
  })
  const syncTable = vi.fn((_dataset: LoadedDataset, _placed: readonly RowFlag[]) =>
    Promise.resolve(),
  )
  const withFlag = vi.fn(fakeWithFlag)
  // Placing a document on the rows without an engine: every flag where it says it is.
  const place = vi.fn((_dataset: LoadedDataset, document: FlagsDocument, location: string) =>
    Promise.resolve({ ...flagsOf(document.flags), location }),
  )
  const queue = new FlagQueue({
    getState: app.getState,
    set: app.set,
    withFlag,
    save,
    syncTable,
    place,
  })
  return { app, dataset, queue, saved, save, syncTable, withFlag, place }
}

describe('FlagQueue', () => {
  it('saves two flags made quickly in order, one after the other, and loses neither', async () => {
    const { app, queue, saved, save } = setup()
    const firstSave = deferred<string>()
    save.mockImplementationOnce((_path, document) => {
      saved.push(document)
      return firstSave.promise.then((location) => ({ document, location }))
    })
    const first = queue.setFlag(1, 'wrong answer')
    const second = queue.setFlag(2, 'bad test')
    await settle()
    expect(save).toHaveBeenCalledTimes(1)
    firstSave.resolve('/saved/1')
    await Promise.all([first, second])
    expect(saved.map(rowsOf)).toEqual([[1], [1, 2]])
    expect([...(app.state.flags?.byRow.keys() ?? [])]).toEqual([1, 2])
    expect(app.state.flags?.location).toBe('/saved/2')
    expect(app.state.flagsError).toBeNull()
  })

  it('reports a save that fails and keeps the flag in the window for the next save', async () => {
    const { app, queue, saved, save } = setup()
    save.mockImplementationOnce(() => Promise.reject(new Error('the disk is full')))
    await queue.setFlag(1, 'note')
    expect(app.state.flagsError).toBe(
      'The flags could not be saved (they are kept in this window until the next change saves): the disk is full',
    )
    expect(app.state.flags?.byRow.get(1)?.note).toBe('note')
    expect(app.state.flags?.location).toBe('/data/a.jsonl.flags')

    await queue.setFlag(2, '')
    expect(saved.map(rowsOf).at(-1)).toEqual([1, 2])
    expect(app.state.flagsError).toBeNull()
  })

  it('decides a toggle when it runs, so two quick presses cancel out', async () => {
    const { app, queue, saved } = setup()
    await Promise.all([queue.toggleFlag(4), queue.toggleFlag(4)])
    expect(saved.map(rowsOf)).toEqual([[4], []])
    expect(app.state.flags?.byRow.size).toBe(0)
  })

  it('waits for the saved flags to be read before changing them', async () => {
    const { app, dataset, queue, saved, withFlag } = setup(null)
    const read = deferred<FlagsState>()
    const loaded = queue.load(dataset, () => read.promise)
    const change = queue.setFlag(1, '')
    await settle()
    expect(withFlag).not.toHaveBeenCalled()
    read.resolve(flagsOf([flagOn(7, 'kept')]))
    await Promise.all([loaded, change])
    expect(saved.map(rowsOf)).toEqual([[1, 7]])
    expect(app.state.flags?.byRow.get(7)?.note).toBe('kept')
  })

  it('reports flags that cannot be read, naming the file', async () => {
    const { app, dataset, queue } = setup(null)
    await queue.load(dataset, () => Promise.reject(new Error('permission denied')))
    expect(app.state.flagsError).toBe('The flags of a.jsonl could not be read: permission denied')
  })

  it('leaves the window alone when the dataset is closed while a save runs', async () => {
    const { app, queue, save, syncTable } = setup()
    const held = deferred<string>()
    save.mockImplementationOnce((_path, document) =>
      held.promise.then((location) => ({ document, location })),
    )
    const change = queue.setFlag(1, '')
    await settle()
    app.set({ dataset: fakeDataset('b.jsonl'), flags: flagsOf([]), flagsError: null })
    held.reject(new Error('gone'))
    await change
    expect(app.state.flagsError).toBeNull()
    expect(app.state.flags?.byRow.size).toBe(0)
    expect(syncTable).not.toHaveBeenCalled()
  })

  it('keeps the newer flags when an older save finishes after a newer change', async () => {
    const { app, queue, save } = setup()
    const held = deferred<string>()
    save.mockImplementationOnce((_path, document) =>
      held.promise.then((location) => ({ document, location })),
    )
    const change = queue.setFlag(1, '')
    await settle()
    const newer = flagsOf([flagOn(9)])
    app.set({ flags: newer })
    held.resolve('/saved/late')
    await change
    expect(app.state.flags).toBe(newer)
  })

  it('refuses to change flags that could not be read, with the reason', async () => {
    const { app, queue, save } = setup({
      ...flagsOf([]),
      readOnly: true,
      notice: 'The flags file is damaged.',
    })
    await queue.setFlag(1, '')
    await queue.forgetOrphaned()
    expect(app.state.flagsError).toBe('The flags file is damaged.')
    expect(save).not.toHaveBeenCalled()
  })

  it('reports a flag that cannot be worked out and saves nothing', async () => {
    const { app, queue, save, withFlag } = setup()
    withFlag.mockImplementationOnce(() => Promise.reject(new Error('Row 11 is not in a.jsonl.')))
    await queue.setFlag(10, '')
    expect(app.state.flagsError).toBe('The flag could not be changed: Row 11 is not in a.jsonl.')
    expect(save).not.toHaveBeenCalled()
  })

  it('saves before it updates the flagged-rows table, and reports when that fails', async () => {
    const { app, queue, save, syncTable } = setup()
    syncTable.mockImplementationOnce(() => Promise.reject(new Error('no table')))
    await queue.setFlag(3, '')
    expect(save.mock.invocationCallOrder[0]).toBeLessThan(
      syncTable.mock.invocationCallOrder[0] ?? 0,
    )
    expect(syncTable.mock.calls[0]?.[1].map((flag) => flag.row)).toEqual([3])
    expect(app.state.flagsError).toBe('The flagged-rows filter could not be updated: no table')
  })

  it('makes views filtering by flags ask again only when a flag is set or taken off', async () => {
    const { app, queue } = setup()
    await queue.setFlag(1, '')
    expect(app.state.dataVersion).toBe(0)
    app.set({ filter: { ...EMPTY_FILTER, flagged: 'only' } })
    await queue.setFlag(2, '')
    expect(app.state.dataVersion).toBe(1)
    await queue.setFlag(2, 'a note changes no row')
    expect(app.state.dataVersion).toBe(1)
    await queue.setFlag(2, null)
    expect(app.state.dataVersion).toBe(2)
  })

  it('forgets flags on no row, keeps those on rows, and reports a failed save', async () => {
    const orphan = { row: 5, hash: 'old', note: 'edited row', at: 'then' }
    const { app, queue, saved, save } = setup({
      ...flagsOf([flagOn(1)], [orphan]),
      notice: '1 flag no longer matches any row',
    })
    await queue.forgetOrphaned()
    expect(saved.map(rowsOf)).toEqual([[1]])
    expect(app.state.flags?.notice).toBeNull()
    expect(app.state.flags?.location).toBe('/saved/1')

    save.mockImplementationOnce(() => Promise.reject(new Error('read-only folder')))
    await queue.forgetOrphaned()
    expect(app.state.flagsError).toBe('The flags could not be saved: read-only folder')
  })

  it('shows and mirrors the flags another window saved meanwhile, merged in by the Host', async () => {
    const { app, queue, save, syncTable, place } = setup()
    const elsewhere: RowFlag = { row: 9, hash: 'h9', note: 'from another tab', at: 'x' }
    save.mockImplementationOnce((_path, document) =>
      Promise.resolve({
        document: { ...document, flags: [...document.flags, elsewhere] },
        location: '/saved/merged',
      }),
    )
    await queue.setFlag(1, 'mine')
    expect(place).toHaveBeenCalledTimes(1)
    expect([...(app.state.flags?.byRow.keys() ?? [])].sort()).toEqual([1, 9])
    expect(app.state.flags?.location).toBe('/saved/merged')
    expect(
      syncTable.mock.calls
        .at(-1)?.[1]
        .map((f) => f.row)
        .sort(),
    ).toEqual([1, 9])
  })

  it('reloads the flags another window saved, after the changes queued here', async () => {
    const { app, dataset, queue, saved } = setup()
    const change = queue.setFlag(1, 'mine')
    const reloaded = queue.reload(dataset, () =>
      Promise.resolve(flagsOf([{ row: 4, hash: 'h4', note: 'theirs', at: 'x' }])),
    )
    await Promise.all([change, reloaded])
    expect(saved.map(rowsOf)).toEqual([[1]])
    expect([...(app.state.flags?.byRow.keys() ?? [])]).toEqual([4])
  })

  it('keeps a change whose save failed when another window saves, for the next save to merge', async () => {
    const { app, dataset, queue, save } = setup()
    save.mockImplementationOnce(() => Promise.reject(new Error('quota exceeded')))
    await queue.setFlag(2, 'unsaved')
    expect(app.state.flagsError).toMatch(/quota exceeded/)
    await queue.reload(dataset, () =>
      Promise.resolve(flagsOf([{ row: 4, hash: 'h4', note: 'theirs', at: 'x' }])),
    )
    expect([...(app.state.flags?.byRow.keys() ?? [])]).toEqual([2])
  })
})
