import { beforeAll, expect, it } from 'vitest'
import type { Engine } from '../../renderer/data/engine'
import {
  meanByCategory,
  scatterSample,
  summaryByLanguage,
  checkWhere,
  countRows,
  fieldExtent,
  histogram,
  languageFacet,
  numericFields,
  facetQuery,
  parseFacet,
} from '../../renderer/data/explore'
import { EMPTY_FILTER, type Filter, filterUnits, rowSource } from '../../renderer/data/filter'
import { type Relations, relationNames } from '../../renderer/data/relations'
import { runSql } from '../../renderer/data/sql'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { detectProfile } from '../../renderer/data/profile/detect'
import { UNIT_COLUMNS, createUnitsView } from '../../renderer/data/profile/units'
import { quoteIdent } from '../../shared/sql'
import { PAGE_SIZE, fetchPage, previewsSql } from '../../renderer/data/rows'
import { valueText } from '../../renderer/data/values'
import type { Profile } from '../../shared/profile'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { describeRealdata, realPath } from '../support/realdata'

let engine: Engine
let dataset: LoadedDataset
let profile: Profile
let view: Relations
beforeAll(async () => {
  engine = await createNodeEngine()
  dataset = await loadFiles(engine, realPath('code-rlaif/train.jsonl'))
  profile = detectProfile(dataset.columns)
  view = await createUnitsView(engine, dataset, profile)
})

const filter = (patch: Partial<Filter>): Filter => ({ ...EMPTY_FILTER, ...patch })

describeRealdata('filtering code-rlaif/train.jsonl', () => {
  it('counts every row with the empty filter', async () => {
    expect(await countRows(engine, rowSource(dataset.table, view, EMPTY_FILTER))).toBe(600)
  })

  it('shows cpp 210, python 210, rust 180 in the language facet', async () => {
    expect(await languageFacet(engine, view, EMPTY_FILTER)).toEqual([
      { value: 'cpp', count: 210 },
      { value: 'python', count: 210 },
      { value: 'rust', count: 180 },
    ])
  })

  it('keeps 180 of 600 rows for rust, and the facet still offers the other languages', async () => {
    const rust = filter({ languages: ['rust'] })
    expect(await countRows(engine, rowSource(dataset.table, view, rust))).toBe(180)
    expect((await languageFacet(engine, view, rust)).map((f) => f.count)).toEqual([210, 210, 180])
  })

  it('keeps 390 of 600 rows for the condition reward > 0.5', async () => {
    expect(await checkWhere(engine, view, 'reward > 0.5')).toBeNull()
    expect(
      await countRows(engine, rowSource(dataset.table, view, filter({ where: 'reward > 0.5' }))),
    ).toBe(390)
  })

  it('explains a condition the engine cannot run, and refuses a second statement', async () => {
    expect(await checkWhere(engine, view, 'rewrd > 0.5')).toMatch(/rewrd/)
    expect(await checkWhere(engine, view, 'true; DROP TABLE x')).toMatch(/Only one condition/)
    expect(await checkWhere(engine, view, "prompt = 'a;b'")).toBeNull()
  })

  it('runs no statement smuggled past the WHERE, however its quotes and comments hide it', async () => {
    const smuggled = "1=1 --'\n) ; CREATE TABLE smuggled_t AS SELECT 42 ; SELECT (1 /*'*/"
    expect(await checkWhere(engine, view, smuggled)).toMatch(/Only one condition/)
    // A condition that stays one statement but is no condition (a UNION) is refused too.
    const union = '1) UNION SELECT 1 FROM duckdb_tables() WHERE (1'
    expect(await checkWhere(engine, view, union)).not.toBeNull()
    const made = await engine.query(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'smuggled_t'",
    )
    expect(made.rows).toEqual([{ n: 0 }])
  })

  it('combines a range with the language choice', async () => {
    const [reward] = numericFields(dataset, profile)
    expect(reward?.key).toBe('reward')
    const both = filter({
      languages: ['python'],
      ranges: { reward: { path: ['reward'], min: 0.5, max: null } },
    })
    const expected = await engine.query(
      `SELECT count(*)::INTEGER AS n FROM "${dataset.table}" WHERE language = 'python' AND reward >= 0.5`,
    )
    expect(await countRows(engine, rowSource(dataset.table, view, both))).toBe(expected.rows[0]?.n)
  })

  it('finds text in the prompt or the code, ignoring case', async () => {
    const n = await countRows(engine, rowSource(dataset.table, view, filter({ search: 'SIEVE' })))
    const expected = await engine.query(
      `SELECT count(*)::INTEGER AS n FROM "${dataset.table}" WHERE lower(prompt || student_code || teacher_code) LIKE '%sieve%'`,
    )
    expect(n).toBe(expected.rows[0]?.n)
    expect(n).toBeGreaterThan(0)
  })

  it('bins the reward from 0.21 to 1.0, split by language, counting every row once', async () => {
    const fields = numericFields(dataset, profile)
    expect(fields.map((f) => f.key).slice(0, 3)).toEqual([
      'reward',
      'student_score',
      'teacher_score',
    ])
    const reward = fields[0]!
    const extent = await fieldExtent(engine, view, reward.path)
    expect(extent.min).toBeCloseTo(0.21, 2)
    expect(extent.max).toBeCloseTo(1.0, 5)
    const bins = await histogram(engine, view, reward, extent, EMPTY_FILTER, 20)
    expect(bins).toHaveLength(20)
    expect(bins[0]?.from).toBe(extent.min)
    expect(bins.at(-1)?.to).toBeCloseTo(extent.max!, 9)
    expect(bins.reduce((sum, b) => sum + b.total, 0)).toBe(600)
    const rust = bins.reduce((sum, b) => sum + (b.counts.rust ?? 0), 0)
    expect(rust).toBe(180)
  })

  it('leaves a field out of its own range when binning it, so the chart shows what is outside', async () => {
    const reward = numericFields(dataset, profile)[0]!
    const extent = await fieldExtent(engine, view, reward.path)
    const narrowed = filter({ ranges: { reward: { path: reward.path, min: 0.9, max: null } } })
    const bins = await histogram(engine, view, reward, extent, narrowed, 10)
    expect(bins.reduce((sum, b) => sum + b.total, 0)).toBe(600)
  })
})

