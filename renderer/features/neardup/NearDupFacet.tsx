import { useState } from 'react'
import type { NearDupState } from '../../app/appState'
import { useServices } from '../../app/AppContext'
import { formatCount } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import type { NearDupFilter } from '../../data/filter'
import { MAX_TEXTS } from '../../data/neardup/build'
import type { NearDupKind } from '../../data/neardup/core'
import {
  contaminatedCountQuery,
  nearDupFacetQuery,
  parseNearDupFacet,
} from '../../data/neardup/queries'
import type { Relations } from '../../data/relations'
import { readQuery } from '../../data/sql'
import { SecondFileButton } from '../open/SecondFileButton'
import './neardup.css'

/**
 * The near-duplicates facet (`near-duplicates`): progress while the texts are signed, then the
 * groups of prompts or of code at the threshold, the largest by name, and the reference set the
 * rows are matched against.
 */
export function NearDupFacet({ relations }: { readonly relations: Relations }) {
  const { store } = useServices()
  const state = useAppState(store, (s) => s.nearDup)
  const profile = useAppState(store, (s) => s.profile?.profile ?? null)
  if (!state || !profile || (!profile.prompt && !profile.codeA)) return null
  return (
    <fieldset className="facet near-duplicates" data-testid="near-duplicates">
      <legend>Near-duplicates</legend>
      {state.error && (
        <p className="error-text small" data-testid="near-duplicates-error">
          {state.error}
        </p>
      )}
      {state.progress && !state.summary && <Progress progress={state.progress} />}
      {state.summary?.skipped.map(({ kind, texts }) => (
        <p key={kind} className="muted small" data-testid="near-duplicates-skipped">
          {kind === 'prompt' ? 'Prompts' : 'Code'} not grouped: {formatCount(texts)} distinct{' '}
          {kind === 'prompt' ? 'prompts' : 'answers'}, more than the {formatCount(MAX_TEXTS)} looked
          at.
        </p>
      ))}
      {state.summary && (state.summary.prompt || state.summary.code) && (
        <Groups relations={relations} state={state} />
      )}
      {state.summary && <Reference relations={relations} state={state} />}
    </fieldset>
  )
}

function Progress({ progress }: { readonly progress: NonNullable<NearDupState['progress']> }) {
  const fraction = progress.total > 0 ? progress.done / progress.total : 0
  return (
    <div className="near-dup-progress" data-testid="near-duplicates-progress">
      <span className="muted small">
        Finding near-duplicates… {formatCount(progress.done)} of {formatCount(progress.total)} texts
      </span>
      <progress max={1} value={fraction} aria-label="Finding near-duplicates" />
    </div>
  )
}

