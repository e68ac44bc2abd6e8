import type { RowFlag } from '../../../shared/flags'
import { type QaFinding, ruleSeverity } from '../../data/qa'

/**
 * The marks beside a row's number: its flag, and how many warning checks it trips (with reasons).
 * Info checks (how the data is built) get no badge: they would mark most rows of many files.
 */
export function RowBadges({
  flag,
  findings,
}: {
  readonly flag: RowFlag | undefined
  readonly findings: readonly QaFinding[] | undefined
}) {
  const warnings = findings?.filter((f) => ruleSeverity(f.rule) === 'warning') ?? []
  if (!flag && warnings.length === 0) return null
  const rules = [...new Set(warnings.map((f) => f.rule))]
  return (
    <span className="row-badges">
      {flag && (
        <span className="row-badge flag" data-testid="row-flag" title={flag.note || 'Flagged'}>
          ⚑
        </span>
      )}
      {rules.length > 0 && (
        <span
          className="row-badge qa"
          data-testid="row-qa"
          data-rules={rules.join(' ')}
          title={warnings.map((f) => f.detail).join('\n')}
        >
          {rules.length}
        </span>
      )}
    </span>
  )
}