describeRealdata('rows of an unnested dataset', () => {
  it('counts AceCode questions, not completions, and keeps a question when any completion passes', async () => {
    const ace = await loadFiles(engine, realPath('acecode-87k/acecode_sample.jsonl'))
    const aceView = await createUnitsView(engine, ace, detectProfile(ace.columns))
    const failing = filter({
      ranges: { pass_rate: { path: ['inferences', 'pass_rate'], min: null, max: 0.5 } },
    })
    expect(await countRows(engine, rowSource(ace.table, aceView, failing))).toBe(1)
    const none = filter({
      ranges: { pass_rate: { path: ['inferences', 'pass_rate'], min: 2, max: null } },
    })
    expect(await countRows(engine, rowSource(ace.table, aceView, none))).toBe(0)
  })
})

describeRealdata('the units table', () => {
  const columnsOf = async (relation: string) =>
    (await engine.query(`DESCRIBE ${quoteIdent(relation)}`)).rows.map((r) =>
      valueText(r.column_name ?? null),
    )

  it('holds the scores and short fields of code-rlaif, but none of its code or prompts', async () => {
    const names = await columnsOf(relationNames(dataset.table).unitTable)
    expect(names).toEqual(
      expect.arrayContaining([
        'reward',
        'student_score',
        'scoring_breakdown',
        'language',
        UNIT_COLUMNS.language,
        UNIT_COLUMNS.codeAChars,
      ]),
    )
    for (const long of ['student_code', 'teacher_code', UNIT_COLUMNS.codeARaw, UNIT_COLUMNS.prompt])
      expect(names).not.toContain(long)
    // The prompts are 38-82 characters: short enough to keep.
    expect(names).toContain('prompt')
  })

  it('keeps an AceCode completion’s pass rate under its own path, without the completion text', async () => {
    const ace = await loadFiles(engine, realPath('acecode-87k/acecode_sample.jsonl'))
    const aceView = await createUnitsView(engine, ace, detectProfile(ace.columns))
    const table = quoteIdent(relationNames(ace.table).unitTable)
    const result = await engine.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE "inferences"['pass_rate'] = 1) AS passed FROM ${table}`,
    )
    const direct = await engine.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE x['pass_rate'] = 1) AS passed FROM (SELECT unnest(inferences) AS x FROM ${quoteIdent(ace.table)})`,
    )
    expect(result.rows[0]).toEqual(direct.rows[0])
    const type = valueText(
      (await engine.query(`SELECT typeof("inferences") AS t FROM ${table} LIMIT 1`)).rows[0]?.t ??
        null,
    )
    expect(type).toContain('pass_rate')
    expect(type).not.toMatch(/\bcompletion /)
    expect(await columnsOf(aceView.units)).toContain('inferences')
    // A search reads the completions' text, and finds the question by a word of its code.
    const search = (text: string) =>
      countRows(engine, rowSource(ace.table, aceView, filter({ search: text })))
    expect(await search('def parse_tokens')).toBe(1)
    expect(await search('no such words anywhere')).toBe(0)
  })

  it('gives the same counts as the full view, which a SQL condition still reads', async () => {
    const python = filter({
      languages: ['python'],
      ranges: { reward: { path: ['reward'], min: 0.5, max: null } },
    })
    const fromTable = await summaryByLanguage(engine, view, ['reward'], python)
    // A SQL condition sends the filter to the view; every row has a reward, so the units are the same.
    const fromView = await summaryByLanguage(engine, view, ['reward'], {
      ...python,
      where: 'reward IS NOT NULL',
    })
    expect(fromTable[0]?.count).toBeGreaterThan(0)
    expect(fromView.map((s) => s.count)).toEqual(fromTable.map((s) => s.count))
  })
})

