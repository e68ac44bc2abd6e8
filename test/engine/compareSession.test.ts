/**
 * The store's comparison step by step, on the real engine and loader (only the app state is a plain
 * object): opening B, a B that cannot be opened leaving A as it was, a key change, closing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CompareSlice } from '../../renderer/app/compareSession'
import { CompareSession } from '../../renderer/app/compareSession'
import { fieldsKey } from '../../renderer/data/compare/key'
import type { Engine } from '../../renderer/data/engine'
import { EMPTY_FILTER } from '../../renderer/data/filter'
import { DecoderCore } from '../../renderer/data/ingest/decoder'
import { openProfile } from '../../renderer/data/profile/session'
import { UNIT_COLUMNS as U } from '../../renderer/data/profile/units'
import type { Profile } from '../../shared/profile'
import { quoteIdent } from '../../shared/sql'
import { comparePair } from '../fixtures/compare'
import { fileSource, readFileBytes } from '../support/fileSource'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { nodeParquetReader } from '../support/parquetNode'

let engine: Engine
let folder: string
beforeAll(async () => {
  engine = await createNodeEngine()
  folder = await mkdtemp(join(tmpdir(), 'rl-compare-session-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function tables(): Promise<string[]> {
  const result = await engine.query('SELECT table_name FROM duckdb_tables() ORDER BY 1')
  return result.rows.map((r) => String(r.table_name as string))
}

describe('CompareSession', () => {
  let state: CompareSlice
  let changes = 0
  let session: CompareSession
  const saved: { path: string; profile: Profile | null }[] = []

  beforeAll(async () => {
    const pair = comparePair(200, 20, 10, 30)
    await writeFile(join(folder, 'a.jsonl'), `${pair.a.join('\n')}\n`)
    await writeFile(join(folder, 'b.jsonl'), `${pair.b.join('\n')}\n`)
    // Not a dataset: the loader refuses it, as it would any broken file.
    await writeFile(join(folder, 'broken.jsonl'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]))
    const dataset = await loadFiles(engine, join(folder, 'a.jsonl'))
    const profile = await openProfile(engine, dataset, null)
    state = { dataset, profile, compare: null, filter: EMPTY_FILTER }
    session = new CompareSession({
      getState: () => state,
      set: (patch) => {
        state = { ...state, ...patch }
      },
      engine: () => Promise.resolve(engine),
      decoder: () => new DecoderCore(nodeParquetReader()),
      readBytes: readFileBytes,
      loadProfile: () => Promise.resolve(null),
      saveProfile: (path, profile) => {
        saved.push({ path, profile })
        return Promise.resolve()
      },
      changed: () => {
        changes += 1
      },
    })
  }, 60_000)

  it('opens B beside A, pairs them on id and says what changed', async () => {
    await session.open(await fileSource(join(folder, 'b.jsonl')))
    expect(state.compare?.error).toBeNull()
    expect(state.compare?.build?.counts).toEqual({
      both: 180,
      aOnly: 20,
      bOnly: 10,
      changed: 30,
      swapped: 0,
    })
    expect(state.compare?.threshold).toBe(0.5)
    expect(changes).toBeGreaterThan(0)
  })

  it('B’s roles changed: saved for its file, and the pairs built again with B’s new reward', async () => {
    const b = state.compare!.b!
    const profile = { ...b.profile.profile, reward: ['student_score'] }
    await session.setRolesB(profile)
    expect(state.compare?.error).toBeNull()
    expect(state.compare?.b?.profile.profile.reward).toEqual(['student_score'])
    expect(saved.at(-1)).toEqual({ path: state.compare!.source.path, profile })
    // Still paired on id; B's reward is now another column, so nearly every pair changed.
    expect(state.compare?.build?.counts).toMatchObject({ both: 180, aOnly: 20, bOnly: 10 })
    expect(state.compare!.build!.counts.changed).toBeGreaterThan(30)
    await session.setRolesB(b.profile.detected)
    expect(saved.at(-1)?.profile).toBeNull()
    expect(state.compare?.build?.counts.changed).toBe(30)
  })

  it('a B that cannot be opened says why and leaves A open, its columns and tables as they were', async () => {
    const before = await tables()
    await session.open(await fileSource(join(folder, 'broken.jsonl')))
    expect(state.compare?.error).toMatch(/^broken\.jsonl could not be compared: /)
    expect(state.compare?.b).toBeNull()
    expect(state.dataset?.rowCount).toBe(200)
    // The earlier B was closed by the new open; no table of the broken one is left behind.
    expect((await tables()).length).toBeLessThan(before.length)
    const marked = await engine.query(
      `SELECT count(${U.compareSide}) AS n FROM ${quoteIdent(state.profile!.relations.unitTable)}`,
    )
    expect(Number(marked.rows[0]?.n)).toBe(0)
  })

  it('closing drops B and the compare filter, and empties A’s compare columns', async () => {
    await session.open(await fileSource(join(folder, 'b.jsonl')))
    await session.setKey(fieldsKey('id'))
    state = { ...state, filter: { ...EMPTY_FILTER, compare: { show: 'changed', threshold: 0.5 } } }
    const withB = await tables()
    await session.close()
    expect(state.compare).toBeNull()
    expect(state.filter.compare).toBeNull()
    const marked = await engine.query(
      `SELECT count(${U.compareSide}) AS n FROM ${quoteIdent(state.profile!.relations.unitTable)}`,
    )
    expect(Number(marked.rows[0]?.n)).toBe(0)
    const after = await tables()
    expect(after).not.toContain(state.profile!.relations.compare)
    expect(after.length).toBeLessThan(withB.length)
  })
})
