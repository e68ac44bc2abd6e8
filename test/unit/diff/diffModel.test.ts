import { describe, expect, it } from 'vitest'
import {
  type Diff,
  MAX_EDITS,
  diffTexts,
  myers,
  splitLines,
  unifiedLines,
  wordChanges,
} from '../../../renderer/features/diff/diffModel'

const EXACT = { ignoreWhitespace: false }
const LOOSE = { ignoreWhitespace: true }

/** The rows as `kind a|b` strings, to read a diff at a glance. */
function rowsOf(diff: Diff): string[] {
  return diff.rows.map((r) => `${r.kind} ${r.a?.text ?? '∅'}|${r.b?.text ?? '∅'}`)
}

/** The changed text of a line, from its ranges. */
function changedText(text: string, ranges: readonly { start: number; end: number }[]): string[] {
  return ranges.map((r) => text.slice(r.start, r.end))
}

describe('splitLines', () => {
  it('splits on LF, CRLF and CR alike, without an empty last line for a final break', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b'])
    expect(splitLines('a\r\nb\r\n')).toEqual(['a', 'b'])
    expect(splitLines('a\rb')).toEqual(['a', 'b'])
    expect(splitLines('a\n\nb')).toEqual(['a', '', 'b'])
    expect(splitLines('')).toEqual([])
    expect(splitLines('\n')).toEqual([''])
  })
})

describe('myers', () => {
  it('finds a shortest edit script', () => {
    const ops = myers([1, 2, 3, 4], [1, 3, 4, 5], 100)!
    expect(ops.filter((o) => o !== 'same')).toHaveLength(2)
    expect(ops).toEqual(['same', 'del', 'same', 'same', 'ins'])
  })

  it('handles empty sides', () => {
    expect(myers([], [], 10)).toEqual([])
    expect(myers([1, 2], [], 10)).toEqual(['del', 'del'])
    expect(myers([], [7], 10)).toEqual(['ins'])
  })

  it('gives up past the edit limit instead of growing without bound', () => {
    expect(myers([1, 2, 3], [4, 5, 6], 5)).toBeNull()
    expect(myers([1, 2, 3], [4, 5, 6], 6)).toHaveLength(6)
  })
})

describe('diffTexts', () => {
  it('keeps equal lines and pairs a removed line with the added one at its place', () => {
    const diff = diffTexts('def f(x):\n    return x + 1\n', 'def f(x):\n    return x + 2\n', EXACT)
    expect(rowsOf(diff)).toEqual([
      'same def f(x):|def f(x):',
      'changed     return x + 1|    return x + 2',
    ])
    expect(diff.stats).toEqual({ removed: 0, added: 0, changed: 1 })
    const changed = diff.rows[1]!
    expect(changedText(changed.a!.text, changed.a!.changes)).toEqual(['1'])
    expect(changedText(changed.b!.text, changed.b!.changes)).toEqual(['2'])
    expect(changed.a!.number).toBe(2)
  })

  it('shows lines only on one side as removed or added, with their own numbers', () => {
    const diff = diffTexts('a\nb\nc', 'a\nc\nd\ne', EXACT)
    expect(rowsOf(diff)).toEqual(['same a|a', 'removed b|∅', 'same c|c', 'added ∅|d', 'added ∅|e'])
    expect(diff.stats).toEqual({ removed: 1, added: 2, changed: 0 })
    expect(diff.rows.at(-1)!.b!.number).toBe(4)
  })

  it('pairs as many lines of a change block as both sides have, the rest are added', () => {
    const diff = diffTexts('x\nold1\ny', 'x\nnew1\nnew2\ny', EXACT)
    expect(rowsOf(diff)).toEqual(['same x|x', 'changed old1|new1', 'added ∅|new2', 'same y|y'])
  })

  it('reads CRLF and LF text as the same lines', () => {
    const diff = diffTexts(
      'int main() {\r\n  return 0;\r\n}\r\n',
      'int main() {\n  return 0;\n}\n',
      EXACT,
    )
    expect(diff.stats).toEqual({ removed: 0, added: 0, changed: 0 })
    expect(diff.rows.every((r) => r.kind === 'same')).toBe(true)
  })

  it('counts trailing spaces as no change, but indentation as one unless whitespace is ignored', () => {
    expect(diffTexts('a = 1   \n', 'a = 1\n', EXACT).stats.changed).toBe(0)
    const indented = diffTexts('if x:\n  y()\n', 'if x:\n    y()\n', EXACT)
    expect(indented.stats.changed).toBe(1)
    expect(diffTexts('if x:\n  y()\n', 'if x:\n    y()\n', LOOSE).stats.changed).toBe(0)
    expect(diffTexts('f(a,b)\n', 'f( a, b )\n', LOOSE).stats.changed).toBe(0)
    // Ignoring whitespace never hides a change of anything else.
    expect(diffTexts('f(a, b)\n', 'f(a, c)\n', LOOSE).stats.changed).toBe(1)
  })

  it('treats texts too different to match as one replaced block, after their common ends', () => {
    const n = MAX_EDITS
    const a = ['head', ...Array.from({ length: n }, (_, i) => `a${i}`), 'tail'].join('\n')
    const b = ['head', ...Array.from({ length: n }, (_, i) => `b${i}`), 'tail'].join('\n')
    const diff = diffTexts(a, b, EXACT)
    expect(diff.gaveUp).toBe(true)
    expect(diff.rows[0]!.kind).toBe('same')
    expect(diff.rows.at(-1)!.kind).toBe('same')
    expect(diff.stats.changed).toBe(n)
  })

  it('diffs two 5,000-line files with scattered edits', () => {
    const base = Array.from({ length: 5000 }, (_, i) => `    value_${i} = compute(${i})`)
    const edited = base.map((line, i) => (i % 100 === 0 ? line.replace('compute', 'calc') : line))
    edited.splice(2500, 0, '    inserted = True')
    const diff = diffTexts(base.join('\n'), edited.join('\n'), EXACT)
    expect(diff.gaveUp).toBe(false)
    expect(diff.stats).toEqual({ removed: 0, added: 1, changed: 50 })
    expect(diff.rows).toHaveLength(5001)
  })
})

