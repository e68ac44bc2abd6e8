import { createHash } from 'node:crypto'
import { createSHA256 } from 'hash-wasm'
import { describe, expect, it } from 'vitest'
import { csvField, csvHeader, csvLine } from '../../../renderer/data/export/csvText'
import { appendMembers, compactJson, jsonValue } from '../../../renderer/data/export/jsonText'
import { DEFAULT_EXPORT_OPTIONS, suggestedName } from '../../../renderer/data/export/options'
import { ExportOutput } from '../../../renderer/data/export/output'
import { pairLine } from '../../../renderer/data/export/pairs'
import { describeFilter, inlineParams, sourceHash } from '../../../renderer/data/export/provenance'
import { EMPTY_FILTER } from '../../../renderer/data/filter'
import type { LoadedDataset } from '../../../renderer/data/dataset'
import { parseDuckType } from '../../../renderer/data/profile/duckType'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const text = (parts: Uint8Array[]) => decoder.decode(Buffer.concat(parts))

describe('SHA-256 of a source', () => {
  const nodeSha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

  it('matches node:crypto whatever the chunk boundaries', async () => {
    const data = new Uint8Array(200_003).map((_, i) => (i * 31 + 7) & 255)
    for (const step of [1, 63, 64, 65, 4096, 200_003]) {
      const hash = await createSHA256()
      for (let at = 0; at < data.length; at += step) hash.update(data.subarray(at, at + step))
      expect(hash.digest('hex')).toBe(nodeSha256(data))
    }
  })

  it('hashes the empty message and lengths around the padding boundary', async () => {
    for (const length of [0, 55, 56, 57, 119, 120]) {
      const data = new Uint8Array(length).fill(0x61)
      expect((await createSHA256()).update(data).digest('hex')).toBe(nodeSha256(data))
    }
  })

  it('hashes a source file read in byte ranges, and an empty one', async () => {
    for (const size of [0, 3 * 1024 * 1024 + 17]) {
      const data = new Uint8Array(size).map((_, i) => (i * 131 + 3) & 255)
      const file = { id: `f${size}`, name: 'a.jsonl', path: 'a.jsonl', size }
      const read = (_id: string, start: number, end: number) =>
        Promise.resolve(data.subarray(start, end))
      expect(await sourceHash(file, read)).toBe(nodeSha256(data))
    }
  })
})

describe('jsonValue', () => {
  const t = parseDuckType
  it('keeps a whole number in a float column a float', () => {
    expect(jsonValue(1, t('DOUBLE'))).toBe('1.0')
    expect(jsonValue(0.25, t('DOUBLE'))).toBe('0.25')
    expect(jsonValue(3, t('BIGINT'))).toBe('3')
  })

  it('writes 64-bit integers beyond 2^53 as their digits, and non-finite numbers as null', () => {
    expect(jsonValue('9007199254740993', t('BIGINT'))).toBe('9007199254740993')
    expect(jsonValue('9007199254740993', t('VARCHAR'))).toBe('"9007199254740993"')
    expect(jsonValue(Number.NaN, t('DOUBLE'))).toBe('null')
  })

  it('writes structs in their field order and lists of them, keys with dots intact', () => {
    const type = t('STRUCT("trial_qwen2.5_0" STRUCT(ok BOOLEAN, score DOUBLE), tags VARCHAR[])')
    expect(jsonValue({ tags: ['a', 'b"c'], 'trial_qwen2.5_0': { score: 1, ok: true } }, type)).toBe(
      '{"trial_qwen2.5_0":{"ok":true,"score":1.0},"tags":["a","b\\"c"]}',
    )
  })
})

describe('compactJson', () => {
  it('removes whitespace between tokens and keeps strings, numbers and escapes as written', () => {
    const pretty = encoder.encode(
      '{\n  "a" : 1.50,\n  "b": "x  y\\"  z",\r\n\t"c": [ 1e3 , -0 ]\n}',
    )
    expect(decoder.decode(compactJson(pretty))).toBe('{"a":1.50,"b":"x  y\\"  z","c":[1e3,-0]}')
  })
})

describe('appendMembers', () => {
  it('adds members before the closing brace and leaves the bytes before it alone', () => {
    const record = encoder.encode('{"a": 1} ')
    expect(text(appendMembers(record, '"rl_x":true'))).toBe('{"a": 1,"rl_x":true} ')
  })

  it('adds to an empty object without a comma, and nothing when there is nothing to add', () => {
    expect(text(appendMembers(encoder.encode('{ }'), '"k":1'))).toBe('{ "k":1}')
    const record = encoder.encode('{"a":1}')
    expect(appendMembers(record, '')).toEqual([record])
  })
})

describe('CSV', () => {
  const t = parseDuckType
  it('quotes what needs quoting, keeps null and empty apart, and writes nested values as JSON', () => {
    expect(csvHeader(['a', 'b,c'])).toBe('a,"b,c"\n')
    expect(
      csvLine(
        ['plain', 'with "quote", comma', '', null, 0.5, 2, { x: 1 }, ['p', 'q'], 'line\nbreak'],
        [
          t('VARCHAR'),
          t('VARCHAR'),
          t('VARCHAR'),
          t('VARCHAR'),
          t('DOUBLE'),
          t('DOUBLE'),
          t('STRUCT(x BIGINT)'),
          t('VARCHAR[]'),
          t('VARCHAR'),
        ],
      ),
    ).toBe('plain,"with ""quote"", comma","",,0.5,2.0,"{""x"":1}","[""p"",""q""]","line\nbreak"\n')
    expect(csvField(' padded', t('VARCHAR'))).toBe('" padded"')
  })

  it('writes text a spreadsheet would run as a formula as text, when spreadsheet-safe', () => {
    const text = t('VARCHAR')
    const cells = ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', 'a=b', 'plain']
    expect(cells.map((c) => csvField(c, text, true))).toEqual([
      "'=1+1",
      "'+SUM(A1)",
      "'-2+3",
      "'@cmd",
      "'\tx",
      'a=b',
      'plain',
    ])
    // Numbers are numbers, negative or not; and the option is off unless asked.
    expect(csvField(-2, t('DOUBLE'), true)).toBe('-2.0')
    expect(csvField('=1+1', text)).toBe('=1+1')
    expect(csvHeader(['id', '=cmd|x'], true)).toBe("id,'=cmd|x\n")
    expect(csvLine(['=HYPERLINK("x")', 3], [text, t('BIGINT')], true)).toBe(
      '"\'=HYPERLINK(""x"")",3\n',
    )
  })
})

