import { type ReactNode, useState } from 'react'
import { type FieldPath, type Profile, pathLabel } from '../../../shared/profile'
import { useEngineQuery } from '../../app/useEngineQuery'
import { readQuery } from '../../data/sql'
import { formatCount, formatNumber } from '../../app/format'
import type { LoadedDataset } from '../../data/dataset'
import { datasetFields } from '../../data/profile/fields'
import {
  type CodeAlternative,
  type ReviewUnit,
  defaultPair,
  codeAlternatives,
  codeAtQuery,
  parseCodeAt,
  parseReviewUnits,
  reviewUnitsQuery,
  worstOtherUnit,
} from '../../data/profile/review'
import { looksLikeCode } from '../../data/profile/languages'
import { pairReading } from '../../data/profile/pairReading'
import type { ProfileState } from '../../data/profile/session'
import { type CellValue, isStruct, valueText } from '../../data/values'
import { CodeDiff, type DiffSide } from '../diff/CodeDiff'
import { codeMarks } from '../../data/parse/marks'
import { useFindings } from '../qa/useFindings'
import { CodeBlock } from '../diff/CodeText'
import { testsListed } from '../../data/profile/tests'
import { asMessages } from '../../data/messages'
import { Conversation } from './Conversation'
import { Markdown } from './Markdown'
import { ValueView } from './ValueView'

type Units =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly units: readonly ReviewUnit[] }
  | { readonly status: 'error'; readonly message: string }

/**
 * Fetches the selected row's units through the profile's view. While the next row's units load,
 * the last ones stay on screen (dimmed), so the diff keeps its place and its keyboard focus.
 */
function useReviewUnits(state: ProfileState, rowId: number): Units & { readonly stale?: boolean } {
  // The selected row is what a person waits to read: it goes before the charts.
  const scoreCount = state.profile.scores.length
  const units = useEngineQuery(
    readQuery(
      reviewUnitsQuery(state.relations, state.profile, rowId),
      (rows) => parseReviewUnits(rows, scoreCount),
      'first',
    ),
  )
  if (!units.current) {
    return units.value
      ? { status: 'ready', units: units.value, stale: true }
      : { status: 'loading' }
  }
  if (units.error !== null) return { status: 'error', message: units.error }
  return { status: 'ready', units: units.value ?? [] }
}

/** The last part of a path, which is what people call a score: `overall`, `pass_rate`. */
function shortName(path: FieldPath): string {
  const parent = path.at(-2)
  const last = path.at(-1) ?? ''
  return parent && /scores?$/.test(parent) ? `${parent.replace(/_scores?$/, '')} ${last}` : last
}

/** A small fact beside a side's label. */
function Fact({ children, title }: { readonly children: ReactNode; readonly title?: string }) {
  return (
    <span className="diff-fact" title={title}>
      {children}
    </span>
  )
}

function OpenFence({ open }: { readonly open: boolean }) {
  return open ? (
    <span
      className="warn-badge"
      title="The answer opens a code fence it never closes: it was probably cut off"
    >
      fence left open
    </span>
  ) : null
}

/** The scores whose name says they belong to a side (`student_score` to the student). */
function sideScores(profile: Profile, unit: ReviewUnit, label: string): ReactNode[] {
  const word = label.toLowerCase().split(/\s+/).at(-1) ?? ''
  return profile.scores.flatMap((path, i) =>
    word !== '' && pathLabel(path).toLowerCase().includes(word) && unit.scores[i] !== null
      ? [
          <Fact key={i} title={pathLabel(path)}>
            {shortName(path)} {formatNumber(unit.scores[i]!)}
          </Fact>,
        ]
      : [],
  )
}