describe('wordChanges', () => {
  it('marks whole words, and joins neighbouring changed words into one range', () => {
    const a = 'let total = sum(values) * 2;'
    const b = 'let total = mean(values) / 3;'
    const [ac, bc] = wordChanges(a, b, EXACT)
    expect(changedText(a, ac)).toEqual(['sum', '* 2'])
    expect(changedText(b, bc)).toEqual(['mean', '/ 3'])
  })

  it('marks inserted words on one side only', () => {
    const [ac, bc] = wordChanges('return x', 'return x or y', EXACT)
    expect(ac).toEqual([])
    expect(changedText('return x or y', bc)).toEqual([' or y'])
  })

  it('does not mark whitespace when whitespace is ignored', () => {
    const [ac, bc] = wordChanges('f(a,b)', 'f(a, b)', LOOSE)
    expect(ac).toEqual([])
    expect(bc).toEqual([])
    const [, exact] = wordChanges('f(a,b)', 'f(a, b)', EXACT)
    expect(changedText('f(a, b)', exact)).toEqual([' '])
  })

  it('works on words of any script', () => {
    const [ac, bc] = wordChanges('zähle Äpfel', 'zähle Birnen', EXACT)
    expect(changedText('zähle Äpfel', ac)).toEqual(['Äpfel'])
    expect(changedText('zähle Birnen', bc)).toEqual(['Birnen'])
  })
})

describe('unifiedLines', () => {
  it('lists each change block as its removed lines, then its added lines, as git does', () => {
    const diff = diffTexts('a\nb1\nc1\nd', 'a\nb2\nc2\nd', EXACT)
    const lines = unifiedLines(diff).map((u) => `${u.kind} ${u.line.text}`)
    expect(lines).toEqual(['same a', 'removed b1', 'removed c1', 'added b2', 'added c2', 'same d'])
  })

  it('numbers same lines on both sides', () => {
    const diff = diffTexts('x\na', 'y\nz\na', EXACT)
    const same = unifiedLines(diff).find((u) => u.kind === 'same')!
    expect([same.line.number, same.otherNumber]).toEqual([2, 3])
  })
})

describe('rewritten lines', () => {
  it('leaves the words of a line rewritten beyond recognition unmarked', () => {
    const [ac, bc] = wordChanges('output = []', 'pass', EXACT)
    expect(ac).toEqual([])
    expect(bc).toEqual([])
    // One word of three changed is still marked.
    const [keep] = wordChanges('let a = 1', 'let a = 2', EXACT)
    expect(keep).toHaveLength(1)
  })
})
