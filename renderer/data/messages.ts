/** Chat messages in a value: a verl prompt, a TRL answer, a ShareGPT conversation. */
import { type CellValue, isList, isStruct } from './values'

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
