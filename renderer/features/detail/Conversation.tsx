/**
 * Chat messages (a verl prompt, a TRL answer, a ShareGPT conversation) drawn as a conversation:
 * who speaks, then what they say as markdown with its code highlighted. A system message is folded:
 * it is the same boilerplate on every row.
 */
import { type CellValue, isList, isStruct } from '../../data/values'
import { Markdown } from './Markdown'

/** One message of a conversation. */
export interface Message {
  readonly role: string
  readonly content: string
}

/** The names a message's role and text go by: `role`/`content`, or ShareGPT's `from`/`value`. */
const KEYS = [
  ['role', 'content'],
  ['from', 'value'],
] as const

/** A value as chat messages, when it is a non-empty list of them; else null. */
export function asMessages(value: CellValue): Message[] | null {
  if (!isList(value) || value.length === 0) return null
  const first = value[0]!
  if (!isStruct(first)) return null
  const keys = KEYS.find(([role, content]) => role in first && content in first)
  if (!keys) return null
  const [role, content] = keys
  const messages: Message[] = []
  for (const item of value) {
    if (!isStruct(item)) return null
    const [r, c] = [item[role], item[content]]
    if ((typeof r !== 'string' && r !== null) || (typeof c !== 'string' && c !== null)) return null
    messages.push({ role: r ?? '', content: c ?? '' })
  }
  return messages
}

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
