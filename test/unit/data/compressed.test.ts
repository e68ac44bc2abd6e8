import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  CompressedDataError,
  DecompressedReader,
  Inflater,
  compressionOf,
  decompressedHead,
} from '../../../renderer/data/ingest/compressed'
import { splitOfPath } from '../../../renderer/data/ingest/splits'
import { compressionFromName, formatFromName, uncompressedName } from '../../../shared/host'

const text = Array.from({ length: 300_000 }, (_, i) => `{"n":${i},"s":"row ${i * 7919}"}`).join(
  '\n',
)
const plain = new TextEncoder().encode(text)
const gz = gzipSync(plain)
const source = { id: 'f', name: 'rows.jsonl.gz', size: gz.length, compression: 'gzip' as const }
let reads = 0
const read = (_id: string, start: number, end: number) => {
  reads++
  return Promise.resolve(gz.subarray(start, end))
}

describe('compressed names and bytes', () => {
  it('reads the format through the compression extension', () => {
    expect(formatFromName('train.jsonl.gz')).toBe('jsonl')
    expect(formatFromName('train.JSON.ZST')).toBe('json')
    expect(formatFromName('table.csv.gz')).toBe('csv')
    expect(formatFromName('notes.txt.gz')).toBeNull()
    expect(formatFromName('data.gz')).toBeNull()
    expect(compressionFromName('a.jsonl.zst')).toBe('zstd')
    expect(uncompressedName('a.jsonl.gz')).toBe('a.jsonl')
    expect(compressionOf(gz)).toBe('gzip')
    expect(compressionOf(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0]))).toBe('zstd')
    expect(compressionOf(plain)).toBeNull()
  })

  it('finds the split of Hugging Face file names', () => {
    expect(splitOfPath('snap/data/train-00000-of-00004.parquet')).toBe('train')
    expect(splitOfPath('/c/snap/data/test-00000-of-00001-5f2c0a.parquet')).toBe('test')
    expect(splitOfPath('snap/data/validation.jsonl.gz')).toBe('validation')
    expect(splitOfPath('snap/default/train/0000.parquet')).toBe('train')
    expect(splitOfPath('snap/data/part-1.parquet')).toBeNull()
  })
})

describe('Inflater', () => {
  it('gives the text back in pieces of a megabyte or more, whatever the chunking', () => {
    const inflater = new Inflater(source)
    const pieces: Uint8Array[] = []
    for (let at = 0; at < gz.length; at += 777)
      pieces.push(...inflater.push(gz.subarray(at, at + 777)))
    pieces.push(...inflater.finish())
    expect(pieces.slice(0, -1).every((p) => p.length >= 1024 * 1024)).toBe(true)
    expect(Buffer.concat(pieces).equals(Buffer.from(plain))).toBe(true)
  })

  it('reads members that span many slices, checking the trailer of each', () => {
    // Hex of a running hash: it barely compresses, so each member is a few hundred KB.
    let h = 1
    const member = (n: number) =>
      Buffer.from(
        Array.from({ length: n }, () => (h = (h * 48271) % 2147483647).toString(16)).join('\n'),
      )
    const parts = [member(60_000), member(45_000), member(1)]
    const file = Buffer.concat(parts.map((p) => gzipSync(p)))
    const inflater = new Inflater({ ...source, size: file.length })
    const out: Uint8Array[] = []
    for (let at = 0; at < file.length; at += 100_000)
      out.push(...inflater.push(file.subarray(at, at + 100_000)))
    out.push(...inflater.finish())
    expect(Buffer.concat(out).equals(Buffer.concat(parts))).toBe(true)
    // The same file with the first member's length in its trailer changed is corrupt.
    const first = gzipSync(parts[0]!)
    const damaged = Buffer.concat([first, gzipSync(parts[1]!)])
    damaged[first.length - 1] = damaged[first.length - 1]! ^ 0x40
    const again = new Inflater({ ...source, size: damaged.length })
    expect(() => {
      for (let at = 0; at < damaged.length; at += 100_000)
        again.push(damaged.subarray(at, at + 100_000))
      again.finish()
    }).toThrow(/checksum in its trailer does not match/)
  })

  it('refuses trailing bytes that are not another gzip member', () => {
    const inflater = new Inflater(source)
    inflater.push(gz)
    expect(() => {
      inflater.push(new TextEncoder().encode('junk after the end'))
      inflater.finish()
    }).toThrow(CompressedDataError)
  })
})

describe('DecompressedReader', () => {
  it('serves ranges of the text moving forward in one pass, and backward by starting again', async () => {
    reads = 0
    const reader = new DecompressedReader(source, read)
    const slice = (a: number, b: number) => Buffer.from(plain.subarray(a, b)).toString()
    expect(Buffer.from(await reader.range(10, 40)).toString()).toBe(slice(10, 40))
    expect(Buffer.from(await reader.range(6_000_000, 6_400_000)).toString()).toBe(
      slice(6_000_000, 6_400_000),
    )
    const forward = reads
    expect(Buffer.from(await reader.range(5, 25)).toString()).toBe(slice(5, 25))
    expect(reads).toBeGreaterThan(forward)
    const end = plain.length
    expect((await reader.range(end - 10, end + 50)).length).toBe(10)
    await reader.close()
    expect(Buffer.from(await decompressedHead(source, read, 64)).toString()).toBe(slice(0, 64))
  })
})
