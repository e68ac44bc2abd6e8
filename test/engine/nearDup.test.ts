/**
 * Near-duplicates in the engine: the groups written to the near-duplicate table, the filter and the
 * checks reading it, and contamination against a reference set, on real code-rlaif rows and on
 * rows with planted near-duplicates.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LoadedDataset } from '../../renderer/data/dataset'
import type { Engine } from '../../renderer/data/engine'
import { countRows } from '../../renderer/data/explore'
import { EMPTY_FILTER, type Filter, rowSource } from '../../renderer/data/filter'
import { closeDataset } from '../../renderer/data/load'
import {
  type NearDupSignatures,
  signDataset,
  writeNearDuplicates,
} from '../../renderer/data/neardup/build'
import { matchReference } from '../../renderer/data/neardup/reference'
import { groupMembersQuery } from '../../renderer/data/neardup/queries'
import { inProcessNearDupService as service } from '../../renderer/data/neardup/service'
import { type ProfileState, openProfile } from '../../renderer/data/profile/session'
import { buildQa } from '../../renderer/data/qa'
import type { Profile } from '../../shared/profile'
import { plantedNearDuplicates } from '../fixtures/nearDuplicates'
import { loadFiles } from '../support/loadFile'
import { createNodeEngine } from '../support/nodeEngine'
import { describeRealdata, realPath } from '../support/realdata'

let engine: Engine
let folder: string
beforeAll(async () => {
  engine = await createNodeEngine()
  folder = await mkdtemp(join(tmpdir(), 'rl-neardup-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function open(path: string): Promise<{ dataset: LoadedDataset; state: ProfileState }> {
  const dataset = await loadFiles(engine, path)
  return { dataset, state: await openProfile(engine, dataset, null) }
}

function shown(dataset: LoadedDataset, state: ProfileState, filter: Filter): Promise<number> {
  return countRows(
    engine,
    rowSource(dataset.table, state.relations, { ...EMPTY_FILTER, ...filter }),
  )
}

/**
 * A prompt reworded as a benchmark copy would be: a politeness prefix, another case, punctuation
 * added. (On these 60-90 character prompts one synonym swapped already leaves a Jaccard of 0.73 to
 * 0.83 over character 5-grams: the threshold decides whether such a copy counts.)
 */
function reword(prompt: string): string {
  return `Please, ${prompt.toLowerCase()}!`
}

describeRealdata('code-rlaif', () => {
  let dataset: LoadedDataset
  let state: ProfileState
  let signed: NearDupSignatures
  let prompts: string[]
  beforeAll(async () => {
    ;({ dataset, state } = await open(realPath('code-rlaif/train.jsonl')))
    signed = (await signDataset(engine, dataset, state.profile, service))!
    const text = await readFile(realPath('code-rlaif/train.jsonl'), 'utf8')
    prompts = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { prompt: string }).prompt)
  }, 120_000)

  it('groups its 15 distinct prompts into 15 groups holding all 600 rows', async () => {
    const summary = await writeNearDuplicates(engine, dataset, signed, service, 0.8)
    expect(new Set(prompts).size).toBe(15)
    expect(summary.prompt).toMatchObject({ groups: 15, units: 600, texts: 15 })
    // Group 1 is the largest; the filter on it shows exactly the rows of that prompt.
    const counts = [
      ...prompts
        .reduce((m, p) => m.set(p, (m.get(p) ?? 0) + 1), new Map<string, number>())
        .values(),
    ]
    const filter = { ...EMPTY_FILTER, nearDup: { kind: 'prompt' as const, group: 1 } }
    expect(await shown(dataset, state, filter)).toBe(Math.max(...counts))
    const none = { ...EMPTY_FILTER, nearDup: { kind: 'prompt' as const, group: 'none' as const } }
    expect(await shown(dataset, state, none)).toBe(0)
  })

  it('marks exactly the rows of the 5 prompts a reworded reference set holds', async () => {
    const chosen = [...new Set(prompts)].slice(0, 5)
    const path = join(folder, 'reference.jsonl')
    await writeFile(
      path,
      chosen.map((p) => JSON.stringify({ question: reword(p) })).join('\n') + '\n',
    )
    const reference = await open(path)
    try {
      const counts = await matchReference(
        engine,
        dataset,
        signed,
        { dataset: reference.dataset, profile: reference.state.profile },
        service,
        0.8,
      )
      expect(counts?.prompt).toBe(5)
    } finally {
      await closeDataset(engine, reference.dataset)
    }
    const summary = await writeNearDuplicates(engine, dataset, signed, service, 0.8)
    const expected = prompts.filter((p) => chosen.includes(p)).length
    expect(summary.contaminated).toBe(expected)
    expect(await shown(dataset, state, { ...EMPTY_FILTER, contaminated: 'only' })).toBe(expected)
    expect(await shown(dataset, state, { ...EMPTY_FILTER, contaminated: 'exclude' })).toBe(
      600 - expected,
    )
    const qa = await buildQa(engine, dataset, state.profile, {
      nearDup: { reference: true },
      nearDupOnly: true,
    })
    expect(qa.rules.find((r) => r.id === 'contaminated')?.count).toBe(expected)
    const detail = await engine.query(
      `SELECT detail FROM ${dataset.table}_qa WHERE rule = 'contaminated' LIMIT 1`,
    )
    expect(detail.rows[0]?.detail as string).toMatch(
      /^prompt matches reference row [1-5] \(similarity 0\.\d+\)/,
    )
  })
})

