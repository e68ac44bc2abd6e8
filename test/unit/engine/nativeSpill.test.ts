/**
 * The desktop engine holds datasets bigger than its memory limit: DuckDB moves table blocks to the
 * engine's own folder (created only then, removed at close) instead of failing.
 */
import { existsSync, readdirSync } from 'node:fs'
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { NativeEngine } from '../../../electron/engine/nativeEngine'
import { valueText } from '../../../renderer/data/values'

const engineFolders = () =>
  new Set(readdirSync(os.tmpdir()).filter((name) => name.startsWith('rewardlens-engine-')))

describe('the native engine past its memory limit', () => {
  it('may hold half the machine’s memory, leaving the rest to the window and the system', async () => {
    const engine = await NativeEngine.create()
    const result = await engine.query(
      "SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'",
    )
    await engine.close()
    const [amount, unit] = valueText(result.rows[0]?.value ?? null).split(' ')
    const bytes = Number(amount) * { MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 }[unit!]!
    expect(bytes / os.totalmem()).toBeCloseTo(0.5, 2)
  })

  it('keeps a 400 MB table under a 64 MB limit, and leaves no folder behind', async () => {
    const before = engineFolders()
    const engine = await NativeEngine.create({ memoryLimitMiB: 64 })
    await engine.exec(
      "CREATE TABLE big AS SELECT range AS i, repeat('x', 200) || range AS s FROM range(2000000)",
    )
    const result = await engine.query('SELECT count(*) AS n, sum(length(s)) AS chars FROM big')
    expect(result.rows).toEqual([{ n: 2_000_000, chars: 412_888_890 }])
    expect(await engine.memoryBytes()).toBeLessThan(64 * 1024 * 1024)
    const spilled = [...engineFolders()].filter((name) => !before.has(name))
    expect(spilled).toHaveLength(1)
    await engine.close()
    expect(existsSync(`${os.tmpdir()}/${spilled[0]}`)).toBe(false)
  }, 120_000)
})
