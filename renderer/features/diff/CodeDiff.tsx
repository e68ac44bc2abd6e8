/**
 * The diff of two pieces of code, side by side or unified, highlighted for their language, with the
 * changed words marked. Only the lines on screen are drawn, so a 5,000-line pair scrolls as easily
 * as a 50-line one; highlighting arrives from a worker and replaces the plain text when ready.
 */
import { type ReactNode, type UIEvent, useMemo, useRef, useState } from 'react'
import { Checkbox } from '../../app/Checkbox'
import { formatCount } from '../../app/format'
import type { PairReading } from '../../data/profile/pairReading'
import { useVirtualRows } from '../../app/useVirtualRows'
import { CopyButton } from '../detail/CopyButton'
import { type DiffLine, type DiffRow, diffTexts, splitLines, unifiedLines } from './diffModel'
import { lineSpans } from './CodeText'
import { grammarFor, grammarForAnswer } from './grammars'
import type { Token } from './highlightProtocol'
import type { CodeMark } from '../../data/parse/marks'
import { useHighlight, useMode } from './highlighter'

/** One side of the comparison. */
export interface DiffSide {
  /** What the side is: `student`, `chosen`, `#12`. */
  readonly label: string
  /** The extracted code, and the whole answer around it. */
  readonly code: string | null
  readonly raw: string | null
  /** Short facts shown beside the label (score, model, test result). */
  readonly facts?: ReactNode
  /** Places in the code to mark (a syntax error, a cut), by line of `code`. */
  readonly marks?: readonly CodeMark[]
}

/** A side's marks by line number, the messages of a line joined; none over the raw answer. */
function marksByLine(side: DiffSide, raw: boolean): ReadonlyMap<number, string> {
  const byLine = new Map<number, string>()
  if (raw) return byLine
  for (const mark of side.marks ?? []) {
    const known = byLine.get(mark.line)
    byLine.set(mark.line, known ? `${known}\n${mark.message}` : mark.message)
  }
  return byLine
}

/** Pixels per line; rows are positioned by it, so it must match `.diff-line` in the stylesheet. */
const LINE_HEIGHT = 20
/** Lines drawn above and below the visible ones, so a fast scroll does not show blank rows. */
const OVERSCAN = 30
/** The diff's height when it has room to grow; shorter diffs take just their lines. */
const MAX_HEIGHT = 560

type Mode = 'split' | 'unified'
const MODE_KEY = 'rewardlens.diffMode'
const VERSIONS: PairReading = { kind: 'versions' }

function savedMode(): Mode {
  return localStorage.getItem(MODE_KEY) === 'unified' ? 'unified' : 'split'
}

/** The longest line in characters, tabs counted as four (the stylesheet's tab-size). */
function widestLine(lines: readonly string[]): number {
  let widest = 0
  for (const line of lines) {
    let width = line.length
    for (let i = line.indexOf('\t'); i >= 0; i = line.indexOf('\t', i + 1)) width += 3
    widest = Math.max(widest, width)
  }
  return widest
}

