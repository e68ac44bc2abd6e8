import { describe, expect, it } from 'vitest'
import {
  type FlagsDocument,
  MAX_NOTE_CHARS,
  type RowFlag,
  compareFlags,
  emptyFlags,
  mergeFlags,
  parseFlags,
  removeFlag,
  sameFlags,
  setFlag,
} from '../../../shared/flags'

const at = '2026-11-21T12:00:00.000Z'
const flag = (row: number, hash = `h${row}`, note = ''): RowFlag => ({ row, hash, note, at })
const doc = (flags: readonly RowFlag[]): FlagsDocument => ({
  version: 1,
  dataset: { name: 'train.jsonl', size: 1234 },
  flags,
})

describe('parseFlags', () => {
  it('reads back a document written as JSON', () => {
    const saved = doc([flag(2, 'abc', 'wrong language'), flag(7)])
    expect(parseFlags(JSON.parse(JSON.stringify(saved)))).toEqual(saved)
  })

  it('puts flags in row order', () => {
    expect(parseFlags(doc([flag(9), flag(1), flag(1, 'a')]))?.flags).toEqual([
      flag(1, 'a'),
      flag(1),
      flag(9),
    ])
  })

  it('keeps only the fields it knows', () => {
    const extra = { ...doc([{ ...flag(1), colour: 'red' } as RowFlag]), comment: 'hand edited' }
    expect(parseFlags(extra)).toEqual(doc([flag(1)]))
  })

  it('keeps a note of the longest length allowed', () => {
    const note = 'x'.repeat(MAX_NOTE_CHARS)
    expect(parseFlags(doc([flag(0, 'h', note)]))?.flags[0]?.note).toBe(note)
  })

  const invalid: [string, unknown][] = [
    ['not an object', 'flags'],
    ['null', null],
    ['another version', { ...doc([]), version: 2 }],
    ['no version', { dataset: doc([]).dataset, flags: [] }],
    ['no dataset', { version: 1, flags: [] }],
    ['a dataset without a name', { ...doc([]), dataset: { size: 1 } }],
    ['a negative size', { ...doc([]), dataset: { name: 'a', size: -1 } }],
    ['a fractional size', { ...doc([]), dataset: { name: 'a', size: 1.5 } }],
    ['flags that are not a list', { ...doc([]), flags: {} }],
    ['a flag that is not an object', doc(['row 1' as unknown as RowFlag])],
    ['a negative row', doc([flag(-1)])],
    ['a fractional row', doc([flag(1.5)])],
    ['a row given as text', doc([{ ...flag(1), row: '1' } as unknown as RowFlag])],
    ['an empty hash', doc([flag(1, '')])],
    ['a missing note', doc([{ row: 1, hash: 'h', at } as RowFlag])],
    ['a note over the limit', doc([flag(1, 'h', 'x'.repeat(MAX_NOTE_CHARS + 1))])],
    ['a time that is not text', doc([{ ...flag(1), at: 5 } as unknown as RowFlag])],
    ['the same row and hash twice', doc([flag(1), flag(2), flag(1, 'h1', 'again')])],
  ]
  it.each(invalid)('refuses the whole document for %s', (_, value) => {
    expect(parseFlags(value)).toBeNull()
  })

  it('refuses a document with one bad flag among good ones, dropping none of them quietly', () => {
    expect(parseFlags(doc([flag(1), flag(2), flag(-3), flag(4)]))).toBeNull()
  })
})

