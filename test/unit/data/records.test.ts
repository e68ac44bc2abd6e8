import { describe, expect, it } from 'vitest'
import {
  JsonArraySplitter,
  JsonLinesSplitter,
  JsonShapeError,
  type RawRecord,
  type RecordSplitter,
} from '../../../renderer/data/ingest/records'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const BOM = [0xef, 0xbb, 0xbf]

/** A record copied out of the splitter (its bytes are only valid until the next push). */
interface Seen {
  readonly text: string
  readonly offset: number
  readonly line: number
  readonly length: number
}

function seen(record: RawRecord): Seen {
  return {
    text: decoder.decode(record.bytes.slice()),
    offset: record.offset,
    line: record.line,
    length: record.bytes.length,
  }
}

function bytesOf(text: string, bom = false): Uint8Array {
  const body = encoder.encode(text)
  return bom ? new Uint8Array([...BOM, ...body]) : body
}

/** Feeds `bytes` in chunks of `size` (or at the given cut points) and collects every record. */
function split(
  make: () => RecordSplitter,
  bytes: Uint8Array,
  chunks: number | readonly number[],
): Seen[] {
  const splitter = make()
  const out: Seen[] = []
  const emit = (record: RawRecord) => out.push(seen(record))
  const cuts =
    typeof chunks === 'number'
      ? Array.from({ length: Math.ceil(bytes.length / chunks) }, (_, i) => i * chunks)
      : [0, ...chunks]
  for (let i = 0; i < cuts.length; i++) {
    // A fresh copy per chunk, so a splitter that keeps a view of the caller's buffer is caught.
    splitter.push(bytes.slice(cuts[i], cuts[i + 1] ?? bytes.length), emit)
  }
  splitter.finish(emit)
  return out
}

const lines = () => new JsonLinesSplitter()
const array = () => new JsonArraySplitter()

/** The exact bytes of the file at a record's offset, decoded. */
function textAt(bytes: Uint8Array, record: Seen): string {
  return decoder.decode(bytes.subarray(record.offset, record.offset + record.length))
}

function shapeError(
  make: () => RecordSplitter,
  bytes: Uint8Array,
  chunk = bytes.length,
): JsonShapeError {
  try {
    split(make, bytes, chunk)
  } catch (error) {
    if (error instanceof JsonShapeError) return error
    throw error
  }
  throw new Error('expected a JsonShapeError')
}

describe('JsonLinesSplitter', () => {
  it('splits LF and CRLF lines and reports 1-based line numbers', () => {
    const bytes = bytesOf('{"a":1}\r\n{"a":2}\n{"a":3}\r\n')
    expect(split(lines, bytes, bytes.length)).toEqual([
      { text: '{"a":1}', offset: 0, line: 1, length: 7 },
      { text: '{"a":2}', offset: 9, line: 2, length: 7 },
      { text: '{"a":3}', offset: 17, line: 3, length: 7 },
    ])
  })

  it('keeps exact byte offsets with multi-byte UTF-8 (emoji) before the record', () => {
    const text = '{"t":"😀 é 中"}\n{"t":"after"}\n{"u":"🎉"}'
    const bytes = bytesOf(text)
    const records = split(lines, bytes, bytes.length)
    // Offsets count bytes: line one is 20 bytes long but only 15 UTF-16 units.
    expect('{"t":"😀 é 中"}\n'.length).toBe(15)
    expect(records.map((r) => r.offset)).toEqual([0, 20, 34])
    for (const record of records) expect(textAt(bytes, record)).toBe(record.text)
    expect(records.map((r) => JSON.parse(r.text) as unknown)).toEqual([
      { t: '😀 é 中' },
      { t: 'after' },
      { u: '🎉' },
    ])
  })

  it('handles a record split across every possible chunk boundary', () => {
    const bytes = bytesOf('{"a":"😀"}\r\n\n  \n{"b":[1,2,{"c":"\\n"}]}\r\n{"d":"é"}')
    const whole = split(lines, bytes, bytes.length)
    expect(whole.map((r) => r.line)).toEqual([1, 4, 5])
    for (const size of [1, 2, 3, 7]) expect(split(lines, bytes, size)).toEqual(whole)
    for (let cut = 1; cut < bytes.length; cut++) expect(split(lines, bytes, [cut])).toEqual(whole)
  })

  it('ignores a BOM and counts offsets from the first byte of the file', () => {
    const bytes = bytesOf('{"a":1}\n{"a":2}\n', true)
    expect(split(lines, bytes, bytes.length)).toEqual([
      { text: '{"a":1}', offset: 3, line: 1, length: 7 },
      { text: '{"a":2}', offset: 11, line: 2, length: 7 },
    ])
  })

  it('ignores a BOM that arrives split across chunks', () => {
    const bytes = bytesOf('{"a":1}\n{"a":2}\n', true)
    expect(split(lines, bytes, 3)).toEqual(split(lines, bytes, bytes.length))
    expect(split(lines, bytes, 4)).toEqual(split(lines, bytes, bytes.length))
  })

  // Regression (fixed; was in records.ts JsonLinesSplitter.push, lines 76-81): the BOM is only looked for in the
  // first push; a first chunk shorter than 3 bytes never matches, so the BOM stays in record 1.
  it('ignores a BOM when the first chunk is shorter than the BOM', () => {
    const bytes = bytesOf('{"a":1}\n{"a":2}\n', true)
    const whole = split(lines, bytes, bytes.length)
    expect(split(lines, bytes, 1)).toEqual(whole)
    expect(split(lines, bytes, 2)).toEqual(whole)
  })

  it('emits the last line without a trailing newline only when the stream ends', () => {
    const splitter = new JsonLinesSplitter()
    const out: Seen[] = []
    splitter.push(bytesOf('{"a":1}\n{"a":2}'), (r) => out.push(seen(r)))
    expect(out.map((r) => r.text)).toEqual(['{"a":1}'])
    splitter.finish((r) => out.push(seen(r)))
    expect(out).toEqual([
      { text: '{"a":1}', offset: 0, line: 1, length: 7 },
      { text: '{"a":2}', offset: 8, line: 2, length: 7 },
    ])
  })

  it('strips a final CR when the last line ends in CR without LF', () => {
    const bytes = bytesOf('{"a":1}\r\n{"a":2}\r')
    expect(split(lines, bytes, bytes.length).map((r) => r.text)).toEqual(['{"a":1}', '{"a":2}'])
  })

  it('emits nothing more at the end when the file ends with a newline', () => {
    const splitter = new JsonLinesSplitter()
    const out: Seen[] = []
    splitter.push(bytesOf('{"a":1}\n'), (r) => out.push(seen(r)))
    splitter.finish((r) => out.push(seen(r)))
    expect(out).toHaveLength(1)
  })

  it('skips blank and whitespace-only lines but still counts them', () => {
    const bytes = bytesOf('\n{"a":1}\n   \n\t\r\n\r\n{"a":2}\n\n')
    expect(split(lines, bytes, bytes.length)).toEqual([
      { text: '{"a":1}', offset: 1, line: 2, length: 7 },
      { text: '{"a":2}', offset: 18, line: 6, length: 7 },
    ])
  })

  it('keeps the text of a line that is not JSON, for the decoder to reject', () => {
    const bytes = bytesOf('{"a":1}\nnot json\n[1,2]')
    expect(split(lines, bytes, 4).map((r) => [r.text, r.line])).toEqual([
      ['{"a":1}', 1],
      ['not json', 2],
      ['[1,2]', 3],
    ])
  })

  it('emits nothing for an empty or whitespace-only stream', () => {
    expect(split(lines, new Uint8Array(0), 1)).toEqual([])
    expect(split(lines, bytesOf(' \n\r\n\t'), 2)).toEqual([])
  })
})

