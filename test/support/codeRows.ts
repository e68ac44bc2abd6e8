/**
 * Generated code-RL rows for tests of compressed files, and the `zstd` command that compresses
 * them (the reference implementation; Debian's `zstd` package, part of the machine image).
 */
import { existsSync } from 'node:fs'

const WORDS = [
  'values',
  'total',
  'index',
  'node',
  'left',
  'right',
  'memo',
  'queue',
  'graph',
  'cost',
]

/** A realistic code-RL row of about 2.5 KB: prompt, two answers, scores, a struct and a list. */
export function generatedRow(i: number): string {
  // Names and numbers vary as in real code, so the file compresses about as real data does.
  let seed = i * 2654435761
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
  }
  const word = () => `${WORDS[next(WORDS.length)]}${next(1000)}`
  const body = Array.from(
    { length: 12 + (i % 9) },
    (_, k) => `    ${word()} = sum(x * ${next(99999)} for x in ${word()}[${k}:])  # ${word()}`,
  ).join('\n')
  return JSON.stringify({
    id: `task-${i}`,
    prompt: `Write a function solve_${i}(values) that returns the weighted sum of the tail of the list, for problem ${i}. Explain edge cases: empty lists, negative numbers and very long inputs.`,
    language: ['python', 'cpp', 'rust'][i % 3],
    student_code: `def solve_${i}(values):\n${body}\n    return total_0`,
    teacher_code: `\`\`\`python\ndef solve_${i}(values):\n    if not values:\n        return 0\n${body}\n    return total_0\n\`\`\``,
    student_score: Math.round(((i * 37) % 100) * 10) / 1000,
    teacher_score: 0.85 + (i % 10) / 100,
    scoring_breakdown: { correctness: 0.3, efficiency: (i % 5) / 5 },
    tags: ['array', i % 2 ? 'math' : 'greedy'],
  })
}

/** The zstd command; a test that needs it fails saying how to get it rather than skipping. */
export function zstdCommand(): string {
  const found = ['/usr/bin/zstd', '/usr/local/bin/zstd'].find((p) => existsSync(p))
  if (!found)
    throw new Error('this test makes its .zst with the zstd command: apt-get install zstd')
  return found
}
