/**
 * Code drawn with its syntax colours: one line from its tokens, with the changed words marked, or a
 * whole block. Plain text is drawn until the tokens arrive, so nothing waits for the highlighter.
 */
import type { CSSProperties, ReactNode } from 'react'
import { splitLines } from './diffModel'
import type { Segment } from './diffModel'
import { grammarFor } from './grammars'
import type { Token } from './highlightProtocol'
import { useHighlight, useMode } from './highlighter'

const ITALIC = 1
const BOLD = 2
const UNDERLINE = 4

function tokenStyle(color: string, fontStyle: number): CSSProperties | undefined {
  if (!color && !fontStyle) return undefined
  return {
    color: color || undefined,
    fontStyle: fontStyle & ITALIC ? 'italic' : undefined,
    fontWeight: fontStyle & BOLD ? 600 : undefined,
    textDecoration: fontStyle & UNDERLINE ? 'underline' : undefined,
  }
}

/**
 * The spans of one line: its tokens (or the plain text when `tokens` is null or does not match the
 * line), cut where a changed range starts or ends so the changed words get a mark of their own.
 */
export function lineSpans(
  text: string,
  tokens: readonly Token[] | null,
  changes: readonly Segment[],
): ReactNode[] {
  const fits = tokens !== null && tokens.reduce((n, t) => n + t[0].length, 0) === text.length
  const pieces: readonly Token[] = fits ? tokens : [[text, '', 0]]
  const out: ReactNode[] = []
  let at = 0
  let change = 0
  for (const [content, color, fontStyle] of pieces) {
    const end = at + content.length
    let from = at
    while (from < end) {
      while (change < changes.length && changes[change]!.end <= from) change++
      const range = changes[change]
      const inside = range !== undefined && range.start <= from
      const to = Math.min(end, inside ? range.end : (range?.start ?? end))
      const style = tokenStyle(color, fontStyle)
      const piece = content.slice(from - at, to - at)
      out.push(
        inside ? (
          <mark key={out.length} className="word-change" style={style}>
            {piece}
          </mark>
        ) : style ? (
          <span key={out.length} style={style}>
            {piece}
          </span>
        ) : (
          piece
        ),
      )
      from = to
    }
    at = end
  }
  return out
}

/** A block of code, highlighted for its language (plain text for an unknown one). */
export function CodeBlock({
  code,
  language,
  testId,
}: {
  readonly code: string
  readonly language: string | null
  readonly testId?: string
}) {
  const lines = splitLines(code)
  const highlighted = useHighlight(lines.join('\n'), grammarFor(language), useMode())
  const tokens = highlighted?.lines ?? null
  return (
    <pre
      className="code code-block"
      data-testid={testId}
      data-highlighted={highlighted?.complete === true}
    >
      {lines.map((line, i) => (
        <div key={i} className="code-line">
          {lineSpans(line, tokens?.[i] ?? null, [])}
          {'\n'}
        </div>
      ))}
    </pre>
  )
}
