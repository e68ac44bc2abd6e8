import { describe, expect, it } from 'vitest'
import {
  countRowsQuery,
  extentQuery,
  facetQuery,
  histogramQuery,
  meanByCategoryQuery,
  parseExtent,
  parseFacet,
  parseHistogram,
  parseSummary,
  scatterQuery,
  summaryQuery,
} from '../../../renderer/data/explore'
import { EMPTY_FILTER, type Filter, rowSource } from '../../../renderer/data/filter'
import { newRelations } from '../../../renderer/data/relations'

const filter = (patch: Partial<Filter>): Filter => ({ ...EMPTY_FILTER, ...patch })
const reward = { key: 'reward', path: ['reward'], role: true } as const

describe('explore query builders', () => {
  it('count the whole table without parameters when nothing filters', () => {
    const rel = newRelations('ds')
    const q = countRowsQuery(rowSource('ds', rel, EMPTY_FILTER))
    expect(q).toEqual({ text: 'SELECT count(*) AS n FROM "ds" WHERE true', params: [] })
  })

  it('count rows through the units table, with the languages as parameters', () => {
    const rel = newRelations('ds')
    const q = countRowsQuery(rowSource('ds', rel, filter({ languages: ['rust', 'cpp'] })))
    expect(q.text).toBe(
      'SELECT count(*) AS n FROM "ds" WHERE rowid IN (SELECT __rl_row FROM "ds_unit_table" WHERE __rl_language IN (?, ?))',
    )
    expect(q.params).toEqual(['rust', 'cpp'])
  })

  it('leave the facet’s own choice out of its counts, and keep the rest in order', () => {
    const rel = newRelations('ds')
    const f = filter({
      languages: ['rust'],
      models: ['m1'],
      ranges: { reward: { path: ['reward'], min: 0.5, max: null } },
    })
    const languages = facetQuery(rel, 'languages', f)
    expect(languages.text).not.toContain('__rl_language IN')
    expect(languages.text).toContain('__rl_model IN (?)')
    expect(languages.params).toEqual([0.5, 'm1'])
    const models = facetQuery(rel, 'models', f)
    expect(models.text).toContain('__rl_language IN (?)')
    expect(models.text).not.toContain('__rl_model IN')
    expect(models.params).toEqual(['rust', 0.5])
  })

  it('read the units view for a SQL condition the units table has not been found to answer', () => {
    const rel = newRelations('ds')
    const where = "__rl_code_a LIKE '%import%'"
    expect(summaryQuery(rel, ['reward'], filter({ where })).text).toContain('FROM "ds_units"')
    rel.conditionsOnTable.add(where)
    expect(summaryQuery(rel, ['reward'], filter({ where })).text).toContain('FROM "ds_unit_table"')
  })

  it('search the text view with one lower-cased parameter per text role', () => {
    const q = scatterQuery(newRelations('ds'), 'x', 'y', filter({ search: 'Sieve' }))
    expect(q.text).toContain('FROM "ds_unit_text"')
    expect(q.params).toEqual(['sieve', 'sieve', 'sieve'])
  })

  it('bin a histogram from the extent, leaving the field’s own range out', () => {
    const rel = newRelations('ds')
    const extent = { min: 0, max: 1, nulls: 0 }
    const f = filter({
      ranges: {
        reward: { path: ['reward'], min: 0.2, max: 0.8 },
        score: { path: ['score'], min: 3, max: null },
      },
    })
    const q = histogramQuery(rel, reward, extent, f, 4)
    expect(q.params).toEqual([0, 0.25, 3, 3])
    expect(q.text).toContain(`TRY_CAST("score" AS DOUBLE) >= ?`)
    expect(q.text).not.toContain(`TRY_CAST("reward" AS DOUBLE) >= ?`)
  })

  it('parse a histogram into every bar, empty ones included, with counts per language', () => {
    const bins = parseHistogram(
      [
        { bin: 0, lang: 'python', n: 2 },
        { bin: 0, lang: 'rust', n: 1 },
        { bin: 3, lang: 'python', n: 5 },
      ],
      { min: 0, max: 1, nulls: 0 },
      4,
    )
    expect(bins.map((b) => b.total)).toEqual([3, 0, 0, 5])
    expect(bins[0]?.counts).toEqual({ python: 2, rust: 1 })
    expect(bins.at(-1)?.to).toBe(1)
    expect(parseHistogram([], { min: null, max: null, nulls: 3 }, 4)).toEqual([])
  })

  it('read the extent over all units, whatever the filter', () => {
    const q = extentQuery(newRelations('ds'), ['reward'])
    expect(q.params).toEqual([])
    expect(q.text).toContain('FROM "ds_unit_table"')
    expect(parseExtent([{ lo: 0.1, hi: 0.9, nulls: 2 }])).toEqual({ min: 0.1, max: 0.9, nulls: 2 })
    expect(parseExtent([])).toEqual({ min: null, max: null, nulls: 0 })
  })

  it('parse facets and summaries from plain rows', () => {
    expect(parseFacet([{ value: 'rust', n: 3 }])).toEqual([{ value: 'rust', count: 3 }])
    expect(
      parseSummary([
        { language: 'all', n: 2, mean: 0.5, p5: 0.1, median: 0.5, p95: Number.NaN, nulls: 0 },
        {
          language: 'go',
          n: 4,
          mean: 0.75,
          p5: 0,
          median: 1,
          p95: 1,
          nulls: 0,
          passing: 3,
          all01: true,
        },
      ]),
    ).toEqual([
      {
        language: 'all',
        count: 2,
        mean: 0.5,
        median: 0.5,
        p5: 0.1,
        p95: null,
        nulls: 0,
        passing: 0,
        binary: false,
      },
      {
        language: 'go',
        count: 4,
        mean: 0.75,
        median: 1,
        p5: 0,
        p95: 1,
        nulls: 0,
        passing: 3,
        binary: true,
      },
    ])
  })

  it('group means by a category expression with the filter’s parameters after it', () => {
    const q = meanByCategoryQuery(
      newRelations('ds'),
      ['reward'],
      '__rl_model',
      filter({ languages: ['go'] }),
    )
    expect(q.text).toMatch(/^SELECT __rl_model AS category/)
    expect(q.params).toEqual(['go'])
  })
})