function Groups({
  relations,
  state,
}: {
  readonly relations: Relations
  readonly state: NearDupState
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const summary = state.summary!
  const kinds = (['prompt', 'code'] as const).filter((k) => summary[k] !== null)
  const [chosen, setChosen] = useState<NearDupKind>(kinds[0] ?? 'prompt')
  const filtered = filter.nearDup?.kind
  // The parent shows the groups only when some kind was found.
  const kind =
    filtered && kinds.includes(filtered) ? filtered : kinds.includes(chosen) ? chosen : kinds[0]!
  const facet = useEngineQuery(
    readQuery(nearDupFacetQuery(relations, filter, kind), parseNearDupFacet),
  ).value
  const [threshold, setThreshold] = useState(String(state.threshold))
  const shown = filter.nearDup
  const choose = (group: NearDupFilter['group'] | null) =>
    store.updateFilter({ nearDup: group === null ? null : { kind, group } })
  const pressed = (group: NearDupFilter['group'] | null) =>
    group === null ? shown === null : shown?.kind === kind && shown.group === group
  const applyThreshold = () => {
    const value = Number(threshold)
    if (Number.isFinite(value) && value > 0 && value <= 1) void store.nearDupThreshold(value)
    else setThreshold(String(state.threshold))
  }
  return (
    <>
      <div className="near-dup-head">
        {kinds.length > 1 && (
          <div className="segmented" role="group" aria-label="Near-duplicates of">
            {kinds.map((k) => (
              <button
                key={k}
                type="button"
                data-value={k}
                aria-pressed={k === kind}
                onClick={() => {
                  setChosen(k)
                  if (shown && shown.kind !== k) store.updateFilter({ nearDup: null })
                }}
              >
                {k === 'prompt' ? 'Prompts' : 'Code'}
              </button>
            ))}
          </div>
        )}
        <label
          className="small near-dup-threshold"
          title="Jaccard similarity of the shingles two texts need"
        >
          Jaccard ≥{' '}
          <input
            data-testid="near-duplicates-threshold"
            type="number"
            min={0.05}
            max={1}
            step={0.05}
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            onBlur={applyThreshold}
            onKeyDown={(e) => {
              if (e.key === 'Enter') applyThreshold()
            }}
          />
        </label>
      </div>
      <p className="muted small" data-testid="near-duplicates-summary">
        {formatCount(summary[kind]!.groups)} {summary[kind]!.groups === 1 ? 'group' : 'groups'} of{' '}
        {kind === 'prompt' ? 'prompts' : 'code'} · {formatCount(summary[kind]!.units)} units in them
        {state.progress ? ' · grouping again…' : ''}
      </p>
      <div className="near-dup-choices" data-testid="near-duplicates-choices">
        <Choice
          label="All"
          count={null}
          pressed={pressed(null)}
          onClick={() => choose(null)}
          value="all"
        />
        <Choice
          label="In a group"
          count={facet?.grouped ?? null}
          pressed={pressed('any')}
          onClick={() => choose('any')}
          value="any"
        />
        <Choice
          label="In none"
          count={facet?.alone ?? null}
          pressed={pressed('none')}
          onClick={() => choose('none')}
          value="none"
        />
        {facet?.top.map((g) => (
          <Choice
            key={g.group}
            label={`Group ${g.group}`}
            count={g.units}
            pressed={pressed(g.group)}
            onClick={() => choose(g.group)}
            value={String(g.group)}
          />
        ))}
        {facet && facet.groups > facet.top.length && (
          <span className="muted small">
            and {formatCount(facet.groups - facet.top.length)} smaller groups
          </span>
        )}
      </div>
    </>
  )
}

function Choice({
  label,
  count,
  pressed,
  onClick,
  value,
}: {
  readonly label: string
  readonly count: number | null
  readonly pressed: boolean
  readonly onClick: () => void
  readonly value: string
}) {
  return (
    <button
      type="button"
      className="near-dup-choice"
      data-value={value}
      aria-pressed={pressed}
      onClick={onClick}
    >
      <span className="facet-name">{label}</span>
      {count !== null && <span className="facet-count">{formatCount(count)}</span>}
    </button>
  )
}

function Reference({
  relations,
  state,
}: {
  readonly relations: Relations
  readonly state: NearDupState
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const reference = state.reference
  const matched = reference?.matched === true
  const count = useEngineQuery(
    matched
      ? readQuery(contaminatedCountQuery(relations, filter), (rows) => Number(rows[0]?.n ?? 0))
      : null,
  ).value
  const choose = (contaminated: 'only' | 'exclude' | null) => store.updateFilter({ contaminated })
  return (
    <div className="near-dup-reference" data-testid="reference-set">
      <div className="near-dup-head">
        <SecondFileButton
          testId="reference-button"
          inputTestId="reference-file-input"
          className="small"
          title="Mark the rows whose prompt or code is a near-duplicate of a row of another file: a benchmark's problems, a test split"
          disabled={reference !== null && !matched && state.error === null}
          onChoose={(request) => void store.referenceFrom(request)}
        >
          {reference ? 'Another reference set…' : 'Reference set…'}
        </SecondFileButton>
        {reference && (
          <button
            type="button"
            className="button link small"
            data-testid="reference-clear"
            onClick={() => void store.clearReference()}
          >
            Clear
          </button>
        )}
      </div>
      {reference && !matched && (
        <p className="muted small" data-testid="reference-progress">
          Matching against {reference.name}
          {state.progress && state.progress.total > 0
            ? `: ${formatCount(state.progress.done)} of ${formatCount(state.progress.total)} texts`
            : '…'}
        </p>
      )}
      {reference && matched && (
        <>
          <p className="small" data-testid="reference-summary">
            <strong>{formatCount(state.summary!.contaminated)}</strong> units match a row of{' '}
            {reference.name} ({formatCount(reference.rows ?? 0)} rows): prompt{' '}
            {formatCount(state.summary!.prompt?.matched ?? 0)}, code{' '}
            {formatCount(state.summary!.code?.matched ?? 0)}
          </p>
          <div className="segmented" role="group" aria-label="Rows in the reference set">
            {(
              [
                [null, 'All'],
                [
                  'only',
                  `In it${count !== undefined && filter.contaminated !== 'exclude' ? ` (${formatCount(count)})` : ''}`,
                ],
                ['exclude', 'Not in it'],
              ] as const
            ).map(([value, label]) => (
              <button
                key={label}
                type="button"
                data-value={value ?? 'all'}
                aria-pressed={filter.contaminated === value}
                onClick={() => choose(value)}
              >
                {label}
              </button>
            ))}
          </div>
        </>
      )}
    </div>
  )
}