describe('JsonArraySplitter', () => {
  it('splits a pretty-printed array into elements with their first line and exact bytes', () => {
    const text = '[\n  {\n    "a": 1,\n    "b": [1, 2]\n  },\n  {\n    "a": 2\n  }\n]\n'
    const bytes = bytesOf(text)
    const records = split(array, bytes, bytes.length)
    expect(records.map((r) => [r.line, JSON.parse(r.text) as unknown])).toEqual([
      [2, { a: 1, b: [1, 2] }],
      [6, { a: 2 }],
    ])
    expect(records[0]?.offset).toBe(text.indexOf('{'))
    expect(records[1]?.offset).toBe(text.lastIndexOf('{'))
    for (const record of records) {
      expect(textAt(bytes, record)).toBe(record.text)
      expect(record.text.startsWith('{') && record.text.endsWith('}')).toBe(true)
    }
  })

  it('gives the same elements whatever the chunk boundaries are', () => {
    const text =
      '[\r\n {"s": "a,]}\\"", "n": {"x": [1, {"y": "😀"}]}},\r\n "plain",\r\n 12.5,\r\n [[1], [2, [3]]],\r\n {"é": "\\\\"}\r\n]'
    const bytes = bytesOf(text)
    const whole = split(array, bytes, bytes.length)
    expect(whole.map((r) => JSON.parse(r.text) as unknown)).toEqual([
      { s: 'a,]}"', n: { x: [1, { y: '😀' }] } },
      'plain',
      12.5,
      [[1], [2, [3]]],
      { é: '\\' },
    ])
    expect(whole.map((r) => r.line)).toEqual([2, 3, 4, 5, 6])
    for (const size of [1, 2, 3, 7]) expect(split(array, bytes, size)).toEqual(whole)
    for (let cut = 1; cut < bytes.length; cut++) expect(split(array, bytes, [cut])).toEqual(whole)
  })

  it('does not treat brackets, braces, commas, escaped quotes or backslashes inside strings as structure', () => {
    const values = [
      { s: ']}' },
      { s: '{[' },
      { s: 'a"b' },
      { s: 'c\\' },
      { s: '\\"' },
      { s: ',,' },
      { s: '\\\\"]' },
    ]
    const bytes = bytesOf(JSON.stringify(values))
    const records = split(array, bytes, 5)
    expect(records.map((r) => JSON.parse(r.text) as unknown)).toEqual(values)
    for (const record of records) expect(textAt(bytes, record)).toBe(record.text)
  })

  it('emits nothing for an empty array', () => {
    expect(split(array, bytesOf('[]'), 1)).toEqual([])
    expect(split(array, bytesOf(' \n[ \r\n ]\n'), 2)).toEqual([])
  })

  it('splits scalar elements, the last one ended by the closing bracket', () => {
    const records = split(array, bytesOf('[1, "a,b", true, null ,-2.5e3,"x]"]'), 3)
    expect(records.map((r) => r.text)).toEqual(['1', '"a,b"', 'true', 'null', '-2.5e3', '"x]"'])
  })

  it('trims whitespace after an element but keeps its exact start offset', () => {
    const bytes = bytesOf('[  {"a":1}  \n , \t{"a":2}\n]')
    const records = split(array, bytes, bytes.length)
    expect(records.map((r) => [r.text, r.offset, r.line])).toEqual([
      ['{"a":1}', 3, 1],
      ['{"a":2}', 17, 2],
    ])
  })

  it('ignores a BOM before the array', () => {
    const bytes = bytesOf('[{"a":1},{"a":2}]', true)
    expect(split(array, bytes, bytes.length)).toEqual([
      { text: '{"a":1}', offset: 4, line: 1, length: 7 },
      { text: '{"a":2}', offset: 12, line: 1, length: 7 },
    ])
  })

  // Regression (fixed; was in records.ts JsonArraySplitter.push, lines 144-150): the BOM is only looked for in the first
  // push; with a first chunk of 1 or 2 bytes its first byte 0xEF is taken for text before the array.
  it('ignores a BOM when the first chunk is shorter than the BOM', () => {
    const bytes = bytesOf('[{"a":1},{"a":2}]', true)
    const whole = split(array, bytes, bytes.length)
    expect(split(array, bytes, 1)).toEqual(whole)
    expect(split(array, bytes, 2)).toEqual(whole)
  })

  it('reports an unclosed array with the line where the file ends, after emitting the complete elements', () => {
    const splitter = new JsonArraySplitter()
    const out: Seen[] = []
    splitter.push(bytesOf('[\n{"a":1},\n{"a":2}\n'), (r) => out.push(seen(r)))
    expect(() => splitter.finish((r) => out.push(seen(r)))).toThrow(JsonShapeError)
    expect(out.map((r) => r.text)).toEqual(['{"a":1}'])

    const error = shapeError(array, bytesOf('[\n{"a":1},\n{"a":2}\n'))
    expect(error.message).toMatch(/not closed.*truncated/)
    expect(error.line).toBe(4)
  })

  it('reports an array cut off inside a string as unclosed', () => {
    const error = shapeError(array, bytesOf('[{"a":"x]}\n'), 2)
    expect(error.message).toContain('not closed')
    expect(error.line).toBe(2)
  })

  it('rejects text after the end of the array, naming its line', () => {
    const error = shapeError(array, bytesOf('[{"a":1}]\n\n{"b":2}\n'))
    expect(error.message).toBe('unexpected text after the end of the JSON array')
    expect(error.line).toBe(3)
  })

  it('accepts whitespace after the end of the array', () => {
    expect(split(array, bytesOf('[{"a":1}]\r\n \n\t'), 1).map((r) => r.text)).toEqual(['{"a":1}'])
  })

  it('rejects a file that is not an array, naming the line of its first text', () => {
    const error = shapeError(array, bytesOf('\n\n{"a":1}\n'))
    expect(error.message).toContain('expected a JSON array')
    expect(error.line).toBe(3)
  })

  it('rejects an empty or whitespace-only file as holding no array', () => {
    expect(shapeError(array, new Uint8Array(0)).message).toBe('the file holds no JSON array')
    expect(shapeError(array, bytesOf('  \n  ')).line).toBe(2)
  })
})

describe('JsonArraySplitter in bare mode (pretty-printed objects without an array)', () => {
  const split = (text: string, chunk: number) => {
    const bytes = new TextEncoder().encode(text)
    const splitter = new JsonArraySplitter(true)
    const out: { text: string; line: number }[] = []
    const emit = (r: RawRecord) =>
      out.push({ text: new TextDecoder().decode(r.bytes), line: r.line })
    for (let i = 0; i < bytes.length; i += chunk) splitter.push(bytes.subarray(i, i + chunk), emit)
    splitter.finish(emit)
    return out
  }

  it('reads one pretty-printed object as one record', () => {
    const text = '{\n  "total": 9,\n  "models": ["a", "b}"]\n}\n'
    expect(split(text, 5)).toEqual([
      { text: '{\n  "total": 9,\n  "models": ["a", "b}"]\n}', line: 1 },
    ])
  })

  it('reads several objects one after the other', () => {
    expect(split('{\n "a": 1\n}\n{\n "a": {"b": 2}\n}', 3).map((r) => r.line)).toEqual([1, 4])
  })

  it('reports an object cut off at the end of the file', () => {
    expect(() => split('{\n "a": 1\n}\n{\n "a": ', 4)).toThrow(/not closed/)
  })
})
