import { useContext, useMemo, useState } from 'react'
import { parseJsonDocument } from '../../data/jsonText'
import { formatCount, formatNumber } from '../../app/format'
import { type CellValue, isList, isStruct } from '../../data/values'
import { asMessages } from '../../data/messages'
import { Conversation } from './Conversation'
import { FOLD_LINES, FoldLongText, foldedText } from './fold'

/** List items shown before "show all". */
const FIRST_ITEMS = 20

/** A value in full: text as preformatted text, nested values as a tree that folds. */
export function ValueView({
  value,
  depth = 0,
}: {
  readonly value: CellValue
  readonly depth?: number
}) {
  if (value === null) return <span className="cell-null">null</span>
  if (typeof value === 'number') return <span className="value-number">{formatNumber(value)}</span>
  if (typeof value === 'boolean')
    return <span className={value ? 'cell-true' : 'cell-false'}>{String(value)}</span>
  if (typeof value === 'string') return <TextValue text={value} depth={depth} />
  const messages = asMessages(value)
  if (messages) return <Conversation messages={messages} />
  if (isList(value)) return <ListValue items={value} depth={depth} />
  if (isStruct(value)) return <StructValue fields={value} depth={depth} />
  return null
}

function TextValue({ text, depth }: { readonly text: string; readonly depth: number }) {
  const [expanded, setExpanded] = useState(false)
  const [asText, setAsText] = useState(false)
  const fold = useContext(FoldLongText)
  const doc = useMemo(() => parseJsonDocument(text), [text])
  if (text === '') return <span className="muted">(empty text)</span>
  // A JSON document stored as text (verl's ground truth) reads as the tree it is.
  if (doc && !asText) {
    return (
      <div className="json-text" data-testid="json-text">
        <span className="json-text-label">JSON text</span>
        <button type="button" className="button link small" onClick={() => setAsText(true)}>
          show as text
        </button>
        <ValueView value={doc as CellValue} depth={depth} />
      </div>
    )
  }
  if (text.length <= 80 && !text.includes('\n')) return <span className="short-text">{text}</span>
  const folded = fold ? foldedText(text) : null
  const lines = folded === null ? 0 : text.split('\n').length
  return (
    <div className="text-value">
      <pre>
        {folded !== null && !expanded ? folded : text}
        {folded !== null && !expanded && <span className="fold-mark">…</span>}
      </pre>
      {folded !== null && (
        <button type="button" className="button link small" onClick={() => setExpanded((v) => !v)}>
          {expanded
            ? 'Fold'
            : `Show all ${lines > FOLD_LINES ? `${formatCount(lines)} lines, ` : ''}${formatCount(text.length)} characters`}
        </button>
      )}
    </div>
  )
}

function ListValue({
  items,
  depth,
}: {
  readonly items: readonly CellValue[]
  readonly depth: number
}) {
  const [open, setOpen] = useState(depth < 1)
  const [all, setAll] = useState(false)
  if (items.length === 0) return <span className="muted">[] (empty list)</span>
  const shown = all ? items : items.slice(0, FIRST_ITEMS)
  return (
    <div className="tree">
      <button
        type="button"
        className="tree-toggle"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
      >
        {open ? '▾' : '▸'} list of {formatCount(items.length)}
      </button>
      {open && (
        <ol className="tree-children" start={0}>
          {shown.map((item, i) => (
            <li key={i}>
              <span className="tree-key">[{i}]</span>
              <ValueView value={item} depth={depth + 1} />
            </li>
          ))}
          {shown.length < items.length && (
            <li>
              <button type="button" className="button link small" onClick={() => setAll(true)}>
                Show all {formatCount(items.length)} items
              </button>
            </li>
          )}
        </ol>
      )}
    </div>
  )
}

function StructValue({
  fields,
  depth,
}: {
  readonly fields: { readonly [key: string]: CellValue }
  readonly depth: number
}) {
  const [open, setOpen] = useState(depth < 2)
  const entries = Object.entries(fields)
  return (
    <div className="tree">
      <button
        type="button"
        className="tree-toggle"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
      >
        {open ? '▾' : '▸'} {formatCount(entries.length)} fields
      </button>
      {open && (
        <ul className="tree-children">
          {entries.map(([key, item]) => (
            <li key={key}>
              <span className="tree-key">{key}</span>
              <ValueView value={item} depth={depth + 1} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
