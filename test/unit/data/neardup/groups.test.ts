import { describe, expect, it } from 'vitest'
import {
  type NearDupKind,
  groupSignatures,
  matchSignatures,
  textSignatures,
} from '../../../../renderer/data/neardup/core'
import { inProcessNearDupService } from '../../../../renderer/data/neardup/service'
import { plantedNearDuplicates } from '../../../fixtures/nearDuplicates'

const fixture = plantedNearDuplicates({ rows: 2000 })
const texts = (kind: NearDupKind) => fixture.rows.map((row) => String(row[kind]))

/** Each row's planted family for one kind (an original and its copies), or its own index. */
function families(planted: readonly [number, number][]): number[] {
  const family = fixture.rows.map((_, i) => i)
  for (const [original, copy] of planted) family[copy] = family[original]!
  return family
}

describe.each([
  ['prompt', fixture.promptPairs],
  ['code', fixture.codePairs],
] as const)('near-duplicate %ss of the planted file', (kind, planted) => {
  const signatures = textSignatures(
    kind,
    texts(kind),
    kind === 'code' ? Array(2000).fill('python') : null,
  )
  const { group, similarity } = groupSignatures(signatures, fixture.rows.length, 0.8)

  it('puts at least 95% of the planted pairs in one group', () => {
    expect(planted.length).toBeGreaterThan(80)
    const found = planted.filter(([a, b]) => group[a] !== -1 && group[a] === group[b]).length
    expect(found / planted.length).toBeGreaterThanOrEqual(0.95)
  })

  it('never groups rows of different planted families or unrelated rows', () => {
    const family = families(planted)
    const familyOfGroup = new Map<number, number>()
    const mixed: number[] = []
    group.forEach((g, i) => {
      if (g === -1) return
      const seen = familyOfGroup.get(g)
      if (seen === undefined) familyOfGroup.set(g, family[i]!)
      else if (seen !== family[i]) mixed.push(i)
    })
    expect(mixed).toEqual([])
  })

  it("names the smallest row of each group and each row's similarity to it", () => {
    group.forEach((g, i) => {
      if (g === -1) expect(similarity[i]).toBe(0)
      else {
        expect(g).toBeLessThanOrEqual(i)
        expect(group[g]).toBe(g)
        expect(similarity[i]).toBeGreaterThan(g === i ? 0.99 : 0.5)
      }
    })
  })
})

describe('groupSignatures', () => {
  it('groups 100,000 copies of one prompt into one group', () => {
    const count = 100_000
    const prompts = Array<string>(count).fill('Implement a thread-safe singleton pattern in C++')
    const { group, similarity } = groupSignatures(
      textSignatures('prompt', prompts, null),
      count,
      0.8,
    )
    expect(group.every((g) => g === 0)).toBe(true)
    expect(similarity.every((s) => s === 1)).toBe(true)
  })

  it('leaves empty and lone texts alone', () => {
    const sigs = textSignatures(
      'prompt',
      ['', '', 'merge two sorted lists', 'reverse a string'],
      null,
    )
    expect([...groupSignatures(sigs, 4, 0.8).group]).toEqual([-1, -1, -1, -1])
  })
})

describe('matchSignatures', () => {
  it('matches every reworded copy of a reference prompt to it, and nothing else', () => {
    const originals = [...new Set(fixture.promptPairs.map(([a]) => a))].slice(0, 40)
    const reference = textSignatures(
      'prompt',
      originals.map((i) => String(fixture.rows[i]!.prompt)),
      null,
    )
    const query = textSignatures('prompt', texts('prompt'), null)
    const { match, similarity } = matchSignatures(reference, originals.length, query, 2000, 0.8)
    const expected = new Map<number, number>(originals.map((row, r) => [row, r]))
    for (const [a, b] of fixture.promptPairs) {
      const r = expected.get(a)
      if (r !== undefined) expected.set(b, r)
    }
    const found = new Map<number, number>()
    match.forEach((r, i) => {
      if (r !== -1) found.set(i, r)
    })
    expect(found).toEqual(expected)
    for (const i of found.keys()) expect(similarity[i]).toBeGreaterThanOrEqual(0.8)
  })
})

describe('matchSignatures among similar references', () => {
  it('picks the most similar reference, the first of equals', () => {
    const reference = textSignatures(
      'prompt',
      [
        'Write a function to merge two sorted linked lists into one sorted list.',
        'Write a function to merge two sorted linked lists into one sorted list!',
        'Write a function to merge two sorted linked lists into a single sorted list.',
      ],
      null,
    )
    const query = textSignatures(
      'prompt',
      [
        'write a function to merge two sorted linked lists into a single sorted list',
        'WRITE A FUNCTION TO MERGE TWO SORTED LINKED LISTS INTO ONE SORTED LIST',
        'Reverse the words of a sentence.',
      ],
      null,
    )
    const { match, similarity } = matchSignatures(reference, 3, query, 3, 0.8)
    expect([...match]).toEqual([2, 0, -1])
    expect([...similarity]).toEqual([1, 1, 0])
  })
})

describe('inProcessNearDupService', () => {
  it('answers as the core does', async () => {
    const prompts = texts('prompt').slice(0, 300)
    const sigs = await inProcessNearDupService.signatures('prompt', prompts, null)
    expect(sigs).toEqual(textSignatures('prompt', prompts, null))
    expect(await inProcessNearDupService.group(sigs, 300, 0.8)).toEqual(
      groupSignatures(sigs, 300, 0.8),
    )
    expect(await inProcessNearDupService.match(sigs, 10, sigs, 300, 0.8)).toEqual(
      matchSignatures(sigs, 10, sigs, 300, 0.8),
    )
  })
})

describe('signature counts', () => {
  it('refuses fewer signature values than the count says', () => {
    const sigs = textSignatures('prompt', ['one text'], null)
    expect(() => groupSignatures(sigs, 2, 0.8)).toThrow('Expected 2 signatures of 128 values')
    expect(() => matchSignatures(sigs, 1, sigs, 3, 0.8)).toThrow('Expected 3 signatures')
  })
})