describe('2,000 generated rows with planted near-duplicates', () => {
  const planted = plantedNearDuplicates({ rows: 2000 })
  let dataset: LoadedDataset
  let state: ProfileState
  let groups: Map<number, { prompt: number | null; code: number | null }>
  beforeAll(async () => {
    const path = join(folder, 'planted.jsonl')
    await writeFile(path, `${planted.lines.join('\n')}\n`)
    ;({ dataset, state } = await open(path))
    const signed = (await signDataset(engine, dataset, state.profile, service))!
    await writeNearDuplicates(engine, dataset, signed, service, 0.8)
    const rows = await engine.query(
      `SELECT __rl_row AS row, prompt_group, code_group FROM ${dataset.table}_neardup`,
    )
    groups = new Map(
      rows.rows.map((r) => [
        Number(r.row),
        { prompt: r.prompt_group as number | null, code: r.code_group as number | null },
      ]),
    )
  }, 120_000)

  it('puts at least 95% of the planted pairs in one group, and no unrelated rows together', () => {
    const together = (pairs: readonly [number, number][], kind: 'prompt' | 'code') =>
      pairs.filter(([a, b]) => {
        const g = groups.get(a)?.[kind]
        return g !== null && g !== undefined && g === groups.get(b)?.[kind]
      }).length
    expect(together(planted.promptPairs, 'prompt')).toBeGreaterThanOrEqual(
      Math.ceil(0.95 * planted.promptPairs.length),
    )
    expect(together(planted.codePairs, 'code')).toBeGreaterThanOrEqual(
      Math.ceil(0.95 * planted.codePairs.length),
    )
    // No false group: every group's rows belong to one planted family.
    for (const kind of ['prompt', 'code'] as const) {
      const families = new Map<number, Set<number>>()
      for (const [row, g] of groups) {
        const group = g[kind]
        if (group === null) continue
        const set = families.get(group) ?? new Set<number>()
        set.add(planted.groupOf[row]!)
        families.set(group, set)
      }
      const mixed = [...families.values()].filter((s) => s.size > 1 || s.has(-1))
      expect(mixed).toEqual([])
    }
  })

  it('filters to rows in a group, and to rows in none', async () => {
    const grouped = [...groups.values()].filter((g) => g.prompt !== null).length
    const filter = (group: 'any' | 'none') => ({
      ...EMPTY_FILTER,
      nearDup: { kind: 'prompt' as const, group },
    })
    expect(await shown(dataset, state, filter('any'))).toBe(grouped)
    expect(await shown(dataset, state, filter('none'))).toBe(2000 - grouped)
  })
})

describe('units in a list', () => {
  const base: Profile = {
    family: 'generic',
    unnest: ['items'],
    prompt: ['prompt'],
    language: null,
    fixedLanguage: 'python',
    codeA: { path: ['items', 'code'], label: 'solution' },
    codeB: null,
    scores: [],
    reward: ['items', 'score'],
    group: null,
    tests: null,
    model: null,
    breakdown: null,
  }
  const code = (name: string, body: string) =>
    `def ${name}(values, limit):\n    total = 0\n    for value in values:\n        if value > limit:\n            total += ${body}\n    return total\n`

  async function build(lines: readonly string[], profile: Profile) {
    const path = join(folder, `list-${lines.length}-${profile.prompt!.join('.')}.jsonl`)
    await writeFile(path, `${lines.join('\n')}\n`)
    const dataset = await loadFiles(engine, path)
    const state = await openProfile(engine, dataset, profile)
    const signed = (await signDataset(engine, dataset, state.profile, service))!
    const summary = await writeNearDuplicates(engine, dataset, signed, service, 0.8)
    return { dataset, state, summary }
  }

  it('counts each unit once when the prompt is inside the list', async () => {
    const lines = [0, 1, 2].map((r) =>
      JSON.stringify({
        items: [0, 1, 2, 3].map((i) => ({
          prompt: `Task ${r}-${i}: add up the values over the limit, question number ${r * 10 + i}`,
          code: code(`f${r}${i}`, `value * ${r * 10 + i}`),
          score: 0.5,
        })),
      }),
    )
    const { dataset } = await build(lines, { ...base, prompt: ['items', 'prompt'] })
    const rows = await engine.query(`SELECT count(*) AS n FROM ${dataset.table}_neardup`)
    expect(Number(rows.rows[0]?.n)).toBe(12)
  })

  it('finds completions of one question that are near-duplicates scored apart', async () => {
    // One question, three completions: two the same code up to names, scored 0 and 1.
    const lines = [
      JSON.stringify({
        prompt: 'Add up the values over the limit.',
        items: [
          { code: code('solve', 'value'), score: 0 },
          { code: code('answer', 'value').replace(/total/g, 'acc'), score: 1 },
          { code: 'def other(x):\n    return sorted(x)[::-1]\n', score: 1 },
        ],
      }),
    ]
    const { dataset, state } = await build(lines, base)
    await buildQa(engine, dataset, state.profile)
    const qa = await buildQa(engine, dataset, state.profile, {
      nearDup: { reference: false },
      nearDupOnly: true,
    })
    expect(qa.rules.find((r) => r.id === 'near-duplicate-rewards')?.count).toBe(2)
    const members = await engine.query(groupMembersQuery(state.relations, 'code', 1, 0).text, [
      ...groupMembersQuery(state.relations, 'code', 1, 0).params,
    ])
    expect(members.rows.map((r) => r.item)).toEqual([1, 2])
  })
})
