import { describe, expect, it } from 'vitest'
import {
  SNIFF_BYTES,
  UnreadableFileError,
  endsWithParquetMagic,
  formatName,
  sniffFormat,
} from '../../../renderer/data/ingest/sniff'

const encoder = new TextEncoder()
const PAR1 = [0x50, 0x41, 0x52, 0x31]
const JSONL = encoder.encode('{"a":1}\n')

function sniffError(name: string, head: Uint8Array, size = head.length): UnreadableFileError {
  try {
    sniffFormat(name, size, head)
  } catch (error) {
    if (error instanceof UnreadableFileError) return error
    throw error
  }
  throw new Error(`expected ${name} to be refused`)
}

describe('sniffFormat', () => {
  it('reads the format from the extension, in any case', () => {
    expect(sniffFormat('train.jsonl', JSONL.length, JSONL)).toBe('jsonl')
    expect(sniffFormat('TRAIN.JSONL', JSONL.length, JSONL)).toBe('jsonl')
    expect(sniffFormat('part-0.ndjson', JSONL.length, JSONL)).toBe('jsonl')
    expect(sniffFormat('data.json', 2, encoder.encode('[]'))).toBe('json')
    expect(sniffFormat('grades.CSV', 3, encoder.encode('a,b'))).toBe('csv')
    expect(sniffFormat('my.data.v2.jsonl', JSONL.length, JSONL)).toBe('jsonl')
  })

  it('refuses an empty file, saying it is empty, whatever its name', () => {
    for (const name of ['train.jsonl', 'x.parquet', 'notes.xlsx']) {
      const error = sniffError(name, new Uint8Array(0), 0)
      expect(error.message).toBe(`${name} is empty (0 bytes).`)
    }
  })

  it('reads a file starting with PAR1 as Parquet whatever its name', () => {
    const head = new Uint8Array([...PAR1, 0x15, 0x00])
    expect(sniffFormat('actually.jsonl', 1000, head)).toBe('parquet')
    expect(sniffFormat('actually.csv', 1000, head)).toBe('parquet')
    expect(sniffFormat('no-extension', 1000, head)).toBe('parquet')
    expect(sniffFormat('x.pq', 1000, head)).toBe('parquet')
  })

  it('refuses an unknown extension, naming it and listing what it opens', () => {
    const error = sniffError('results.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04]))
    expect(error.message).toContain('cannot open .xlsx files (results.xlsx)')
    for (const ext of ['.jsonl', '.ndjson', '.json', '.parquet', '.pq', '.csv'])
      expect(error.message).toContain(ext)
  })

  it('refuses a file without an extension, saying so', () => {
    expect(sniffError('README', encoder.encode('hello')).message).toContain(
      'files without an extension (README)',
    )
  })

  it('refuses a .parquet file that does not start with PAR1', () => {
    const error = sniffError('train.parquet', JSONL)
    expect(error.message).toBe(
      'train.parquet is not a Parquet file: it does not start with the Parquet marker "PAR1".',
    )
    expect(sniffError('t.pq', new Uint8Array([0x50, 0x41, 0x52])).message).toContain(
      'not a Parquet file',
    )
  })

  it('refuses UTF-16 text with either byte order, asking for UTF-8', () => {
    const le = new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00])
    const be = new Uint8Array([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d])
    for (const head of [le, be]) {
      const error = sniffError('train.jsonl', head)
      expect(error.message).toContain('UTF-16')
      expect(error.message).toContain('UTF-8')
    }
  })

  it('accepts UTF-8 text with a BOM', () => {
    const head = new Uint8Array([0xef, 0xbb, 0xbf, ...JSONL])
    expect(sniffFormat('train.jsonl', head.length, head)).toBe('jsonl')
  })

  it('refuses a file with NUL bytes as binary, naming the format it claimed', () => {
    const head = new Uint8Array([...encoder.encode('{"a":'), 0x00, 0x01, 0x02])
    expect(sniffError('train.jsonl', head).message).toBe(
      'train.jsonl is a binary file, not JSON Lines text (it contains NUL bytes).',
    )
    expect(sniffError('data.csv', head).message).toContain('not CSV text')
  })

  it('refuses UTF-16 text without a BOM as binary (its ASCII has NUL bytes)', () => {
    const head = new Uint8Array([...'{"a":1}'].flatMap((c) => [c.charCodeAt(0), 0]))
    expect(sniffError('train.jsonl', head).message).toContain('binary file')
  })

  it('does not take a text file for binary when its head is plain text', () => {
    const head = encoder.encode(`${'{"t":"é😀"}\n'.repeat(2000)}`)
    expect(head.length).toBeGreaterThan(8192)
    expect(sniffFormat('big.jsonl', 10 ** 9, head.subarray(0, SNIFF_BYTES))).toBe('jsonl')
  })
})

describe('endsWithParquetMagic', () => {
  it('is true only when the last four bytes are PAR1', () => {
    expect(endsWithParquetMagic(new Uint8Array([...PAR1, 1, 2, ...PAR1]))).toBe(true)
    expect(endsWithParquetMagic(new Uint8Array(PAR1))).toBe(true)
    expect(endsWithParquetMagic(new Uint8Array([...PAR1, 0]))).toBe(false)
    expect(endsWithParquetMagic(new Uint8Array([0x41, 0x52, 0x31]))).toBe(false)
    expect(endsWithParquetMagic(new Uint8Array(0))).toBe(false)
  })
})

describe('formatName', () => {
  it('names each format for messages', () => {
    expect([
      formatName('jsonl'),
      formatName('json'),
      formatName('parquet'),
      formatName('csv'),
    ]).toEqual(['JSON Lines', 'JSON', 'Parquet', 'CSV'])
  })
})
