/**
 * The diff of two texts as the diff view shows it: rows of aligned lines (side by side) or one
 * sequence of lines (unified), with the changed words marked inside lines that changed.
 *
 * Lines are compared with Myers' algorithm on interned line keys; a removed line and the added line
 * at the same place in a change block are shown as one changed row, and their words are diffed too.
 * CRLF, CR and LF all end a line, so a file saved on Windows does not differ from its LF copy.
 *
 * Why our own Myers and not jsdiff (`diff`, issue #24): jsdiff's line and word diffs mean other
 * things than this view's (`diffLines`' `ignoreWhitespace` trims only a line's ends, not
 * `git diff -w`; `diffWords` always ignores whitespace and returns text, not ranges), so only its
 * `diffArrays` could stand in for `myers`, and it is an order of magnitude slower once the texts
 * differ much: it allocates a path object per diagonal per edit, where `myers` copies one typed
 * array per edit. Measured in Node 20 on 2,000-line pairs made as the bench makes them (`longCode`
 * in bench/generate.ts), medians of 15 runs, ranges over two or three runs on a loaded 2-core machine:
 *
 * - the bench's 4 pairs (1 line in 25 edited): line script 0.6 ms here, 9-19 ms jsdiff; the whole
 *   `diffTexts` 30-41 ms either way (word diffs of their 237 changed lines: 8.6 ms here, 6.7 ms).
 * - the same 4 pairs with 2 lines in 5 edited: line script 80-86 ms here, 1,210-1,240 ms jsdiff;
 *   `diffTexts` 99-250 ms here, 740-1,300 ms jsdiff.
 * - one unrelated pair (both give up at 3,000 edits): line script 102-136 ms here, 1,106-1,235 ms
 *   jsdiff; `diffTexts` 100-128 ms here, 690-1,280 ms jsdiff.
 *
 * The diff runs on the page's thread, so jsdiff would freeze the view for a second on a pair that
 * differs much, where this takes a tenth of that.
 */

/** How two texts are compared. */
export interface DiffOptions {
  /** Compare lines and words without regard to whitespace (as `git diff -w`). */
  readonly ignoreWhitespace: boolean
}

/** A piece of a line; `changed` marks the words that differ from the other side. */
export interface Segment {
  readonly start: number
  readonly end: number
}

/** One line of one side. */
export interface DiffLine {
  /** 1-based line number in its text. */
  readonly number: number
  readonly text: string
  /** Character ranges that differ from the paired line; empty for lines with no partner. */
  readonly changes: readonly Segment[]
}

/** What a row of the side-by-side view holds. */
export type RowKind = 'same' | 'changed' | 'removed' | 'added'

/** One row of the side-by-side view: a line of A, of B, or of both. */
export interface DiffRow {
  readonly kind: RowKind
  readonly a: DiffLine | null
  readonly b: DiffLine | null
}

/** One line of the unified view. */
export interface UnifiedLine {
  readonly kind: 'same' | 'removed' | 'added'
  /** Which side's line this is (A for `same` and `removed`). */
  readonly side: 'a' | 'b'
  readonly line: DiffLine
  /** The line's number on the other side, for `same` lines. */
  readonly otherNumber: number | null
}

/** The whole comparison. */
export interface Diff {
  readonly rows: readonly DiffRow[]
  /** Lines only in A, only in B, and lines changed in place. */
  readonly stats: { readonly removed: number; readonly added: number; readonly changed: number }
  /** True when the texts are too different for a line-by-line match; every line is then a change. */
  readonly gaveUp: boolean
}

/**
 * Past this many edits Myers' trace grows with the square of the edits: the texts are then treated
 * as one replaced block (after their common start and end), which is what they nearly are.
 */
export const MAX_EDITS = 3000

