import { useState } from 'react'
import { type CodeRole, type FieldPath, pathLabel } from '../../../shared/profile'
import { useEngineQuery } from '../../app/useEngineQuery'
import { formatCount, formatNumber } from '../../app/format'
import { type ReviewUnit, fetchReviewUnits } from '../../data/profile/review'
import type { ProfileState } from '../../data/profile/session'
import { isStruct, valueText } from '../../data/values'
import { ValueView } from './ValueView'

type Units =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly units: readonly ReviewUnit[] }
  | { readonly status: 'error'; readonly message: string }

/** Fetches the selected row's units through the profile's view; stale answers are dropped. */
function useReviewUnits(state: ProfileState, rowId: number): Units {
  const units = useEngineQuery(`${state.view}:${JSON.stringify(state.profile)}:${rowId}`, (e) =>
    fetchReviewUnits(e, state.view, state.profile, rowId),
  )
  if (!units.current) return { status: 'loading' }
  if (units.error !== null) return { status: 'error', message: units.error }
  return { status: 'ready', units: units.value ?? [] }
}

/** The last part of a path, which is what people call a score: `overall`, `pass_rate`. */
function shortName(path: FieldPath): string {
  const parent = path.at(-2)
  const last = path.at(-1) ?? ''
  return parent && /scores?$/.test(parent) ? `${parent.replace(/_scores?$/, '')} ${last}` : last
}

/** The selected row read through its roles: prompt, language, both sides of the code, scores. */
export function ReviewSection({
  state,
  rowId,
}: {
  readonly state: ProfileState
  readonly rowId: number
}) {
  const units = useReviewUnits(state, rowId)
  const [picked, setPicked] = useState<{ rowId: number; index: number }>({ rowId, index: 0 })
  const [raw, setRaw] = useState(false)
  const { profile } = state
  if (units.status === 'loading') return <section className="review muted">Reading roles…</section>
  if (units.status === 'error') {
    return (
      <section className="review">
        <p className="error-text">The roles cannot be read for this row: {units.message}</p>
      </section>
    )
  }
  if (units.units.length === 0) {
    return (
      <section className="review" data-testid="review">
        <p className="muted">
          This row has no {profile.unnest ? pathLabel(profile.unnest) : 'units'} to review.
        </p>
      </section>
    )
  }
  const index = picked.rowId === rowId ? Math.min(picked.index, units.units.length - 1) : 0
  const unit = units.units[index]!
  const hasCode = profile.codeA !== null || profile.codeB !== null
  return (
    <section className="review" data-testid="review">
      <div className="review-head">
        <h3>Review</h3>
        <span className="language-badge" data-testid="review-language" title="Language">
          {unit.language}
        </span>
        {unit.languageLabel !== null &&
          unit.languageLabel.trim().toLowerCase() !== unit.language && (
            <span className="muted small">file says “{unit.languageLabel}”</span>
          )}
        {profile.unnest && (
          <label className="unit-picker">
            <span className="muted small">{pathLabel(profile.unnest)}</span>
            <select
              value={index}
              data-testid="unit-picker"
              onChange={(e) => setPicked({ rowId, index: Number(e.target.value) })}
            >
              {units.units.map((u, i) => (
                <option key={i} value={i}>
                  #{u.item ?? i + 1}
                  {u.model ? ` · ${u.model}` : ''}
                  {u.reward !== null ? ` · ${formatNumber(u.reward)}` : ''}
                </option>
              ))}
            </select>
            <span className="muted small">of {formatCount(units.units.length)}</span>
          </label>
        )}
      </div>
      {(profile.scores.length > 0 || profile.reward) && (
        <dl className="scores" data-testid="review-scores">
          {profile.scores.map((path, i) => (
            <div key={path.join('\0')}>
              <dt title={pathLabel(path)}>{shortName(path)}</dt>
              <dd>{unit.scores[i] === null ? '—' : formatNumber(unit.scores[i]!)}</dd>
            </div>
          ))}
          {profile.reward && (
            <div className="reward">
              <dt title={pathLabel(profile.reward)}>reward</dt>
              <dd>{unit.reward === null ? '—' : formatNumber(unit.reward)}</dd>
            </div>
          )}
        </dl>
      )}
      {isStruct(unit.breakdown) && (
        <dl className="scores breakdown" data-testid="review-breakdown">
          {Object.entries(unit.breakdown).map(([name, value]) => (
            <div key={name}>
              <dt>{name.replaceAll('_', ' ')}</dt>
              <dd>{typeof value === 'number' ? formatNumber(value) : valueText(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {unit.prompt !== null && (
        <div className="review-prompt">
          <h4>Prompt</h4>
          <ValueView value={unit.prompt} />
        </div>
      )}
      {hasCode && (
        <>
          <div className="review-code-head">
            <h4>Code</h4>
            <label className="small">
              <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} />{' '}
              Show the raw answers
            </label>
          </div>
          <div className="code-pair">
            <CodeSide
              role={profile.codeA}
              side={unit.codeA}
              raw={raw}
              model={unit.model}
              testId="review-code-a"
            />
            <CodeSide
              role={profile.codeB}
              side={unit.codeB}
              raw={raw}
              from={unit.codeB.item}
              testId="review-code-b"
            />
          </div>
        </>
      )}
      {unit.tests !== null && (
        <div className="review-tests">
          <h4>Tests</h4>
          <ValueView value={unit.tests} />
        </div>
      )}
    </section>
  )
}

function CodeSide({
  role,
  side,
  raw,
  model,
  from,
  testId,
}: {
  readonly role: CodeRole | null
  readonly side: ReviewUnit['codeA']
  readonly raw: boolean
  readonly model?: string | null
  readonly from?: number | null
  readonly testId: string
}) {
  if (!role) return <div className="code-side muted small">No code role set.</div>
  const text = raw ? side.raw : side.code
  return (
    <div className="code-side" data-testid={testId}>
      <div className="code-side-head">
        <strong>{role.label}</strong>
        {from !== null && from !== undefined && <span className="muted small">#{from}</span>}
        {model && <span className="muted small">{model}</span>}
        {side.open && (
          <span
            className="warn-badge"
            title="The answer opens a code fence it never closes: it was probably cut off"
          >
            fence left open
          </span>
        )}
      </div>
      {text === null ? (
        <span className="cell-null">null</span>
      ) : (
        <pre className="code">{text || ' '}</pre>
      )}
    </div>
  )
}