describeRealdata('a SQL condition', () => {
  it('reads the units table when every column it names is there, the view otherwise', async () => {
    const table = `"${relationNames(dataset.table).unitTable}"`
    const short = filter({ where: "reward > 0.5 AND language = 'rust'" })
    const long = filter({ where: "student_code LIKE '%fn %' AND reward > 0.5" })
    // Before the engine has checked a condition, it is read from the view.
    expect(filterUnits(view, short).from).toBe(`"${view.units}"`)
    expect(await checkWhere(engine, view, short.where)).toBeNull()
    expect(await checkWhere(engine, view, long.where)).toBeNull()
    expect(filterUnits(view, short).from).toBe(table)
    expect(filterUnits(view, long).from).toBe(`"${view.units}"`)
    // Rust rows hold "fn " in their code: both conditions keep the same rows.
    const count = (f: Filter) => countRows(engine, rowSource(dataset.table, view, f))
    expect(await count(short)).toBeGreaterThan(0)
    expect(await count(long)).toBe(await count(short))
  })
})

describeRealdata('distributions', () => {
  it('summarises the reward per language and for all, matching plain SQL', async () => {
    const summary = await summaryByLanguage(engine, view, ['reward'], EMPTY_FILTER)
    expect(summary.map((s) => [s.language, s.count])).toEqual([
      ['all', 600],
      ['cpp', 210],
      ['python', 210],
      ['rust', 180],
    ])
    const expected = await engine.query(
      `SELECT avg(reward) AS mean, median(reward) AS median, quantile_cont(reward, 0.05) AS p5,
              quantile_cont(reward, 0.95) AS p95 FROM "${dataset.table}" WHERE language = 'rust'`,
    )
    const rust = summary.find((s) => s.language === 'rust')
    expect(rust?.mean).toBeCloseTo(Number(expected.rows[0]?.mean), 9)
    expect(rust?.median).toBeCloseTo(Number(expected.rows[0]?.median), 9)
    expect(rust?.p5).toBeCloseTo(Number(expected.rows[0]?.p5), 9)
    expect(rust?.p95).toBeCloseTo(Number(expected.rows[0]?.p95), 9)
    expect(rust?.nulls).toBe(0)
  })

  it('samples student against teacher scores as points, within their ranges', async () => {
    const points = await scatterSample(engine, view, '__rl_score_0', '__rl_score_1', EMPTY_FILTER)
    expect(points).toHaveLength(600)
    expect(points.every((p) => p.x >= 0.2 && p.x <= 0.95 && p.y >= 0.85 && p.y <= 0.95)).toBe(true)
    const rust = await scatterSample(
      engine,
      view,
      '__rl_score_0',
      '__rl_score_1',
      filter({ languages: ['rust'] }),
    )
    expect(new Set(rust.map((p) => p.language))).toEqual(new Set(['rust']))
  })

  it('keeps prompts asked at least 40 times (the one asked 12 times drops out)', async () => {
    const sized = filter({ groupSize: { min: 40, max: null } })
    expect(await countRows(engine, rowSource(dataset.table, view, sized))).toBe(588)
  })
})

