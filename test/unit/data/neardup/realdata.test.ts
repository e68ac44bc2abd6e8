import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import {
  groupSignatures,
  matchSignatures,
  textSignatures,
} from '../../../../renderer/data/neardup/core'
import { describeRealdata, realPath } from '../../../support/realdata'

/** code-rlaif's rows: 600 rows repeating 15 distinct prompts (one 12 times, the others 42). */
function codeRlaif(): { prompt: string; student_code: string; language: string }[] {
  return readFileSync(realPath('code-rlaif/train.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { prompt: string; student_code: string; language: string })
}

/** Five of its prompts, and how a benchmark might word them. */
const REWORDED: readonly [string, string][] = [
  [
    'Implement a function to find all prime numbers up to n using Sieve of Eratosthenes',
    'implement a function to find all prime numbers up to N using the Sieve of Eratosthenes.',
  ],
  [
    'Implement a binary search tree with insert, delete, and search operations',
    'Implement a binary search tree with the insert, delete and search operations.',
  ],
  [
    'Implement a function to find the longest common subsequence between two strings',
    'implement a function to find the longest common sub-sequence between two strings',
  ],
  [
    'Create a function to calculate the Fibonacci sequence using an iterator',
    'Create a function to calculate the Fibonacci sequence using an iterator in Python!',
  ],
  [
    'Write a function to calculate the factorial of a number using memoization',
    'Write a function to calculate the factorial of a number, using memoisation.',
  ],
]

describeRealdata('near-duplicates in code-rlaif', () => {
  it('groups its 600 prompts into its 15 distinct prompts', () => {
    const rows = codeRlaif()
    const prompts = rows.map((row) => row.prompt)
    const { group } = groupSignatures(textSignatures('prompt', prompts, null), rows.length, 0.8)
    expect(group.includes(-1)).toBe(false)
    const byGroup = new Map<number, Set<string>>()
    group.forEach((g, i) => byGroup.set(g, (byGroup.get(g) ?? new Set()).add(prompts[i]!)))
    expect(byGroup.size).toBe(15)
    expect([...byGroup.values()].every((texts) => texts.size === 1)).toBe(true)
  })

  it('groups its student code by the 15 answers, fences cut off or not', () => {
    const rows = codeRlaif()
    const signatures = textSignatures(
      'code',
      rows.map((row) => row.student_code),
      rows.map((row) => row.language),
    )
    const { group } = groupSignatures(signatures, rows.length, 0.8)
    expect(new Set(group).size).toBe(15)
    expect(group.includes(-1)).toBe(false)
  })

  it('matches a reworded reference set of 5 prompts to exactly their rows', () => {
    const rows = codeRlaif()
    const prompts = rows.map((row) => row.prompt)
    const reference = textSignatures(
      'prompt',
      REWORDED.map(([, reworded]) => reworded),
      null,
    )
    const query = textSignatures('prompt', prompts, null)
    const { match } = matchSignatures(reference, REWORDED.length, query, rows.length, 0.8)
    const expected = prompts.map((p) => REWORDED.findIndex(([original]) => original === p))
    expect(expected.filter((r) => r !== -1).length).toBe(4 * 42 + 12)
    expect([...match]).toEqual(expected)
  })
})
