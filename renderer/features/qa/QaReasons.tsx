import { useState } from 'react'
import { QA_RULES } from '../../data/qa'
import { useFindings } from './useFindings'

/** Reasons shown before "Show all": a row of 80 completions can trip a check 80 times. */
const SHOWN_REASONS = 6

/** Why the selected row is suspicious: every reward check its units trip, with the reason. */
export function QaReasons({ table, rowId }: { readonly table: string; readonly rowId: number }) {
  const findings = useFindings(table, [rowId]).get(rowId)
  const [all, setAll] = useState(false)
  if (!findings?.length) return null
  const shown = all ? findings : findings.slice(0, SHOWN_REASONS)
  const label = (id: string) => QA_RULES.find((rule) => rule.id === id)?.label ?? id
  return (
    <section className="qa-reasons" data-testid="qa-reasons" aria-label="Reward checks">
      <h3>Reward checks</h3>
      <ul>
        {shown.map((f, i) => (
          <li key={i} data-rule={f.rule}>
            <strong>{label(f.rule)}</strong>
            {f.item !== null && <span className="muted"> · #{f.item}</span>}
            <span className="muted"> — {f.detail}</span>
          </li>
        ))}
      </ul>
      {findings.length > SHOWN_REASONS && (
        <button
          type="button"
          className="button link small"
          data-testid="qa-reasons-toggle"
          onClick={() => setAll((v) => !v)}
        >
          {all ? 'Show fewer' : `Show all ${findings.length}`}
        </button>
      )}
    </section>
  )
}