describeRealdata('AceCode by model', () => {
  it('counts 16 completions per model and their mean pass rate', async () => {
    const ace = await loadFiles(engine, realPath('acecode-87k/acecode_sample.jsonl'))
    const aceProfile = detectProfile(ace.columns)
    const aceView = await createUnitsView(engine, ace, aceProfile)
    const models = parseFacet(
      (await runSql(engine, facetQuery(aceView, 'models', EMPTY_FILTER))).rows,
    )
    expect(models).toHaveLength(5)
    expect(models.every((m) => m.count === 16)).toBe(true)
    const means = await meanByCategory(
      engine,
      aceView,
      ['inferences', 'pass_rate'],
      '__rl_model',
      EMPTY_FILTER,
    )
    expect(means.map((m) => m.category)).toEqual([...models.map((m) => m.value)].sort())
    const one = filter({ models: [models[0]!.value] })
    expect(await countRows(engine, rowSource(ace.table, aceView, one))).toBe(1)
    const expected = await engine.query(
      `SELECT avg(i.pass_rate) AS m FROM (SELECT unnest(inferences) AS i FROM "${ace.table}") WHERE i.model_name = 'qwen_coder_2.5'`,
    )
    expect(means.find((m) => m.category === 'qwen_coder_2.5')?.mean).toBeCloseTo(
      Number(expected.rows[0]?.m),
      9,
    )
  })
})

describeRealdata('pages of the table', () => {
  /** The prompts of page `page` as plain SQL reads them: in file order, LIMIT and OFFSET. */
  async function promptsBySql(where: string, page: number): Promise<string[]> {
    const result = await engine.query(
      `SELECT prompt FROM ${quoteIdent(dataset.table)} WHERE ${where} ORDER BY rowid LIMIT ${PAGE_SIZE} OFFSET ${page * PAGE_SIZE}`,
    )
    return result.rows.map((r) => valueText(r.prompt ?? null))
  }
  const prompts = (rows: { values: Record<string, unknown> }[]) =>
    rows.map((r) => valueText((r.values.prompt as string | null) ?? null).slice(0, 240))

  it('reads any unfiltered page in file order, the last one short, none past the end', async () => {
    // 600 rows: pages 0 to 5 are full, page 6 is empty.
    const third = await fetchPage(engine, dataset, null, 3)
    expect(third.map((r) => r.id)).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => 300 + i))
    expect(prompts(third)).toEqual((await promptsBySql('true', 3)).map((p) => p.slice(0, 240)))
    const last = await fetchPage(engine, dataset, null, 5)
    expect(last.at(-1)!.id).toBe(599)
    expect(await fetchPage(engine, dataset, null, 6)).toEqual([])
  })

  it('reads a filtered page from the rows the filter keeps', async () => {
    const source = rowSource(dataset.table, view, filter({ languages: ['rust'] }))
    const page = await fetchPage(engine, dataset, null, 1, source)
    expect(page).toHaveLength(80)
    const expected = await promptsBySql(`language = 'rust'`, 1)
    expect(prompts(page)).toEqual(expected.map((p) => p.slice(0, 240)))
  })

  it('reads the previews of rows far apart, each once, whatever order the ids come in', async () => {
    await engine.exec(
      `CREATE OR REPLACE TABLE spread AS SELECT i AS n, 'row ' || i AS label FROM range(10000) r(i)`,
    )
    const columns = [
      { name: 'n', type: 'BIGINT', kind: 'number' as const },
      { name: 'label', type: 'VARCHAR', kind: 'text' as const },
    ]
    const ids = [9999, 3, 5000, 4097, 4, 2050]
    const result = await engine.query(previewsSql('spread', columns, ids))
    const got = result.rows.map((r) => [Number(r.__rl_id), valueText(r.label ?? null)])
    expect(got.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(
      [...ids].sort((a, b) => a - b).map((id) => [id, `row ${id}`]),
    )
    await engine.exec('DROP TABLE spread')
  })
})
