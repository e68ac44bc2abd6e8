/**
 * The Parquet reader reads a file by range: the footer to open it, a row group's column chunks to
 * decode it. It never asks for the whole file, which a window could not always hold as one piece.
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ByteSource } from '../../../renderer/data/ingest/decoder'
import { COMPACT_INSERT_ROWS } from '../../../shared/engine'
import { nodeParquetReader } from '../../support/parquetNode'
import { rowsOf } from './arrowRead'

let folder: string
let bytes: Uint8Array
/** One row group of 122,880 rows, DuckDB's default, as files written by DuckDB have. */
let bigGroup: Uint8Array
const GROUPS = 4
/** DuckDB rounds row groups to whole vectors of 2,048 rows. */
const GROUP_ROWS = 6144

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rewardlens-parquet-'))
  const path = join(folder, 'groups.parquet')
  const db = await DuckDBInstance.create(':memory:')
  const conn = await db.connect()
  await conn.run(`COPY (
    SELECT i AS id, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS code, i / 10.0 AS reward
      FROM range(${GROUPS * GROUP_ROWS}) r(i) ORDER BY i
  ) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE ${GROUP_ROWS})`)
  bytes = new Uint8Array(await readFile(path))
  const big = join(folder, 'big-group.parquet')
  await conn.run(`COPY (SELECT i AS id FROM range(122880) r(i)) TO '${big}' (FORMAT parquet)`)
  bigGroup = new Uint8Array(await readFile(big))
  conn.closeSync()
  db.closeSync()
})
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true })
})

/** The file as a byte source that notes every range asked for. */
function countingSource(): { source: ByteSource; reads: [number, number][] } {
  const reads: [number, number][] = []
  return {
    reads,
    source: {
      size: bytes.length,
      read: (start, end) => {
        reads.push([start, end])
        return Promise.resolve(bytes.slice(start, end))
      },
    },
  }
}

const total = (reads: readonly [number, number][]) => reads.reduce((n, [a, b]) => n + b - a, 0)

describe('the Parquet reader', () => {
  it('opens a file by reading its footer, not the file', async () => {
    const reader = nodeParquetReader()
    const { source, reads } = countingSource()
    expect(await reader.open(source)).toBe(GROUPS)
    expect(total(reads)).toBeLessThan(bytes.length / 10)
    expect(Math.max(...reads.map(([, end]) => end))).toBe(bytes.length)
    reader.close()
  })

  it("decodes one row group from that group's bytes alone", async () => {
    const reader = nodeParquetReader()
    const { source, reads } = countingSource()
    await reader.open(source)
    reads.length = 0
    const rows = rowsOf(await reader.readRowGroup(2, null))
    expect(rows).toHaveLength(GROUP_ROWS)
    expect(Number(rows[0]!.id)).toBe(2 * GROUP_ROWS)
    expect(total(reads)).toBeGreaterThan(0)
    expect(total(reads)).toBeLessThan(bytes.length / 2)
    reader.close()
  })

  it('splits a row group into streams of the rows asked for, every row once, in order', async () => {
    const reader = nodeParquetReader()
    const source: ByteSource = {
      size: bigGroup.length,
      read: (start, end) => Promise.resolve(bigGroup.slice(start, end)),
    }
    expect(await reader.open(source)).toBe(1)
    const streams = await reader.readRowGroup(0, COMPACT_INSERT_ROWS)
    const sizes = streams.map((ipc) => rowsOf([ipc]).length)
    expect(sizes).toEqual([COMPACT_INSERT_ROWS, 122880 - COMPACT_INSERT_ROWS])
    const ids = rowsOf(streams).map((r) => Number(r.id))
    expect(ids).toEqual(Array.from({ length: 122880 }, (_, i) => i))
    // Without a limit, the row group comes as one stream, inserted whole.
    const whole = await reader.readRowGroup(0, null)
    expect(whole).toHaveLength(1)
    expect(rowsOf(whole)).toHaveLength(122880)
    reader.close()
  })

  it('reports a range that cannot be read as an error, not a crash', async () => {
    const reader = nodeParquetReader()
    const { source } = countingSource()
    const failing: ByteSource = {
      size: source.size,
      read: () => Promise.reject(new Error('the disk was unplugged')),
    }
    await expect(reader.open(failing)).rejects.toThrow(
      /^could not be read \(the disk was unplugged\)$/,
    )
    // The reader is still good for the next file.
    expect(await reader.open(source)).toBe(GROUPS)
    reader.close()
  })
})