/** Splits text into lines on LF, CRLF or CR; a final line break does not make an empty last line. */
export function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split(/\r\n|\r|\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/** The text a line is compared by. */
function lineKey(line: string, options: DiffOptions): string {
  return options.ignoreWhitespace ? line.replace(/\s+/g, '') : line.replace(/\s+$/, '')
}

/** One step of an edit script over two sequences. */
type Op = 'same' | 'del' | 'ins'

/**
 * Myers' O((N+M)D) diff of two sequences of numbers, as a list of operations from start to end,
 * or null when it would take more than `maxEdits` edits.
 */
export function myers(a: ArrayLike<number>, b: ArrayLike<number>, maxEdits: number): Op[] | null {
  const n = a.length
  const m = b.length
  const max = Math.min(n + m, maxEdits)
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let found = -1
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2))
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) {
        found = d
        break
      }
    }
  }
  if (found < 0) return null

  // Walk the trace back from the end; each saved slice holds V for k in [-d-1, d+1].
  const ops: Op[] = []
  let x = n
  let y = m
  for (let d = found; d > 0; d--) {
    const prev = trace[d]!
    const at = (k: number) => prev[k + d + 1]!
    const k = x - y
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1))
    const prevK = down ? k + 1 : k - 1
    const prevX = at(prevK)
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      ops.push('same')
      x--
      y--
    }
    ops.push(down ? 'ins' : 'del')
    if (down) y--
    else x--
  }
  while (x > 0 && y > 0) {
    ops.push('same')
    x--
    y--
  }
  return ops.reverse()
}

/** Maps strings to small integers so sequences compare by number. */
function intern(aKeys: readonly string[], bKeys: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>()
  const idOf = (key: string) => {
    let id = ids.get(key)
    if (id === undefined) ids.set(key, (id = ids.size))
    return id
  }
  return [Int32Array.from(aKeys, idOf), Int32Array.from(bKeys, idOf)]
}

/** The edit script of two key lists, trimming their common start and end first. */
function editScript(aKeys: readonly string[], bKeys: readonly string[], maxEdits: number) {
  let head = 0
  while (head < aKeys.length && head < bKeys.length && aKeys[head] === bKeys[head]) head++
  let tail = 0
  while (
    tail < aKeys.length - head &&
    tail < bKeys.length - head &&
    aKeys[aKeys.length - 1 - tail] === bKeys[bKeys.length - 1 - tail]
  )
    tail++
  const [a, b] = intern(
    aKeys.slice(head, aKeys.length - tail),
    bKeys.slice(head, bKeys.length - tail),
  )
  const middle = myers(a, b, maxEdits)
  const same = (count: number): Op[] => Array<Op>(count).fill('same')
  if (middle === null) {
    return {
      ops: [
        ...same(head),
        ...Array<Op>(a.length).fill('del'),
        ...Array<Op>(b.length).fill('ins'),
        ...same(tail),
      ],
      gaveUp: true,
    }
  }
  return { ops: [...same(head), ...middle, ...same(tail)], gaveUp: false }
}

