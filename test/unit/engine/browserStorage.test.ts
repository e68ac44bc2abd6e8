/**
 * The browser build keeps its database in the browser's private storage; each window starts by
 * removing the databases of windows that closed, and must leave alone what is not its own to take.
 */
import { describe, expect, it } from 'vitest'
import { type StorageRoot, removeStaleDatabases } from '../../../renderer/data/engine'

/** A storage folder whose `locked` files are open in another window and cannot be removed. */
function folder(names: string[], locked: string[] = []): StorageRoot & { names: Set<string> } {
  const present = new Set(names)
  return {
    names: present,
    async *keys() {
      for (const name of [...present]) yield await Promise.resolve(name)
    },
    removeEntry(name: string) {
      if (locked.includes(name)) {
        return Promise.reject(
          new DOMException('the file is open elsewhere', 'NoModificationAllowedError'),
        )
      }
      present.delete(name)
      return Promise.resolve()
    },
  }
}

describe('removeStaleDatabases', () => {
  it("removes closed windows' databases and logs, and keeps those still open", async () => {
    const root = folder(
      [
        'rewardlens-1796600000000-abc.duckdb',
        'rewardlens-1796600000000-abc.duckdb.wal',
        'rewardlens-1796600000001-open.duckdb',
        'rewardlens-1796600000001-open.duckdb.wal',
      ],
      ['rewardlens-1796600000001-open.duckdb', 'rewardlens-1796600000001-open.duckdb.wal'],
    )
    expect(await removeStaleDatabases(root)).toBe(2)
    expect([...root.names]).toEqual([
      'rewardlens-1796600000001-open.duckdb',
      'rewardlens-1796600000001-open.duckdb.wal',
    ])
  })

  it('never touches files that are not its databases', async () => {
    const names = ['notes.duckdb', 'rewardlens-settings.json', 'other-app.duckdb.wal', 'folder']
    const root = folder(names)
    expect(await removeStaleDatabases(root)).toBe(0)
    expect([...root.names]).toEqual(names)
  })
})