/** Side-by-side or unified diff of two sides' code. */
export function CodeDiff({
  a,
  b,
  language,
  reading = VERSIONS,
  testId = 'code-diff',
}: {
  readonly a: DiffSide
  readonly b: DiffSide
  /** The language of both sides (folded, or as the file labels it); null for plain text. */
  readonly language: string | null
  /** Versions (A becomes B) draw removed and added lines; alternatives draw A's and B's. */
  readonly reading?: PairReading
  readonly testId?: string
}) {
  const [mode, setMode] = useState<Mode>(savedMode)
  const [ignoreWhitespace, setIgnoreWhitespace] = useState(false)
  const [raw, setRaw] = useState(false)
  const textA = (raw ? a.raw : a.code) ?? ''
  const textB = (raw ? b.raw : b.code) ?? ''
  const diff = useMemo(
    () => diffTexts(textA, textB, { ignoreWhitespace }),
    [textA, textB, ignoreWhitespace],
  )
  const linesA = useMemo(() => splitLines(textA), [textA])
  const linesB = useMemo(() => splitLines(textB), [textB])
  // Each side on its own: one answer may be code and the other prose. The whole answer decides
  // (a fence around the code counts as code).
  const answerA = a.raw ?? a.code ?? ''
  const answerB = b.raw ?? b.code ?? ''
  const grammarA = useMemo(
    () => (raw ? grammarFor('markdown') : grammarForAnswer(language, answerA)),
    [raw, language, answerA],
  )
  const grammarB = useMemo(
    () => (raw ? grammarFor('markdown') : grammarForAnswer(language, answerB)),
    [raw, language, answerB],
  )
  const themeMode = useMode()
  const highlightedA = useHighlight(linesA.join('\n'), grammarA, themeMode)
  const highlightedB = useHighlight(linesB.join('\n'), grammarB, themeMode)
  const tokensA = highlightedA?.lines ?? null
  const tokensB = highlightedB?.lines ?? null
  const marksA = useMemo(() => marksByLine(a, raw), [a, raw])
  const marksB = useMemo(() => marksByLine(b, raw), [b, raw])

  const chooseMode = (next: Mode) => {
    setMode(next)
    localStorage.setItem(MODE_KEY, next)
  }
  const { stats } = diff
  const identical = stats.added + stats.removed + stats.changed === 0
  const alternatives = reading.kind === 'alternatives'
  const key = (which: 'a' | 'b') => (alternatives ? which.toUpperCase() : null)
  const preferred = reading.kind === 'alternatives' ? reading.preferred : null

  return (
    <div
      className="code-diff"
      data-testid={testId}
      data-mode={mode}
      data-reading={reading.kind}
      data-highlighted={
        (grammarA === null || highlightedA?.complete === true) &&
        (grammarB === null || highlightedB?.complete === true)
      }
      data-highlighted-top={
        (grammarA === null || tokensA !== null) && (grammarB === null || tokensB !== null)
      }
    >
      <div className="diff-toolbar">
        <div className="segmented" role="group" aria-label="Diff layout">
          <button
            type="button"
            aria-pressed={mode === 'split'}
            data-testid="diff-mode-split"
            onClick={() => chooseMode('split')}
          >
            Side by side
          </button>
          <button
            type="button"
            aria-pressed={mode === 'unified'}
            data-testid="diff-mode-unified"
            onClick={() => chooseMode('unified')}
          >
            Unified
          </button>
        </div>
        <Checkbox
          testId="diff-ignore-whitespace"
          checked={ignoreWhitespace}
          onChange={setIgnoreWhitespace}
        >
          Ignore whitespace
        </Checkbox>
        <Checkbox testId="diff-raw" checked={raw} onChange={setRaw}>
          Raw answers
        </Checkbox>
        <span className="diff-stats small" data-testid="diff-stats">
          {identical ? (
            <span className="muted">
              identical{ignoreWhitespace ? ' (ignoring whitespace)' : ''}
            </span>
          ) : alternatives ? (
            <>
              <span className="stat-removed" title={`Lines only in ${a.label}`}>
                A {formatCount(stats.removed)}
              </span>{' '}
              <span className="stat-added" title={`Lines only in ${b.label}`}>
                B {formatCount(stats.added)}
              </span>{' '}
              <span className="stat-changed" title="Lines changed in place">
                ~{formatCount(stats.changed)}
              </span>
              {diff.gaveUp && <span className="muted"> · too different to match lines</span>}
            </>
          ) : (
            <>
              <span className="stat-removed">−{formatCount(stats.removed)}</span>{' '}
              <span className="stat-added">+{formatCount(stats.added)}</span>{' '}
              <span className="stat-changed">~{formatCount(stats.changed)}</span>
              {diff.gaveUp && <span className="muted"> · too different to match lines</span>}
            </>
          )}
        </span>
      </div>
      <div className="diff-heads">
        <SideHead
          side={a}
          text={textA}
          sideKey={key('a')}
          preferred={preferred === 'a'}
          testId="diff-side-a"
        />
        <SideHead
          side={b}
          text={textB}
          sideKey={key('b')}
          preferred={preferred === 'b'}
          testId="diff-side-b"
        />
      </div>
      {mode === 'split' ? (
        <SplitView
          rows={diff.rows}
          tokensA={tokensA}
          tokensB={tokensB}
          widthA={widestLine(linesA)}
          widthB={widestLine(linesB)}
          marksA={marksA}
          marksB={marksB}
        />
      ) : (
        <UnifiedView
          diff={diff}
          signs={alternatives ? ['A', 'B'] : ['−', '+']}
          tokensA={tokensA}
          tokensB={tokensB}
          width={Math.max(widestLine(linesA), widestLine(linesB))}
          marksA={marksA}
          marksB={marksB}
        />
      )}
    </div>
  )
}

