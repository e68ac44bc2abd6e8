import { describe, expect, it } from 'vitest'
import { type ColumnInfo, columnKind } from '../../../../renderer/data/dataset'
import {
  fieldSql,
  findField,
  listFields,
  unnestCandidates,
} from '../../../../renderer/data/profile/fields'

function columns(spec: Record<string, string>): ColumnInfo[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type, kind: columnKind(type) }))
}

/** The listed fields as `path.joined.with.dots: kind`. */
function summary(cols: readonly ColumnInfo[], unnest: readonly string[] | null): string[] {
  return listFields(cols, unnest).map((f) => `${f.path.join('.')}: ${f.kind}`)
}

const ACECODE = columns({
  id: 'VARCHAR',
  question: 'VARCHAR',
  test_cases: 'VARCHAR[]',
  inferences:
    'STRUCT(completion VARCHAR, completion_id BIGINT, model_name VARCHAR, pass_rate DOUBLE)[]',
})

describe('listFields', () => {
  it('lists every column with its kind, in file order', () => {
    expect(
      summary(
        columns({ a: 'VARCHAR', n: 'DOUBLE', b: 'BOOLEAN', t: 'TIMESTAMP', x: 'BLOB' }),
        null,
      ),
    ).toEqual(['a: text', 'n: number', 'b: bool', 't: time', 'x: other'])
  })

  it('flattens struct fields with their paths', () => {
    expect(
      summary(
        columns({
          metadata:
            'STRUCT(challenge VARCHAR, chosen_scores STRUCT(technical BIGINT, overall BIGINT))',
        }),
        null,
      ),
    ).toEqual([
      'metadata: struct',
      'metadata.challenge: text',
      'metadata.chosen_scores: struct',
      'metadata.chosen_scores.technical: number',
      'metadata.chosen_scores.overall: number',
    ])
  })

  it('goes four struct levels deep and no deeper', () => {
    expect(
      summary(columns({ deep: 'STRUCT(a STRUCT(b STRUCT(c STRUCT(d STRUCT(e BIGINT)))))' }), null),
    ).toEqual([
      'deep: struct',
      'deep.a: struct',
      'deep.a.b: struct',
      'deep.a.b.c: struct',
      'deep.a.b.c.d: struct',
    ])
  })

  it('keeps field names with dots as one path part', () => {
    const fields = listFields(
      columns({ trials: 'STRUCT("trial_qwen2.5_0" STRUCT(solution_code VARCHAR))' }),
      null,
    )
    expect(fields.map((f) => f.path)).toEqual([
      ['trials'],
      ['trials', 'trial_qwen2.5_0'],
      ['trials', 'trial_qwen2.5_0', 'solution_code'],
    ])
  })

  it('leaves list columns as lists without their element fields when not unnested', () => {
    expect(summary(ACECODE, null)).toEqual([
      'id: text',
      'question: text',
      'test_cases: list',
      'inferences: list',
    ])
  })

  it("replaces the unnested list column by its element's fields", () => {
    expect(summary(ACECODE, ['inferences'])).toEqual([
      'id: text',
      'question: text',
      'test_cases: list',
      'inferences: struct',
      'inferences.completion: text',
      'inferences.completion_id: number',
      'inferences.model_name: text',
      'inferences.pass_rate: number',
    ])
  })

  it('keeps the parsed type of each field', () => {
    const fields = listFields(ACECODE, ['inferences'])
    expect(findField(fields, ['test_cases'])?.type).toEqual({
      kind: 'list',
      element: { kind: 'scalar', name: 'VARCHAR' },
    })
    expect(findField(fields, ['inferences', 'pass_rate'])?.type).toEqual({
      kind: 'scalar',
      name: 'DOUBLE',
    })
  })

  it('does not unnest a column when the unnest path names a field inside it', () => {
    expect(summary(ACECODE, ['inferences', 'completion'])).toEqual(summary(ACECODE, null))
  })

  it('lists a map as a struct without children', () => {
    expect(summary(columns({ m: 'MAP(VARCHAR, INTEGER)' }), null)).toEqual(['m: struct'])
  })
})

describe('unnestCandidates', () => {
  it('offers every list column: lists of records and lists of text alike', () => {
    expect(
      unnestCandidates(
        columns({
          test_cases: 'VARCHAR[]',
          inferences: 'STRUCT(completion VARCHAR, pass_rate DOUBLE)[]',
          metadata: 'STRUCT(a BIGINT)',
          gpt_pass_sequence: 'BIGINT[]',
          conversations: 'STRUCT("from" VARCHAR, "value" VARCHAR)[]',
          grid: 'BIGINT[][]',
          text: 'VARCHAR',
        }),
      ),
    ).toEqual([['test_cases'], ['inferences'], ['gpt_pass_sequence'], ['conversations'], ['grid']])
  })

  it('offers nothing for a file without lists', () => {
    expect(unnestCandidates(columns({ a: 'VARCHAR', b: 'STRUCT(x BIGINT[])' }))).toEqual([])
  })
})

describe('findField', () => {
  it('finds a field by its exact path and nothing by a prefix or another case', () => {
    const fields = listFields(ACECODE, ['inferences'])
    expect(findField(fields, ['inferences', 'model_name'])?.kind).toBe('text')
    expect(findField(fields, ['inferences', 'model'])).toBeUndefined()
    expect(findField(fields, ['Inferences', 'model_name'])).toBeUndefined()
    expect(findField(fields, ['inferences', 'model_name', 'x'])).toBeUndefined()
  })
})

describe('fieldSql', () => {
  it('quotes the column and reads struct fields with bracket access', () => {
    expect(fieldSql(['metadata', 'chosen_scores', 'overall'])).toBe(
      `"metadata"['chosen_scores']['overall']`,
    )
  })

  it('keeps names with dots whole', () => {
    expect(fieldSql(['trials', 'trial_qwen2.5_0', 'solution_code'])).toBe(
      `"trials"['trial_qwen2.5_0']['solution_code']`,
    )
  })

  it('doubles a double quote in the column name', () => {
    expect(fieldSql(['a"b'])).toBe(`"a""b"`)
  })

  it('doubles an apostrophe in a field name', () => {
    expect(fieldSql(['notes', "it's"])).toBe(`"notes"['it''s']`)
  })

  it('leaves an apostrophe in a column name and a quote in a field name as they are', () => {
    expect(fieldSql(["it's", 'say "hi"'])).toBe(`"it's"['say "hi"']`)
  })
})
