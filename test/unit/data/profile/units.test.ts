import { describe, expect, it } from 'vitest'
import { type ColumnInfo, columnKind } from '../../../../renderer/data/dataset'
import { detectProfile } from '../../../../renderer/data/profile/detect'
import {
  UNIT_COLUMNS,
  compareColumns,
  compareScoreColumn,
  scoreColumn,
  slimSql,
  textLeaves,
  unitTableSql,
  unitsViewSql,
} from '../../../../renderer/data/profile/units'
import { newRelations, relationNames } from '../../../../renderer/data/relations'

const T = newRelations('t')
import { parseDuckType } from '../../../../renderer/data/profile/duckType'
import { type Profile, pickField } from '../../../../shared/profile'

function columns(spec: Record<string, string>): ColumnInfo[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type, kind: columnKind(type) }))
}

const ACECODE = detectProfile(
  columns({
    id: 'VARCHAR',
    question: 'VARCHAR',
    test_cases: 'VARCHAR[]',
    inferences:
      'STRUCT(completion VARCHAR, completion_id BIGINT, model_name VARCHAR, pass_rate DOUBLE)[]',
  }),
)

const VIZHUB = detectProfile(
  columns({
    prompt: 'VARCHAR',
    chosen: 'VARCHAR',
    rejected: 'VARCHAR',
    metadata:
      'STRUCT(challenge VARCHAR, chosen_model VARCHAR, rejected_model VARCHAR, ' +
      'chosen_scores STRUCT(technical BIGINT, aesthetic BIGINT, overall BIGINT, vote_count BIGINT), ' +
      'rejected_scores STRUCT(technical BIGINT, aesthetic BIGINT, overall DOUBLE, vote_count BIGINT), ' +
      'score_difference DOUBLE, dataset_version VARCHAR, generated_at VARCHAR)',
  }),
)

const CODE_RLAIF = detectProfile(
  columns({
    prompt: 'VARCHAR',
    language: 'VARCHAR',
    student_code: 'VARCHAR',
    teacher_code: 'VARCHAR',
    student_score: 'DOUBLE',
    teacher_score: 'DOUBLE',
    reward: 'DOUBLE',
    scoring_breakdown: 'STRUCT(correctness DOUBLE, code_quality DOUBLE)',
  }),
)

