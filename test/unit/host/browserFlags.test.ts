import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  BROWSER_FLAGS_LOCATION,
  flagsKey,
  loadStoredFlags,
  storeFlags,
} from '../../../renderer/host/browserFlags'
import type { FlagsDocument } from '../../../shared/flags'
import { HostError } from '../../../shared/host'

/** Local storage as the browser keeps it, with a quota to run out of. */
class MemoryStorage {
  readonly items = new Map<string, string>()
  constructor(private readonly quota = Infinity) {}
  getItem(key: string): string | null {
    return this.items.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    const used = [...this.items].reduce((n, [k, v]) => n + k.length + v.length, 0)
    if (used + key.length + value.length > this.quota) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    }
    this.items.set(key, value)
  }
  removeItem(key: string): void {
    this.items.delete(key)
  }
}

let storage: MemoryStorage

beforeEach(() => {
  storage = new MemoryStorage()
  vi.stubGlobal('localStorage', storage)
})

afterEach(() => {
  vi.unstubAllGlobals()
})

const flagsDoc = (note = 'wrong language'): FlagsDocument => ({
  version: 1,
  dataset: { name: 'train.jsonl', size: 10 },
  flags: [{ row: 3, hash: 'h3', note, at: '2026-11-21T12:00:00.000Z' }],
})

function thrown(call: () => unknown): HostError {
  try {
    call()
  } catch (error) {
    expect(error).toBeInstanceOf(HostError)
    return error as HostError
  }
  throw new Error('expected a HostError')
}

describe('browser flags', () => {
  it('are none for a dataset never flagged', () => {
    expect(loadStoredFlags('train.jsonl')).toBeNull()
  })

  it('are saved per dataset and read back, saying where they are kept', () => {
    expect(storeFlags('train.jsonl', flagsDoc()).location).toBe(BROWSER_FLAGS_LOCATION)
    storeFlags('other.jsonl', flagsDoc('other'))
    expect(loadStoredFlags('train.jsonl')).toEqual({
      document: flagsDoc(),
      location: "this browser's local storage",
    })
    expect(loadStoredFlags('other.jsonl')?.document).toEqual(flagsDoc('other'))
  })

  it.each([
    ['not JSON', '{"version": 1, "flags": ['],
    ['not a flags document', '{"version": 1, "flags": "none"}'],
  ])('that are %s are kept under another key and reported, never overwritten', (_, bad) => {
    storage.setItem(flagsKey('train.jsonl'), bad)
    const error = thrown(() => loadStoredFlags('train.jsonl'))
    const [aside] = [...storage.items.keys()].filter((key) => key.includes('damaged'))
    expect(aside).toMatch(/^rewardlens\.flags-damaged:\d{4}-.+Z:train\.jsonl$/)
    expect(storage.getItem(aside ?? '')).toBe(bad)
    expect(error.message).toContain(aside)
    expect(loadStoredFlags('train.jsonl')).toBeNull()
    storeFlags('train.jsonl', flagsDoc())
    expect(storage.getItem(aside ?? '')).toBe(bad)
  })

  it('that cannot be read or copied for lack of room are left where they are', () => {
    const bad = `{"version": 1, "flags": "${'x'.repeat(100)}"}`
    storage = new MemoryStorage(200)
    vi.stubGlobal('localStorage', storage)
    storage.setItem(flagsKey('train.jsonl'), bad)
    expect(thrown(() => loadStoredFlags('train.jsonl')).message).toMatch(/left as they are/)
    expect(storage.getItem(flagsKey('train.jsonl'))).toBe(bad)
  })

  it('tell the person when local storage is full', () => {
    vi.stubGlobal('localStorage', new MemoryStorage(10))
    expect(thrown(() => storeFlags('train.jsonl', flagsDoc())).message).toMatch(
      /local storage refused the flags: The quota has been exceeded/,
    )
  })

  it('merge what another tab saved since this tab read them, keeping both tabs’ flags', () => {
    const mine = (rows: number[]): FlagsDocument => ({
      ...flagsDoc(),
      flags: rows.map((row) => ({ row, hash: `h${row}`, note: `n${row}`, at: 'x' })),
    })
    storeFlags('shared.jsonl', mine([3]))
    expect(loadStoredFlags('shared.jsonl')?.document.flags.map((f) => f.row)).toEqual([3])
    // Another tab saves row 5 beside row 3 (it read row 3 first).
    storage.setItem('rewardlens.flags:shared.jsonl', JSON.stringify(mine([3, 5])))
    const saved = storeFlags('shared.jsonl', mine([3, 7]))
    expect(saved.document.flags.map((f) => f.row)).toEqual([3, 5, 7])
    expect(loadStoredFlags('shared.jsonl')?.document.flags.map((f) => f.row)).toEqual([3, 5, 7])
  })
})