/** Words, runs of whitespace and single punctuation marks. */
const TOKEN = /[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu

/** The character ranges of each line that differ from the other, by words. */
export function wordChanges(a: string, b: string, options: DiffOptions): [Segment[], Segment[]] {
  const aTokens = [...a.matchAll(TOKEN)]
  const bTokens = [...b.matchAll(TOKEN)]
  const key = (t: RegExpMatchArray) => (options.ignoreWhitespace && /^\s+$/.test(t[0]) ? ' ' : t[0])
  const { ops } = editScript(aTokens.map(key), bTokens.map(key), MAX_EDITS)
  const aChanges: Segment[] = []
  const bChanges: Segment[] = []
  const mark = (into: Segment[], token: RegExpMatchArray) => {
    if (options.ignoreWhitespace && /^\s+$/.test(token[0])) return
    const start = token.index!
    const end = start + token[0].length
    const last = into.at(-1)
    if (last && last.end === start) into[into.length - 1] = { start: last.start, end }
    else into.push({ start, end })
  }
  let i = 0
  let j = 0
  for (const op of ops) {
    if (op === 'same') {
      i++
      j++
    } else if (op === 'del') mark(aChanges, aTokens[i++]!)
    else mark(bChanges, bTokens[j++]!)
  }
  const marked: [Segment[], Segment[]] = [
    mergeAcrossSpaces(a, aChanges),
    mergeAcrossSpaces(b, bChanges),
  ]
  const rewritten =
    keptShare(a, marked[0]) < MIN_KEPT_SHARE && keptShare(b, marked[1]) < MIN_KEPT_SHARE
  return rewritten ? [[], []] : marked
}

/**
 * Below this share of a line left unchanged, marking words says nothing the row's colour does not:
 * the line was rewritten, and its words are left unmarked.
 */
export const MIN_KEPT_SHARE = 0.3

/** Characters of a line outside its changed ranges, as a share of the line (ignoring spaces). */
function keptShare(text: string, ranges: readonly Segment[]): number {
  const solid = text.replace(/\s/g, '').length
  if (solid === 0) return 1
  const changed = ranges.reduce(
    (n, r) => n + text.slice(r.start, r.end).replace(/\s/g, '').length,
    0,
  )
  return 1 - changed / solid
}

/** Joins two changed ranges separated only by spaces, so a changed phrase reads as one. */
function mergeAcrossSpaces(text: string, ranges: Segment[]): Segment[] {
  const merged: Segment[] = []
  for (const range of ranges) {
    const last = merged.at(-1)
    if (last && /^\s*$/.test(text.slice(last.end, range.start))) {
      merged[merged.length - 1] = { start: last.start, end: range.end }
    } else merged.push(range)
  }
  return merged
}

/** Compares two texts line by line, and the words of lines changed in place. */
export function diffTexts(a: string, b: string, options: DiffOptions): Diff {
  const aLines = splitLines(a)
  const bLines = splitLines(b)
  const { ops, gaveUp } = editScript(
    aLines.map((l) => lineKey(l, options)),
    bLines.map((l) => lineKey(l, options)),
    MAX_EDITS,
  )
  const rows: DiffRow[] = []
  const stats = { removed: 0, added: 0, changed: 0 }
  const line = (lines: string[], index: number, changes: Segment[] = []): DiffLine => ({
    number: index + 1,
    text: lines[index]!,
    changes,
  })
  let i = 0
  let j = 0
  let removed: number[] = []
  let added: number[] = []
  const flush = () => {
    const paired = Math.min(removed.length, added.length)
    for (let p = 0; p < paired; p++) {
      const [ac, bc] = gaveUp
        ? [[], []]
        : wordChanges(aLines[removed[p]!]!, bLines[added[p]!]!, options)
      rows.push({
        kind: 'changed',
        a: line(aLines, removed[p]!, ac),
        b: line(bLines, added[p]!, bc),
      })
    }
    for (const r of removed.slice(paired))
      rows.push({ kind: 'removed', a: line(aLines, r), b: null })
    for (const r of added.slice(paired)) rows.push({ kind: 'added', a: null, b: line(bLines, r) })
    stats.changed += paired
    stats.removed += removed.length - paired
    stats.added += added.length - paired
    removed = []
    added = []
  }
  for (const op of ops) {
    if (op === 'same') {
      flush()
      rows.push({ kind: 'same', a: line(aLines, i++), b: line(bLines, j++) })
    } else if (op === 'del') removed.push(i++)
    else added.push(j++)
  }
  flush()
  return { rows, stats, gaveUp }
}

/** The rows of a diff as one sequence: a changed row becomes its A line, then its B line. */
export function unifiedLines(diff: Diff): UnifiedLine[] {
  const out: UnifiedLine[] = []
  let pendingAdded: UnifiedLine[] = []
  for (const row of diff.rows) {
    if (row.kind === 'same') {
      out.push(...pendingAdded)
      pendingAdded = []
      out.push({ kind: 'same', side: 'a', line: row.a!, otherNumber: row.b!.number })
      continue
    }
    // Within one change block, every removed line comes before every added line, as in `git diff`.
    if (row.a) out.push({ kind: 'removed', side: 'a', line: row.a, otherNumber: null })
    if (row.b) pendingAdded.push({ kind: 'added', side: 'b', line: row.b, otherNumber: null })
  }
  out.push(...pendingAdded)
  return out
}