function SideHead({
  side,
  text,
  sideKey,
  preferred,
  testId,
}: {
  readonly side: DiffSide
  readonly text: string
  /** `A` or `B` in the colour of the side's lines, for alternatives; null for versions. */
  readonly sideKey: string | null
  /** True for the side the dataset prefers (a preference pair's chosen answer). */
  readonly preferred: boolean
  readonly testId: string
}) {
  return (
    <div className="diff-side-head" data-testid={testId}>
      {sideKey !== null && (
        <span className={`diff-side-key diff-side-key-${sideKey.toLowerCase()}`}>{sideKey}</span>
      )}
      <strong>{side.label}</strong>
      {preferred && (
        <span
          className="diff-chosen"
          data-testid="diff-chosen"
          title="The answer the dataset prefers (its chosen side)"
        >
          ✓ preferred
        </span>
      )}
      {side.facts}
      <span className="spacer" />
      <CopyButton value={text} />
    </div>
  )
}

function paneHeight(count: number): number {
  // One line more than the content, for the horizontal scrollbar.
  return Math.min(MAX_HEIGHT, Math.max(1, count + 1) * LINE_HEIGHT)
}

function SplitView({
  rows,
  tokensA,
  tokensB,
  widthA,
  widthB,
  marksA,
  marksB,
}: {
  readonly rows: readonly DiffRow[]
  readonly tokensA: Token[][] | null
  readonly tokensB: Token[][] | null
  readonly widthA: number
  readonly widthB: number
  readonly marksA: ReadonlyMap<number, string>
  readonly marksB: ReadonlyMap<number, string>
}) {
  const left = useRef<HTMLDivElement>(null)
  const right = useRef<HTMLDivElement>(null)
  // The sides scroll in step, so the left one says which rows both draw.
  const { onScroll, first, last } = useVirtualRows(left, rows.length, LINE_HEIGHT, OVERSCAN)
  const height = paneHeight(rows.length)

  // The two sides scroll together vertically; each scrolls sideways on its own.
  const follow = (event: UIEvent<HTMLDivElement>) => {
    const top = event.currentTarget.scrollTop
    for (const other of [left.current, right.current]) {
      if (other && other !== event.currentTarget && other.scrollTop !== top) other.scrollTop = top
    }
    onScroll(event)
  }

  const side = (which: 'a' | 'b') => {
    const tokens = which === 'a' ? tokensA : tokensB
    const marks = which === 'a' ? marksA : marksB
    const drawn: ReactNode[] = []
    for (let index = first; index <= last; index++) {
      const row = rows[index]!
      const line = which === 'a' ? row.a : row.b
      const kind = line === null ? 'empty' : row.kind === 'same' ? 'same' : row.kind
      drawn.push(
        <LineRow
          key={index}
          index={index}
          kind={kind}
          numbers={line ? [line.number] : []}
          line={line}
          tokens={line ? (tokens?.[line.number - 1] ?? null) : null}
          mark={line ? marks.get(line.number) : undefined}
        />,
      )
    }
    return drawn
  }

  return (
    <div className="diff-split">
      {(['a', 'b'] as const).map((which) => (
        <div
          key={which}
          ref={which === 'a' ? left : right}
          className="diff-pane"
          data-testid={`diff-pane-${which}`}
          style={{ height }}
          onScroll={follow}
          tabIndex={0}
        >
          <div
            className="diff-canvas"
            style={{
              height: rows.length * LINE_HEIGHT,
              width: `calc(${which === 'a' ? widthA : widthB}ch + 7em)`,
            }}
          >
            {side(which)}
          </div>
        </div>
      ))}
    </div>
  )
}

