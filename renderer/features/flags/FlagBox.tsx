/**
 * The selected row's flag: flag or unflag it (also with the `f` key), and write a note. The note is
 * saved as it is typed (after a short pause) and when the box is left, so nothing typed is lost.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'

/** Milliseconds of no typing before a note is saved. */
const NOTE_PAUSE = 500

export function FlagBox({ rowId }: { readonly rowId: number }) {
  const { store } = useServices()
  const flags = useAppState(store, (s) => s.flags)
  const flag = flags?.byRow.get(rowId) ?? null
  // The text being typed, for this row and this flag (a flag set again starts from its own note).
  const [draft, setDraft] = useState<{ key: string; text: string } | null>(null)
  const key = `${rowId}|${flag?.hash ?? ''}|${flag ? 'on' : 'off'}`
  const text = draft?.key === key ? draft.text : (flag?.note ?? '')
  const pending = useRef<{ rowId: number; note: string } | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    const note = pending.current
    pending.current = null
    if (note) void store.setFlag(note.rowId, note.note)
  }, [store])
  // A note still waiting for its pause is saved when the row changes or the pane goes away.
  useEffect(() => flush, [rowId, flush])

  if (!flags) return null
  return (
    <div className={`flag-box${flag ? ' flagged' : ''}`} data-testid="flag-box">
      <button
        type="button"
        className={`button small${flag ? '' : ' ghost'}`}
        data-testid="flag-button"
        aria-pressed={flag !== null}
        title="Flag this row as suspicious (f)"
        onClick={() => {
          pending.current = null
          void store.toggleFlag(rowId)
        }}
      >
        {flag ? '⚑ Flagged' : '⚐ Flag'} <kbd>f</kbd>
      </button>
      {flag && (
        <textarea
          data-testid="flag-note"
          className="flag-note"
          placeholder="Why? (optional note, saved as you type)"
          rows={2}
          value={text}
          onChange={(e) => {
            const note = e.target.value
            setDraft({ key, text: note })
            pending.current = { rowId, note }
            if (timer.current) clearTimeout(timer.current)
            timer.current = setTimeout(flush, NOTE_PAUSE)
          }}
          onBlur={flush}
        />
      )}
    </div>
  )
}