/** The selected row read through its roles: prompt, scores, and the diff of its two sides. */
export function ReviewSection({
  dataset,
  state,
  rowId,
}: {
  readonly dataset: LoadedDataset
  readonly state: ProfileState
  readonly rowId: number
}) {
  const units = useReviewUnits(state, rowId)
  const [picked, setPicked] = useState<{ rowId: number; a: number | null; b: number | null }>({
    rowId,
    a: null,
    b: null,
  })
  const { profile } = state
  if (units.status === 'loading') return <section className="review muted">Reading roles…</section>
  if (units.status === 'error') {
    return (
      <section className="review">
        <p className="error-text">The roles cannot be read for this row: {units.message}</p>
      </section>
    )
  }
  const list = units.units
  if (list.length === 0) {
    return (
      <section className="review" data-testid="review">
        <p className="muted">
          This row has no {profile.unnest ? pathLabel(profile.unnest) : 'units'} to review.
        </p>
      </section>
    )
  }
  const choice = picked.rowId === rowId ? picked : { rowId, a: null, b: null }
  const pick = (side: 'a' | 'b', index: number) => setPicked({ ...choice, [side]: index })
  // Two units of one group compared with each other (AceCode completions): best against worst first.
  const pairOfUnits = profile.unnest !== null && profile.codeB?.fromGroup !== undefined
  const first = pairOfUnits ? defaultPair(list) : { a: 0, b: worstOtherUnit(list, 0) }
  const indexA = Math.min(choice.a ?? first.a, list.length - 1)
  const indexB = Math.min(
    choice.b ?? (choice.a === null ? first.b : worstOtherUnit(list, indexA)),
    list.length - 1,
  )
  const unit = list[indexA]!
  const other = list[indexB]!
  const unitName = profile.unnest ? pathLabel(profile.unnest) : 'units'

  const picker = (side: 'a' | 'b', index: number, testId: string) => (
    <label className="unit-picker">
      <span className="muted small">{side === 'a' ? unitName : 'against'}</span>
      <select
        value={index}
        data-testid={testId}
        onChange={(e) => pick(side, Number(e.target.value))}
      >
        {list.map((u, i) => (
          <option key={i} value={i}>
            #{u.item ?? i + 1}
            {u.model ? ` · ${u.model}` : ''}
            {u.reward !== null ? ` · ${formatNumber(u.reward)}` : ''}
          </option>
        ))}
      </select>
      <span className="muted small">of {formatCount(list.length)}</span>
    </label>
  )

  return (
    <section
      className={`review${units.stale ? ' stale' : ''}`}
      data-testid="review"
      aria-busy={units.stale === true}
    >
      <div className="review-head">
        <h3>Review</h3>
        <span className="language-badge" data-testid="review-language" title="Language">
          {unit.language}
        </span>
        {unit.languageLabel !== null &&
          unit.languageLabel.trim().toLowerCase() !== unit.language && (
            <span className="muted small">file says “{unit.languageLabel}”</span>
          )}
        {profile.unnest && picker('a', indexA, 'unit-picker')}
        {pairOfUnits && picker('b', indexB, 'unit-picker-b')}
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
        <details className="review-prompt" open>
          <summary>
            <h4>Prompt</h4>
          </summary>
          {asMessages(unit.promptValue) ? (
            <Conversation messages={asMessages(unit.promptValue)!} testId="review-prompt" />
          ) : (
            <Markdown text={unit.prompt} testId="review-prompt" />
          )}
        </details>
      )}
      {profile.codeA !== null &&
        (pairOfUnits ? (
          <UnitPairDiff profile={profile} a={unit} b={other} />
        ) : (
          <RowDiff dataset={dataset} profile={profile} unit={unit} rowId={rowId} />
        ))}
      {unit.tests !== null && <Tests tests={unit.tests} language={unit.language} />}
    </section>
  )
}

/** Two units of one group, each with its own reward (pass rate) and model. */
function UnitPairDiff({
  profile,
  a,
  b,
}: {
  readonly profile: Profile
  readonly a: ReviewUnit
  readonly b: ReviewUnit
}) {
  // The unit a column points at (CodePrefBench's correct answer) goes by B's own label.
  const labelOf = (u: ReviewUnit) =>
    u.pointsAt !== null && (u.item ?? 1) - 1 === u.pointsAt
      ? profile.codeB!.label
      : profile.codeA!.label
  const side = (u: ReviewUnit): DiffSide => ({
    label: `${labelOf(u)} #${u.item ?? 1}`,
    code: u.codeA.code,
    raw: u.codeA.raw,
    facts: (
      <>
        {u.reward !== null && profile.reward && (
          <Fact title={pathLabel(profile.reward)}>
            {shortName(profile.reward)} {formatNumber(u.reward)}
          </Fact>
        )}
        {u.model && <Fact title="Model">{u.model}</Fact>}
        <OpenFence open={u.codeA.open} />
      </>
    ),
  })
  return <CodeDiff a={side(a)} b={side(b)} language={a.language} reading={pairReading(profile)} />
}