function UnifiedView({
  diff,
  signs,
  tokensA,
  tokensB,
  width,
  marksA,
  marksB,
}: {
  readonly diff: ReturnType<typeof diffTexts>
  /** The marks of A's lines and B's lines. */
  readonly signs: readonly [string, string]
  readonly tokensA: Token[][] | null
  readonly tokensB: Token[][] | null
  readonly width: number
  readonly marksA: ReadonlyMap<number, string>
  readonly marksB: ReadonlyMap<number, string>
}) {
  const lines = useMemo(() => unifiedLines(diff), [diff])
  const scroller = useRef<HTMLDivElement>(null)
  const { onScroll, first, last } = useVirtualRows(scroller, lines.length, LINE_HEIGHT, OVERSCAN)
  const height = paneHeight(lines.length)
  const drawn: ReactNode[] = []
  for (let index = first; index <= last; index++) {
    const u = lines[index]!
    const tokens = u.side === 'a' ? tokensA : tokensB
    drawn.push(
      <LineRow
        key={index}
        index={index}
        kind={u.kind}
        numbers={
          u.kind === 'same'
            ? [u.line.number, u.otherNumber]
            : u.kind === 'removed'
              ? [u.line.number, null]
              : [null, u.line.number]
        }
        line={u.line}
        tokens={tokens?.[u.line.number - 1] ?? null}
        sign={u.kind === 'removed' ? signs[0] : u.kind === 'added' ? signs[1] : ' '}
        mark={(u.side === 'a' ? marksA : marksB).get(u.line.number)}
      />,
    )
  }
  return (
    <div
      ref={scroller}
      className="diff-pane diff-unified"
      data-testid="diff-pane-unified"
      style={{ height }}
      onScroll={onScroll}
      tabIndex={0}
    >
      <div
        className="diff-canvas"
        style={{ height: lines.length * LINE_HEIGHT, width: `calc(${width}ch + 11em)` }}
      >
        {drawn}
      </div>
    </div>
  )
}

/** One drawn line: its number(s), an optional +/− sign and its highlighted text. */
function LineRow({
  index,
  kind,
  numbers,
  line,
  tokens,
  sign,
  mark,
}: {
  readonly index: number
  readonly kind: string
  readonly numbers: readonly (number | null)[]
  readonly line: DiffLine | null
  readonly tokens: Token[] | null
  readonly sign?: string
  /** What is wrong on this line (a syntax error, a cut); marked, and said on hover. */
  readonly mark?: string | undefined
}) {
  return (
    <div
      className={`diff-line diff-${kind}${mark ? ' diff-marked' : ''}`}
      style={{ top: index * LINE_HEIGHT }}
      data-line-kind={kind}
      title={mark}
    >
      <span className="diff-gutter">
        {mark && (
          <span className="diff-mark" data-testid="diff-error-mark" aria-label={mark}>
            !
          </span>
        )}
        {numbers.map((n, i) => (
          <span key={i} className="diff-number">
            {n ?? ''}
          </span>
        ))}
        {sign !== undefined && <span className="diff-sign">{sign}</span>}
      </span>
      <span className="diff-text">{line ? lineSpans(line.text, tokens, line.changes) : ''}</span>
    </div>
  )
}
