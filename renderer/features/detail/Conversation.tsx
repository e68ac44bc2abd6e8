/**
 * Chat messages (a verl prompt, a TRL answer, a ShareGPT conversation) drawn as a conversation:
 * who speaks, then what they say as markdown with its code highlighted. A system message is folded:
 * it is the same boilerplate on every row.
 */
import { useContext, useState } from 'react'
import { formatCount } from '../../app/format'
import type { Message } from '../../data/messages'
import { FoldLongText, foldedText } from './fold'
import { Markdown } from './Markdown'

/** What a role is shown as: ShareGPT's `human`/`gpt` read as user/assistant. */
function roleName(role: string): string {
  const r = role.toLowerCase()
  if (r === 'human') return 'user'
  if (r === 'gpt' || r === 'model' || r === 'bot') return 'assistant'
  return r || 'message'
}

/** A message as markdown; in the detail pane a long one folds until "Show all" is clicked. */
function MessageText({ text }: { readonly text: string }) {
  const [expanded, setExpanded] = useState(false)
  const folded = useContext(FoldLongText) ? foldedText(text) : null
  if (folded === null) return <Markdown text={text} />
  return (
    <>
      <Markdown text={expanded ? text : `${folded}…`} />
      <button type="button" className="button link small" onClick={() => setExpanded((v) => !v)}>
        {expanded ? 'Fold' : `Show all ${formatCount(text.length)} characters`}
      </button>
    </>
  )
}

export function Conversation({
  messages,
  testId,
}: {
  readonly messages: readonly Message[]
  readonly testId?: string
}) {
  return (
    <ol className="conversation" data-testid={testId}>
      {messages.map((m, i) => {
        const role = roleName(m.role)
        const body = <MessageText text={m.content} />
        return (
          <li key={i} className={`message message-${role}`} data-role={role}>
            {role === 'system' ? (
              <details>
                <summary className="message-role">
                  system <span className="muted small">({m.content.length} characters)</span>
                </summary>
                {body}
              </details>
            ) : (
              <>
                <div className="message-role">{role}</div>
                {body}
              </>
            )}
          </li>
        )
      })}
    </ol>
  )
}
