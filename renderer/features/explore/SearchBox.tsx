import { useCallback, useEffect, useRef, useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'

/** Waits this long after the last key before searching, so typing stays smooth on big files. */
const DEBOUNCE_MS = 250

/** Text search over the prompt and both sides of the code; `/` anywhere focuses it. */
export function SearchBox() {
  const { store } = useServices()
  const applied = useAppState(store, (s) => s.filter.search)
  const [draft, setDraft] = useState<{ for: string; text: string }>({ for: applied, text: applied })
  const input = useRef<HTMLInputElement>(null)
  // The box follows the filter when it changes elsewhere (a chip removed, undo).
  const text = draft.for === applied ? draft.text : applied

  // Applying makes the draft the filter's own value, so a later change elsewhere (Clear all, undo)
  // replaces it instead of being typed over by it.
  const apply = useCallback(
    (value: string) => {
      setDraft({ for: value, text: value })
      store.updateFilter({ search: value })
    },
    [store],
  )

  useEffect(() => {
    if (text === applied) return
    const timer = setTimeout(() => apply(text), DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [text, applied, apply])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]')
      if (e.key === '/' && !typing) {
        e.preventDefault()
        input.current?.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return (
    <label className="search">
      <span className="visually-hidden">Search prompts and code</span>
      <input
        ref={input}
        type="search"
        data-testid="search-input"
        placeholder="Search prompt and code  ( / )"
        value={text}
        onChange={(e) => setDraft({ for: applied, text: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply(text)
          if (e.key === 'Escape') (e.target as HTMLInputElement).blur()
        }}
      />
    </label>
  )
}