/** The row's own two sides; a B side with siblings (KodCode trials) can be swapped for any of them. */
function RowDiff({
  dataset,
  profile,
  unit,
  rowId,
}: {
  readonly dataset: LoadedDataset
  readonly profile: Profile
  readonly unit: ReviewUnit
  readonly rowId: number
}) {
  const alternatives =
    profile.codeB && !profile.codeB.fromGroup
      ? codeAlternatives(datasetFields(dataset, null), profile.codeB.path)
      : []
  const [chosen, setChosen] = useState<string | null>(null)
  const alternative =
    alternatives.find((alt) => alt.key === chosen) ??
    alternatives.find((alt) => pathLabel(alt.path) === pathLabel(profile.codeB!.path)) ??
    null
  const fetched = useAlternative(dataset, rowId, alternative)
  // Syntax errors and cuts the checks on parse trees found, marked on their lines.
  const findings = useFindings(dataset.table, [rowId]).get(rowId) ?? []
  const a: DiffSide = {
    label: profile.codeA!.label,
    code: unit.codeA.code,
    raw: unit.codeA.raw,
    marks: codeMarks(findings, profile.codeA!.label),
    facts: (
      <>
        {sideScores(profile, unit, profile.codeA!.label)}
        {unit.model && <Fact title="Model">{unit.model}</Fact>}
        <OpenFence open={unit.codeA.open} />
      </>
    ),
  }
  const bCode = alternative && fetched ? fetched : unit.codeB
  const b: DiffSide = {
    label: alternative ? alternative.key.replaceAll('_', ' ') : (profile.codeB?.label ?? 'B'),
    code: bCode.code,
    raw: bCode.raw,
    marks: profile.codeB && bCode === unit.codeB ? codeMarks(findings, profile.codeB.label) : [],
    facts: (
      <>
        {alternatives.length > 1 && (
          <select
            className="small"
            aria-label="Compare with"
            data-testid="alternative-picker"
            value={alternative?.key ?? ''}
            onChange={(e) => setChosen(e.target.value)}
          >
            {alternatives.map((alt) => (
              <option key={alt.key} value={alt.key}>
                {alt.key}
              </option>
            ))}
          </select>
        )}
        {profile.codeB && sideScores(profile, unit, profile.codeB.label)}
        {fetched && fetched.result !== null && (
          <Fact title={alternative?.result ? pathLabel(alternative.result) : undefined}>
            <span data-testid="trial-result">{valueText(fetched.result)}</span>
          </Fact>
        )}
        <OpenFence open={bCode.open} />
      </>
    ),
  }
  if (!profile.codeB) {
    const prose = !looksLikeCode(unit.codeA.raw ?? unit.codeA.code ?? '')
    return (
      <div className="code-single" data-testid="code-single">
        <h4>{profile.codeA!.label}</h4>
        {unit.codeA.code === null || unit.codeA.code === '' ? (
          <p className="muted small">This row has no {profile.codeA!.label}.</p>
        ) : (
          <CodeBlock code={unit.codeA.code} language={prose ? null : unit.language} />
        )}
      </div>
    )
  }
  return <CodeDiff a={a} b={b} language={unit.language} reading={pairReading(profile)} />
}

/** The code and result of one alternative of the B side, read from the row. */
function useAlternative(
  dataset: LoadedDataset,
  rowId: number,
  alternative: CodeAlternative | null,
) {
  const answer = useEngineQuery(
    alternative && readQuery(codeAtQuery(dataset.table, rowId, alternative), parseCodeAt),
  )
  return answer.current ? (answer.value ?? null) : null
}

/** The tests the code is judged by: a list of cases, or one block of test code. */
function Tests({ tests, language }: { readonly tests: CellValue; readonly language: string }) {
  const listed = testsListed(tests)
  const count = listed.kind === 'asserts' || listed.kind === 'io' ? listed.cases.length : null
  return (
    <details className="review-tests" data-testid="review-tests" open>
      <summary>
        <h4>Tests{count !== null ? ` (${formatCount(count)})` : ''}</h4>
      </summary>
      {listed.kind === 'code' ? (
        <CodeBlock code={listed.code} language={language} />
      ) : listed.kind === 'asserts' ? (
        <>
          {listed.setup && <CodeBlock code={listed.setup} language={language} />}
          <ol className="test-cases">
            {listed.cases.map((c, i) => (
              <li key={i}>
                <CodeBlock code={c} language={language} />
              </li>
            ))}
          </ol>
        </>
      ) : listed.kind === 'io' ? (
        <table className="test-io">
          <thead>
            <tr>
              <th>#</th>
              <th>{listed.fnName ? `${listed.fnName}(…)` : 'stdin'}</th>
              <th>{listed.fnName ? 'returns' : 'stdout'}</th>
            </tr>
          </thead>
          <tbody>
            {listed.cases.map((c, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>
                  <pre>{c.input}</pre>
                </td>
                <td>
                  <pre>{c.output}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <ValueView value={tests} />
      )}
    </details>
  )
}
