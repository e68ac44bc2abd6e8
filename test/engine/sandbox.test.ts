/**
 * SQL reaches no file the person did not open. The window sends the engine SQL, a person's own
 * SQL condition among it; DuckDB-WASM's files are virtual, but native DuckDB's are the real disk,
 * so the desktop engine refuses every path outside its own folder and cannot be talked out of it.
 * (DuckDB-WASM's Node bundle, which the engine tests use, does reach the disk; in the browser its
 * files are only those registered with it, so those checks run on the native engine.)
 */
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import { ENGINE_KIND, createNodeEngine } from '../support/nodeEngine'

let engine: Engine

beforeAll(async () => {
  engine = await createNodeEngine()
})

describe('the engine', () => {
  it('reads the bytes registered with it, by the path it gives', async () => {
    const file = await engine.registerFile(
      'sandbox.csv',
      new TextEncoder().encode('a,b\n1,x\n2,y\n'),
    )
    const result = await engine.query(`SELECT sum(a) AS total FROM read_csv('${file}')`)
    expect(result.rows).toEqual([{ total: 3 }])
    await engine.dropFile('sandbox.csv')
  })

  it.skipIf(ENGINE_KIND === 'wasm')(
    'reads and writes nowhere else on the disk, attaches nothing, and cannot be set free',
    async () => {
      const target = path.join(os.tmpdir(), `rewardlens-sandbox-${process.pid}.csv`)
      await expect(engine.query("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(
        /Permission/,
      )
      await expect(engine.exec(`COPY (SELECT 1 AS x) TO '${target}'`)).rejects.toThrow(/Permission/)
      expect(existsSync(target)).toBe(false)
      await expect(engine.exec(`ATTACH '${target}.db'`)).rejects.toThrow(/Permission/)
      await expect(engine.exec('SET enable_external_access = true')).rejects.toThrow(/locked/)
      await expect(engine.exec("SET allowed_directories = ['/']")).rejects.toThrow(/locked/)
      await expect(engine.exec('INSTALL httpfs')).rejects.toThrow(/Permission/)
      await expect(engine.query("SELECT * FROM read_text('/etc/hostname')")).rejects.toThrow(
        /Permission/,
      )
    },
  )

  it('refuses functions and pragmas that change how it runs, wherever they stand', async () => {
    const refused = [
      "CALL enable_logging(storage = 'file', storage_path = '/tmp')",
      'PRAGMA enable_profiling',
      'pragma enable_verification',
      'SELECT 1; PRAGMA enable_object_cache',
      'PRAGMA verify_external',
      "SELECT 1 WHERE EXISTS (SELECT * FROM enable_logging(storage = 'file'))",
      'SELECT * FROM disable_logging()',
    ]
    for (const statement of refused) {
      await expect(engine.query(statement), statement).rejects.toThrow(/refused/)
      await expect(engine.exec(statement), statement).rejects.toThrow(/refused/)
    }
    // Still answering, and a plain query that merely mentions a word is not refused.
    expect((await engine.query("SELECT 'logging' AS w")).rows).toEqual([{ w: 'logging' }])
  })

  it('refuses SQL with a NUL character, which native DuckDB would cut short', async () => {
    await expect(engine.query("SELECT 'a\u0000' AS x")).rejects.toThrow(/NUL/)
    await expect(engine.exec('SELECT 1\u0000; CREATE TABLE nul_t AS SELECT 1')).rejects.toThrow(
      /NUL/,
    )
  })

  it('runs exactly one statement when parameters are bound, never the ones before it', async () => {
    await expect(
      engine.query('CREATE TABLE smuggled AS SELECT 42 AS x; SELECT ? AS y', [1]),
    ).rejects.toThrow()
    const tables = await engine.query(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'smuggled'",
    )
    expect(tables.rows).toEqual([{ n: 0 }])
  })
})
