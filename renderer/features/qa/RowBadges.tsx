import type { RowFlag } from '../../../shared/flags'
import type { QaFinding } from '../../data/qa'

/** The marks beside a row's number: its flag, and how many reward checks it trips (with reasons). */
export function RowBadges({
  flag,
  findings,
}: {
  readonly flag: RowFlag | undefined
  readonly findings: readonly QaFinding[] | undefined
}) {
  if (!flag && !findings?.length) return null
  const rules = [...new Set(findings?.map((f) => f.rule))]
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
          title={findings!.map((f) => f.detail).join('\n')}
        >
          {rules.length}
        </span>
      )}
    </span>
  )
}
