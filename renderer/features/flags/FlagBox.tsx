/**
 * The selected row's flag: flag or unflag it (also with the `f` key), and write a note. The note is
 * saved as it is typed (after a short pause) and when the box is left, so nothing typed is lost.
 */
import { useEffect, useRef, useState } from 'react'
import { useServices } from '../../app/AppContext'
import { useAppState } from '../../app/store'

/** Milliseconds of no typing before a note is saved. */
const NOTE_PAUSE = 500

export function FlagBox({ rowId }: { readonly rowId: number }) {
  const { store } = useServices()
  const flags = useAppState(store, (s) => s.flags)
  const flag = flags?.byRow.get(rowId) ?? null
  const saved = flag?.note ?? ''
  const [draft, setDraft] = useState<{ rowId: number; text: string } | null>(null)
  const text = draft?.rowId === rowId ? draft.text : saved
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  const save = (note: string) => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    if (note !== saved) void store.setFlag(rowId, note)
  }
  // A pending note is saved when the row changes or the pane goes away.
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    [rowId],
  )

  if (!flags) return null
  return (
    <div className={`flag-box${flag ? ' flagged' : ''}`} data-testid="flag-box">
      <button
        type="button"
        className={`button small${flag ? '' : ' ghost'}`}
        data-testid="flag-button"
        aria-pressed={flag !== null}
        title="Flag this row as suspicious (f)"
        onClick={() => void store.toggleFlag(rowId)}
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
            setDraft({ rowId, text: note })
            if (timer.current) clearTimeout(timer.current)
            timer.current = setTimeout(() => save(note), NOTE_PAUSE)
          }}
          onBlur={() => save(text)}
        />
      )}
    </div>
  )
}