describe('setFlag and removeFlag', () => {
  it('adds a flag in row order without changing the document given', () => {
    const before = doc([flag(1), flag(5)])
    const after = setFlag(before, flag(3, 'h3', 'duplicate of row 1'))
    expect(after.flags.map((f) => f.row)).toEqual([1, 3, 5])
    expect(before.flags.map((f) => f.row)).toEqual([1, 5])
    expect(after.dataset).toEqual(before.dataset)
  })

  it('replaces the note of a flag on the same row and content', () => {
    const after = setFlag(doc([flag(1, 'h', 'old')]), flag(1, 'h', 'new'))
    expect(after.flags).toEqual([flag(1, 'h', 'new')])
  })

  it('keeps an orphaned flag that shares its row with a new one', () => {
    const orphan = flag(4, 'old-content', 'was wrong before the edit')
    const after = setFlag(doc([orphan]), flag(4, 'new-content'))
    expect(after.flags).toEqual([flag(4, 'new-content'), orphan])
    expect(removeFlag(after, { row: 4, hash: 'new-content' }).flags).toEqual([orphan])
  })

  it('removes nothing when no flag has that row and hash', () => {
    const before = doc([flag(1)])
    expect(removeFlag(before, { row: 1, hash: 'other' })).toEqual(before)
  })

  it('starts a document with no flags', () => {
    expect(emptyFlags({ name: 'a.parquet', size: 10 })).toEqual({
      version: 1,
      dataset: { name: 'a.parquet', size: 10 },
      flags: [],
    })
  })

  it('orders by row, then by hash', () => {
    expect([flag(2, 'b'), flag(2, 'a'), flag(1, 'z')].sort(compareFlags)).toEqual([
      flag(1, 'z'),
      flag(2, 'a'),
      flag(2, 'b'),
    ])
  })
})

describe('mergeFlags', () => {
  const doc = (...flags: RowFlag[]): FlagsDocument => ({
    version: 1,
    dataset: { name: 'train.jsonl', size: 10 },
    flags,
  })
  const flag = (row: number, note = '', at = '2026-12-01T00:00:00.000Z'): RowFlag => ({
    row,
    hash: `h${row}`,
    note,
    at,
  })
  const later = '2026-12-02T00:00:00.000Z'

  it('keeps what each side added since the base', () => {
    const base = doc(flag(1))
    const merged = mergeFlags(base, doc(flag(1), flag(2)), doc(flag(1), flag(3)))
    expect(merged.flags.map((f) => f.row)).toEqual([1, 2, 3])
  })

  it('drops a flag one side removed and the other left alone', () => {
    const base = doc(flag(1), flag(2))
    expect(mergeFlags(base, doc(flag(2)), base).flags.map((f) => f.row)).toEqual([2])
    expect(mergeFlags(base, base, doc(flag(1))).flags.map((f) => f.row)).toEqual([1])
  })

  it('keeps a flag one side changed even if the other removed it', () => {
    const base = doc(flag(1))
    const noted = flag(1, 'wrong reward', later)
    expect(mergeFlags(base, doc(), doc(noted)).flags).toEqual([noted])
    expect(mergeFlags(base, doc(noted), doc()).flags).toEqual([noted])
  })

  it('takes the later note when both sides changed the same flag', () => {
    const base = doc(flag(1))
    const mine = flag(1, 'mine', '2026-12-03T00:00:00.000Z')
    const theirs = flag(1, 'theirs', later)
    expect(mergeFlags(base, doc(mine), doc(theirs)).flags).toEqual([mine])
    expect(mergeFlags(base, doc(theirs), doc(mine)).flags).toEqual([mine])
  })

  it('keeps the one side that changed a flag, whatever the clocks say', () => {
    const base = doc(flag(1, 'old', later))
    // Another machine, its clock behind, changed the note; this window left the flag alone.
    const theirs = flag(1, 'edited elsewhere', '2026-11-30T00:00:00.000Z')
    expect(mergeFlags(base, base, doc(theirs)).flags).toEqual([theirs])
    expect(mergeFlags(base, doc(theirs), base).flags).toEqual([theirs])
  })

  it('tells equal documents from changed ones', () => {
    expect(sameFlags(doc(flag(1)), doc(flag(1)))).toBe(true)
    expect(sameFlags(doc(flag(1)), doc(flag(1, 'x')))).toBe(false)
  })
})
