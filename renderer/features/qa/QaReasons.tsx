import { QA_RULES } from '../../data/qa'
import { useFindings } from './useFindings'

/** Why the selected row is suspicious: every reward check its units trip, with the reason. */
export function QaReasons({ table, rowId }: { readonly table: string; readonly rowId: number }) {
  const findings = useFindings(table, [rowId]).get(rowId)
  if (!findings?.length) return null
  const label = (id: string) => QA_RULES.find((rule) => rule.id === id)?.label ?? id
  return (
    <section className="qa-reasons" data-testid="qa-reasons" aria-label="Reward checks">
      <h3>Reward checks</h3>
      <ul>
        {findings.map((f, i) => (
          <li key={i} data-rule={f.rule}>
            <strong>{label(f.rule)}</strong>
            {f.item !== null && <span className="muted"> · #{f.item}</span>}
            <span className="muted"> — {f.detail}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}