describe('provenance', () => {
  it('describes a filter in words', () => {
    expect(describeFilter(EMPTY_FILTER)).toBe('none')
    expect(describeFilter({ ...EMPTY_FILTER, languages: ['rust'] })).toBe('language = rust')
    expect(
      describeFilter({
        ...EMPTY_FILTER,
        languages: ['cpp', 'rust'],
        ranges: { reward: { path: ['reward'], min: 0.5, max: null } },
        flagged: 'exclude',
        where: 'len(prompt) > 10',
      }),
    ).toBe('language in (cpp, rust); reward ≥ 0.5; flagged rows left out; where len(prompt) > 10')
  })

  it('writes parameters into SQL, leaving question marks inside literals alone', () => {
    expect(
      inlineParams(`SELECT 1 WHERE a IN (?, ?) AND b = '?' AND "c?" = ? AND d = ?`, [
        "it's",
        2,
        null,
        true,
      ]),
    ).toBe(`SELECT 1 WHERE a IN ('it''s', 2) AND b = '?' AND "c?" = NULL AND d = true`)
  })
})

describe('suggestedName', () => {
  const dataset = { source: { name: 'train.jsonl' } } as LoadedDataset
  const options = DEFAULT_EXPORT_OPTIONS
  it('names the languages kept, or says filtered, flagged or all; never the source itself', () => {
    expect(suggestedName(dataset, { ...EMPTY_FILTER, languages: ['rust'] }, options)).toBe(
      'train.rust.jsonl',
    )
    expect(suggestedName(dataset, { ...EMPTY_FILTER, languages: ['cpp', 'rust'] }, options)).toBe(
      'train.cpp+rust.jsonl',
    )
    expect(suggestedName(dataset, EMPTY_FILTER, options)).toBe('train.all.jsonl')
    expect(suggestedName(dataset, EMPTY_FILTER, { ...options, flagged: 'only' })).toBe(
      'train.flagged.jsonl',
    )
    expect(suggestedName(dataset, { ...EMPTY_FILTER, search: 'x' }, options)).toBe(
      'train.filtered.jsonl',
    )
    expect(suggestedName(dataset, EMPTY_FILTER, { ...options, format: 'parquet' })).toBe(
      'train.all.parquet',
    )
    expect(suggestedName(dataset, EMPTY_FILTER, { ...options, format: 'triplets' })).toBe(
      'train.all.pairs.jsonl',
    )
  })
})

describe('pairLine', () => {
  it('chooses the higher-scored side and writes the vizhub layout', () => {
    const line = pairLine(
      {
        unit_row: 4,
        unit_item: null,
        prompt: 'Sort a list',
        code_a: 'student code',
        code_b: 'teacher code',
        score_a: 0.85,
        score_b: 0.95,
        model_a: null,
        model_b: null,
        language: 'python',
        grp: 'Sort a list',
      },
      {
        source: 'train.jsonl',
        labelA: 'student',
        labelB: 'teacher',
        unnested: false,
        generatedAt: '2026-11-21T12:00:00.000Z',
      },
    )
    const pair = JSON.parse(line) as Record<string, unknown>
    expect(Object.keys(pair)).toEqual(['prompt', 'chosen', 'rejected', 'metadata'])
    expect(pair).toMatchObject({
      prompt: 'Sort a list',
      chosen: 'teacher code',
      rejected: 'student code',
      metadata: {
        source: 'train.jsonl',
        row: 4,
        chosen_side: 'teacher',
        rejected_side: 'student',
        chosen_score: 0.95,
        rejected_score: 0.85,
        score_difference: 0.1,
      },
    })
  })
})

describe('ExportOutput', () => {
  it('gathers small parts into chunks and sends them in order, one write in flight', async () => {
    const sent: string[] = []
    let inFlight = 0
    let most = 0
    const host = {
      writeExport: async (_id: string, chunk: Uint8Array) => {
        most = Math.max(most, ++inFlight)
        await new Promise((resolve) => setTimeout(resolve, 1))
        sent.push(decoder.decode(chunk))
        inFlight--
      },
    }
    const output = new ExportOutput(host, 'x', 10)
    for (let i = 0; i < 20; i++) await output.add(`${i},`)
    await output.add(encoder.encode('end'))
    await output.flush()
    expect(sent.join('')).toBe(`${Array.from({ length: 20 }, (_, i) => `${i},`).join('')}end`)
    expect(most).toBe(1)
    expect(output.bytes).toBe(sent.join('').length)
  })

  it('reports a failed write at the next send', async () => {
    const output = new ExportOutput(
      { writeExport: () => Promise.reject(new Error('The disk is full')) },
      'x',
      4,
    )
    await output.add(encoder.encode('12345'))
    await expect(output.flush()).rejects.toThrow('The disk is full')
  })
})
