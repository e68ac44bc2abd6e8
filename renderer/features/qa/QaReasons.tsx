import { useState } from 'react'
import { QA_RULES, ruleSeverity } from '../../data/qa'
import { useFindings } from './useFindings'

/** Reasons shown before "Show all": a row of 80 completions can trip a check 80 times. */
const SHOWN_REASONS = 6

/** Why the selected row is suspicious: every reward check its units trip, with the reason. */
export function QaReasons({ table, rowId }: { readonly table: string; readonly rowId: number }) {
  const findings = useFindings(table, [rowId]).get(rowId)
  const [all, setAll] = useState(false)
  if (!findings?.length) return null
  // Warnings first and in the alarm colour; checks that describe how the data is built (info)
  // after them, muted, like the panel: a row whose only finding is information is no defect.
  const warning = (rule: string) => ruleSeverity(rule) === 'warning'
  const ordered = [
    ...findings.filter((f) => warning(f.rule)),
    ...findings.filter((f) => !warning(f.rule)),
  ]
  const alarm = ordered.some((f) => warning(f.rule))
  const shown = all ? ordered : ordered.slice(0, SHOWN_REASONS)
  const label = (id: string) => QA_RULES.find((rule) => rule.id === id)?.label ?? id
  return (
    <section
      className={`qa-reasons${alarm ? '' : ' info-only'}`}
      data-testid="qa-reasons"
      aria-label="Reward checks"
    >
      <h3>{alarm ? 'Reward checks' : 'Reward checks: information only'}</h3>
      <ul>
        {shown.map((f, i) => (
          <li
            key={i}
            data-rule={f.rule}
            data-severity={ruleSeverity(f.rule)}
            className={warning(f.rule) ? undefined : 'info'}
          >
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
