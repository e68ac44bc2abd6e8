/**
 * Chat messages (a verl prompt, a TRL answer, a ShareGPT conversation) drawn as a conversation:
 * who speaks, then what they say as markdown with its code highlighted. A system message is folded:
 * it is the same boilerplate on every row.
 */
import type { Message } from '../../data/messages'
import { Markdown } from './Markdown'

/** What a role is shown as: ShareGPT's `human`/`gpt` read as user/assistant. */
function roleName(role: string): string {
  const r = role.toLowerCase()
  if (r === 'human') return 'user'
  if (r === 'gpt' || r === 'model' || r === 'bot') return 'assistant'
  return r || 'message'
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
        const body = <Markdown text={m.content} />
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