const EMPTY: Profile = {
  family: 'generic',
  unnest: null,
  prompt: null,
  language: null,
  fixedLanguage: null,
  codeA: null,
  codeB: null,
  scores: [],
  reward: null,
  group: null,
  tests: null,
  model: null,
  breakdown: null,
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** How many times `AS name` aliases that exact name in the SQL. */
function aliasCount(sql: string, name: string): number {
  return sql.match(new RegExp(String.raw`\bAS ${name}\b`, 'g'))?.length ?? 0
}

describe('unitsViewSql', () => {
  it('detects the profiles it is tested with', () => {
    expect([ACECODE.family, VIZHUB.family, CODE_RLAIF.family]).toEqual([
      'acecode',
      'preference-pairs',
      'code-rlaif',
    ])
  })

  it('creates the units view of the table, quoting both names', () => {
    expect(relationNames('dataset_1').units).toBe('dataset_1_units')
    const sql = unitsViewSql(newRelations('my "table"'), EMPTY)
    expect(sql.startsWith(`CREATE OR REPLACE VIEW "my ""table""_units" AS`)).toBe(true)
    expect(sql).toContain(`FROM "my ""table"""`)
  })

  it('unnests the list column, numbering its elements from the same list', () => {
    const sql = unitsViewSql(T, ACECODE)
    expect(sql).toContain(`generate_subscripts("inferences", 1) AS ${UNIT_COLUMNS.item}`)
    expect(sql).toContain(`* REPLACE (unnest("inferences") AS "inferences")`)
    expect(sql).toContain(`rowid AS ${UNIT_COLUMNS.row}`)
  })

  it('does not unnest when rows are the units', () => {
    const sql = unitsViewSql(T, VIZHUB)
    expect(sql).not.toContain('unnest(')
    expect(sql).not.toContain('generate_subscripts(')
    expect(sql).toContain(`NULL::BIGINT AS ${UNIT_COLUMNS.item}`)
  })

  it('takes a fromGroup codeB from the best unit of the group in a window over the row and group', () => {
    const sql = unitsViewSql(T, ACECODE)
    // The window partitions by the row (so one row's units are read alone) and the group, and puts
    // the highest pass rate first; its frame may vary.
    const window = (value: string, alias: string) =>
      new RegExp(
        escapeRegExp(
          `first_value(${value}) OVER (PARTITION BY ${UNIT_COLUMNS.row}, "id" ORDER BY TRY_CAST("inferences"['pass_rate'] AS DOUBLE) DESC NULLS LAST, ${UNIT_COLUMNS.item} ROWS `,
        ) +
          '[A-Z ]+' +
          escapeRegExp(`) AS ${alias}`),
      )
    expect(sql).toMatch(
      window(`TRY_CAST("inferences"['completion'] AS VARCHAR)`, UNIT_COLUMNS.codeBRaw),
    )
    expect(sql).toMatch(window(UNIT_COLUMNS.item, UNIT_COLUMNS.codeBItem))
  })

  it('orders ascending for a worst pick, and partitions by the row without a group', () => {
    const codeB = ACECODE.codeB!
    const sql = unitsViewSql(T, {
      ...ACECODE,
      group: null,
      codeB: { ...codeB, fromGroup: { pick: 'worst', by: pickField(codeB.fromGroup)! } },
    })
    expect(sql).toContain(
      `OVER (PARTITION BY ${UNIT_COLUMNS.row} ORDER BY TRY_CAST("inferences"['pass_rate'] AS DOUBLE) ASC NULLS LAST`,
    )
    expect(sql).not.toContain('DESC')
  })

  it('uses no window when codeB is the unit’s own', () => {
    const sql = unitsViewSql(T, CODE_RLAIF)
    expect(sql).not.toContain('OVER (')
    expect(sql).toContain(`TRY_CAST("teacher_code" AS VARCHAR) AS ${UNIT_COLUMNS.codeBRaw}`)
    expect(sql).toContain(`NULL::BIGINT AS ${UNIT_COLUMNS.codeBItem}`)
  })

  it('gives each score its numbered column, in the order of the profile', () => {
    const sql = unitsViewSql(T, VIZHUB)
    expect(VIZHUB.scores).toHaveLength(8)
    const positions = VIZHUB.scores.map((path, i) => {
      const [column, ...fields] = path
      const read = `"${column}"` + fields.map((f) => `['${f}']`).join('')
      const term = `TRY_CAST(${read} AS DOUBLE) AS ${scoreColumn(i)}`
      expect(sql).toContain(term)
      return sql.indexOf(term)
    })
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
    expect(scoreColumn(0)).toBe('__rl_score_0')
    expect(sql).not.toContain(scoreColumn(VIZHUB.scores.length))
  })

  it('has no score columns for a profile without scores', () => {
    expect(unitsViewSql(T, EMPTY)).not.toContain('__rl_score_')
  })

  it('reads the tests and the breakdown as they are, and casts text roles', () => {
    const ace = unitsViewSql(T, ACECODE)
    expect(ace).toContain(`"test_cases" AS ${UNIT_COLUMNS.tests}`)
    expect(ace).toContain(
      `TRY_CAST("inferences"['model_name'] AS VARCHAR) AS ${UNIT_COLUMNS.model}`,
    )
    const rlaif = unitsViewSql(T, CODE_RLAIF)
    expect(rlaif).toContain(`"scoring_breakdown" AS ${UNIT_COLUMNS.breakdown}`)
    expect(rlaif).toContain(`TRY_CAST("reward" AS DOUBLE) AS ${UNIT_COLUMNS.reward}`)
    expect(rlaif).toContain(`TRY_CAST("language" AS VARCHAR) AS ${UNIT_COLUMNS.languageLabel}`)
  })

  it.each([
    ['acecode', ACECODE],
    ['preference pairs', VIZHUB],
    ['code-rlaif', CODE_RLAIF],
    ['an empty profile', EMPTY],
  ])('aliases every role column exactly once for %s', (_name, profile) => {
    const view = unitsViewSql(T, profile)
    const table = unitTableSql(T, profile, [])
    // Computed once into the units table and joined into the view.
    const fromTable: string[] = [
      UNIT_COLUMNS.language,
      UNIT_COLUMNS.codeAChars,
      UNIT_COLUMNS.groupKey,
      UNIT_COLUMNS.rerunPassRate,
      UNIT_COLUMNS.rerunStatus,
      ...compareColumns(profile).map((col) => col.name),
    ]
    for (const name of Object.values(UNIT_COLUMNS)) {
      const count = fromTable.includes(name)
        ? aliasCount(table, name) +
          (view.match(new RegExp(String.raw`\bu\.${name}\b`, 'g'))?.length ?? 0) -
          1
        : aliasCount(view, name)
      expect({ name, count }).toEqual({ name, count: 1 })
    }
    profile.scores.forEach((_path, i) => {
      expect(aliasCount(view, scoreColumn(i))).toBe(1)
      expect(aliasCount(table, compareScoreColumn(i))).toBe(1)
    })
  })

  it('joins the units table on the row and the item of each unit', () => {
    const view = unitsViewSql(T, ACECODE)
    const table = unitTableSql(T, ACECODE, [{ name: 'id', sql: '"id"' }])
    expect(table.startsWith(`CREATE OR REPLACE TABLE "t_unit_table" AS`)).toBe(true)
    // The units table sees the same units: it unnests the same list.
    expect(table).toContain(`generate_subscripts("inferences", 1) AS ${UNIT_COLUMNS.item}`)
    expect(table).toContain(`"id" AS "id"`)
    expect(view).toContain(`) code\n  LEFT JOIN "t_unit_table" u`)
    // No WITH: DuckDB materialises CTEs, which would compute every unit's code for every query.
    expect(view).not.toMatch(/\bWITH\b/)
    expect(view).toMatch(
      new RegExp(String.raw`ON u\.${UNIT_COLUMNS.row} = code\.${UNIT_COLUMNS.row} AND `),
    )
    expect(table).toContain(`'unknown') AS ${UNIT_COLUMNS.language}`)
    // The group's other unit is found by number only: no window over every unit's text.
    expect(table).not.toContain('first_value(TRY_CAST')
  })

  it('uses role column names that are all distinct and reserved', () => {
    const names = Object.values(UNIT_COLUMNS)
    expect(new Set(names).size).toBe(names.length)
    for (const name of names) expect(name).toMatch(/^__rl_[a-z_]+$/)
  })
})

describe('slimSql', () => {
  const type = parseDuckType(
    'STRUCT(completion VARCHAR, pass_rate DOUBLE, meta STRUCT(model VARCHAR, trace VARCHAR), tags VARCHAR[])',
  )
  const long = new Set(['completion', 'meta.trace'])
  const isLong = (path: readonly string[]) => long.has(path.slice(1).join('.'))

  it('measures every text leaf, inside nested structs and lists', () => {
    expect(textLeaves(['x'], type)).toEqual([
      ['x', 'completion'],
      ['x', 'meta', 'model'],
      ['x', 'meta', 'trace'],
      ['x', 'tags'],
    ])
  })

  it('rebuilds a struct from its short fields, keeping their names and paths', () => {
    expect(slimSql(['x'], type, isLong)).toBe(
      `CASE WHEN "x" IS NULL THEN NULL ELSE struct_pack("pass_rate" := "x"['pass_rate'], "meta" := CASE WHEN "x"['meta'] IS NULL THEN NULL ELSE struct_pack("model" := "x"['meta']['model']) END, "tags" := "x"['tags']) END`,
    )
  })

  it('keeps a field with nothing long as it is, and drops a long text column', () => {
    expect(slimSql(['x'], type, () => false)).toBe('"x"')
    expect(slimSql(['code'], parseDuckType('VARCHAR'), () => true)).toBeNull()
    expect(slimSql(['score'], parseDuckType('DOUBLE'), () => true)).toBe('"score"')
  })
})
