/**
 * The comparison with a second file, above the table: which files, the key and how it falls, the
 * counts, the facet that filters the table (in both, only in A, changed, flipped...), A's reward
 * against B's, the difference as a range filter, the change per language, and B's own units.
 */
import { useState } from 'react'
import { useServices } from '../../app/AppContext'
import type { CompareState } from '../../app/appState'
import { formatCount, formatNumber } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import type { CompareBuild } from '../../data/compare/build'
import {
  type CompareKey,
  type KeyStats,
  fieldsKey,
  isUnique,
  keyLabel,
  sameKey,
} from '../../data/compare/key'
import {
  ONLY_IN_B_LISTED,
  compareFacetQuery,
  languageChangeQuery,
  onlyInBQuery,
  parseCompareFacet,
  parseLanguageChanges,
  parseOnlyInB,
} from '../../data/compare/queries'
import type { LoadedDataset } from '../../data/dataset'
import type { CompareShow } from '../../data/filter'
import type { NumericField } from '../../data/explore'
import { UNIT_COLUMNS as U, compareScoreColumn, scoreColumn } from '../../data/profile/units'
import type { Relations } from '../../data/relations'
import { readQuery } from '../../data/sql'
import { PointsChart } from '../explore/PointsChart'
import { RangeFilter } from '../explore/RangeFilter'
import { RolesEditor } from '../profile/ProfileEditor'
import { KeyEditor } from './KeyEditor'

/** The difference of the rewards, B minus A, as a field to filter and chart. */
const DELTA: NumericField = { key: U.deltaReward, path: [U.deltaReward], role: true }

/** The comparison bar; nothing when no second file is open. */
export function ComparePanel({ dataset }: { readonly dataset: LoadedDataset }) {
  const { store } = useServices()
  const compare = useAppState(store, (s) => s.compare)
  const profile = useAppState(store, (s) => s.profile)
  const [editingB, setEditingB] = useState(false)
  if (!compare || !profile) return null
  const { b, build } = compare
  return (
    <section className="compare-panel" data-testid="compare-panel" aria-label="Comparison">
      <div className="compare-head">
        <span className="compare-files">
          <span className="compare-tag a">A</span> {dataset.source.name}
          <span className="muted"> ↔ </span>
          <span className="compare-tag b">B</span> {compare.source.name}
          {b && (
            <span className="muted small">
              {' '}
              ({formatCount(b.dataset.rowCount)} rows, {b.dataset.format})
            </span>
          )}
        </span>
        {b && compare.choice && (
          <KeyEditor
            a={{ dataset, profile: profile.profile }}
            b={{ dataset: b.dataset, profile: b.profile.profile }}
            choice={compare.choice}
            current={build?.key ?? null}
            onChange={(key) => void store.compareOn(key)}
          />
        )}
        {b && (
          <button
            type="button"
            className={`button ghost small${editingB ? ' active' : ''}`}
            data-testid="compare-b-roles"
            aria-expanded={editingB}
            title="Which column of B plays which role"
            onClick={() => setEditingB((v) => !v)}
          >
            B’s roles <span className="family-badge">{b.profile.profile.family}</span>
          </button>
        )}
        <button
          type="button"
          className="button ghost small"
          data-testid="compare-close"
          onClick={() => void store.closeCompare()}
        >
          Close comparison
        </button>
      </div>
      {b && editingB && (
        <RolesEditor
          dataset={b.dataset}
          state={b.profile}
          error={compare.error}
          title={`Roles of B: ${compare.source.name}`}
          testId="compare-b-roles-editor"
          onChange={(next) => void store.compareRoles(next)}
          onClose={() => setEditingB(false)}
        />
      )}
      {compare.loading && (
        <p className="compare-loading muted small" role="status">
          Opening {compare.source.name}: {compare.loading.phase}
          {compare.loading.rows > 0 ? `, ${formatCount(compare.loading.rows)} rows` : ''}…
        </p>
      )}
      {compare.building && (
        <p className="muted small" role="status">
          Pairing the rows…
        </p>
      )}
      {compare.error && (
        <p className="error-text small" data-testid="compare-error" role="alert">
          {compare.error}
        </p>
      )}
      {b && isSameSource(dataset, b.dataset) && (
        <p className="compare-notice small" data-testid="compare-same-file">
          B is the same file as A: every pair is a row with itself, so nothing can differ but the
          key.
        </p>
      )}
      {b && compare.choice && !compare.choice.key && !compare.build && !compare.building && (
        <p className="compare-notice small" data-testid="compare-no-key">
          These files share no column and do not both have a prompt: pick a field of each under
          “Join on” to pair them.
        </p>
      )}
      {build && (
        <KeyWarning build={build} compare={compare} onPick={(k) => void store.compareOn(k)} />
      )}
      {build && !compare.building && (
        <CompareBody relations={profile.relations} build={build} compare={compare} />
      )}
    </section>
  )
}

/** True when both sides are the same file (same path, or in the browser the same name and size). */
function isSameSource(a: LoadedDataset, b: LoadedDataset): boolean {
  if (a.source.path === b.source.path) return true
  const [fa, fb] = [a.source.files, b.source.files]
  return (
    fa.length === fb.length && fa.every((f, i) => f.name === fb[i]!.name && f.size === fb[i]!.size)
  )
}

/** A side's repeats of the key, in words. */
function repeatsText(side: string, stats: KeyStats): string {
  const parts: string[] = []
  if (stats.repeated > 0) {
    parts.push(
      `${formatCount(stats.repeated)} of its ${formatCount(stats.units)} units share ${formatCount(stats.repeatedKeys)} values with other rows`,
    )
  }
  if (stats.missing > 0) parts.push(`${formatCount(stats.missing)} have no value`)
  return `${side}: ${parts.join(', ')}`
}

/** Says when the key is not a key (it repeats, or is missing), and offers the columns that are. */
function KeyWarning({
  build,
  compare,
  onPick,
}: {
  readonly build: CompareBuild
  readonly compare: CompareState
  readonly onPick: (key: CompareKey) => void
}) {
  const { a, b } = build.stats
  if (isUnique(a) && isUnique(b)) return null
  const offers = (compare.choice?.uniqueColumns ?? []).filter(
    (c) => !sameKey(fieldsKey(c), build.key),
  )
  return (
    <div className="compare-warning small" data-testid="compare-key-warning" role="status">
      <p>
        <strong>{keyLabel(build.key)}</strong> is not a key.{' '}
        {[
          ...(isUnique(a) ? [] : [repeatsText('A', a)]),
          ...(isUnique(b) ? [] : [repeatsText('B', b)]),
        ].join('; ')}
        . Units that share a value are paired in file order (the first with the first), never
        multiplied.
      </p>
      {offers.length > 0 ? (
        <p>
          Unique in both files:{' '}
          {offers.map((column) => (
            <button
              key={column}
              type="button"
              className="button small"
              data-testid="compare-key-offer"
              data-column={column}
              onClick={() => onPick(fieldsKey(column))}
            >
              Join on {column}
            </button>
          ))}
        </p>
      ) : (
        <p>No column is unique in both files; pick fields of each under “Join on”.</p>
      )}
    </div>
  )
}

const FACETS: readonly { readonly show: CompareShow | null; readonly label: string }[] = [
  { show: null, label: 'All' },
  { show: 'both', label: 'In both' },
  { show: 'a-only', label: 'Only in A' },
  { show: 'b-only', label: 'Only in B' },
  { show: 'changed', label: 'Changed' },
  { show: 'flipped', label: 'Flipped' },
]

/** The counts, the facet, the charts and B's own units, once the pairs are built. */
function CompareBody({
  relations,
  build,
  compare,
}: {
  readonly relations: Relations
  readonly build: CompareBuild
  readonly compare: CompareState
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const { threshold } = compare
  const facet = useEngineQuery(
    readQuery(compareFacetQuery(relations, filter, threshold), parseCompareFacet),
  ).value
  const counts = build.counts
  const shown = filter.compare?.show ?? null
  const countOf = (show: CompareShow | null): number | null => {
    if (show === 'b-only') return counts.bOnly
    if (!facet) return null
    if (show === 'both') return facet.both
    if (show === 'a-only') return facet.aOnly
    if (show === 'changed') return facet.changed
    if (show === 'flipped') return facet.flipped
    return null
  }
  return (
    <>
      <p className="compare-summary" data-testid="compare-summary">
        <strong>{formatCount(counts.both)}</strong> in both ·{' '}
        <strong>{formatCount(counts.aOnly)}</strong> A only ·{' '}
        <strong>{formatCount(counts.bOnly)}</strong> B only ·{' '}
        <strong>{formatCount(counts.changed)}</strong> changed
        {counts.swapped > 0 && (
          <>
            {' '}
            · <strong>{formatCount(counts.swapped)}</strong> with sides swapped
          </>
        )}
      </p>
      <div className="compare-controls">
        <div
          className="compare-facet"
          role="radiogroup"
          aria-label="Pairs shown"
          data-testid="compare-facet"
        >
          {FACETS.map(({ show, label }) => {
            const n = countOf(show)
            return (
              <button
                key={label}
                type="button"
                role="radio"
                aria-checked={shown === show}
                className={`button small${shown === show ? ' active' : ''}`}
                data-value={show ?? 'all'}
                onClick={() =>
                  store.updateFilter({ compare: show === null ? null : { show, threshold } })
                }
              >
                {label}
                {n !== null && <span className="compare-count"> {formatCount(n)}</span>}
              </button>
            )
          })}
        </div>
        {build.rewards && (
          <label className="compare-threshold small">
            A pass is a reward ≥{' '}
            <input
              type="number"
              step="any"
              data-testid="compare-threshold"
              defaultValue={threshold}
              key={threshold}
              onBlur={(e) => {
                const value = Number(e.target.value)
                if (e.target.value.trim() !== '' && Number.isFinite(value))
                  store.compareThreshold(value)
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') e.currentTarget.blur()
              }}
            />
          </label>
        )}
      </div>
      {shown === 'b-only' ? (
        <OnlyInB compare={build.table} />
      ) : (
        build.rewards && <CompareCharts relations={relations} build={build} threshold={threshold} />
      )}
    </>
  )
}

/** A's reward (or a score) against B's, the difference as a range, the change per language. */
function CompareCharts({
  relations,
  build,
  threshold,
}: {
  readonly relations: Relations
  readonly build: CompareBuild
  readonly threshold: number
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const [measure, setMeasure] = useState(-1)
  const [open, setOpen] = useState(true)
  const score = build.scores[measure]
  const [x, y, label] = score
    ? [scoreColumn(score.a), compareScoreColumn(score.a), score.label]
    : [U.reward, U.compareReward, 'reward']
  const changes = useEngineQuery(
    readQuery(languageChangeQuery(relations, filter, threshold), parseLanguageChanges),
  ).value
  return (
    <div className="compare-charts">
      <button
        type="button"
        className="button link small"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
      >
        {open ? '▾' : '▸'} What changed
      </button>
      {open && (
        <div className="chart-row">
          <div className="compare-scatter">
            {build.scores.length > 0 && (
              <select
                className="small"
                aria-label="Value plotted"
                value={measure}
                onChange={(e) => setMeasure(Number(e.target.value))}
              >
                <option value={-1}>reward</option>
                {build.scores.map((s, i) => (
                  <option key={s.label} value={i}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
            <PointsChart
              testId="compare-scatter"
              title={`${label}: A (x) against B (y)`}
              xLabel={`A ${label}`}
              yLabel={`B ${label}`}
              x={x}
              y={y}
              relations={relations}
              diagonal
            />
          </div>
          <div className="chart-card compare-delta">
            <RangeFilter relations={relations} field={DELTA} />
          </div>
          <div className="chart-card compare-languages-box">
            <table className="compare-languages small" data-testid="compare-languages">
              <thead>
                <tr>
                  <th>language</th>
                  <th>pairs</th>
                  <th title="Mean reward in A">A</th>
                  <th title="Mean reward in B">B</th>
                  <th title="Mean of B − A">Δ</th>
                  <th>changed</th>
                  <th title={`Reward ≥ ${formatNumber(threshold)} in A, below in B`}>pass→fail</th>
                  <th title={`Reward below ${formatNumber(threshold)} in A, ≥ in B`}>fail→pass</th>
                </tr>
              </thead>
              <tbody>
                {(changes ?? []).map((c) => (
                  <tr key={c.language} data-language={c.language}>
                    <td>{c.language}</td>
                    <td>{formatCount(c.pairs)}</td>
                    <td>{c.meanA === null ? '–' : formatNumber(c.meanA)}</td>
                    <td>{c.meanB === null ? '–' : formatNumber(c.meanB)}</td>
                    <td
                      className={c.meanDelta && c.meanDelta < 0 ? 'down' : c.meanDelta ? 'up' : ''}
                    >
                      {c.meanDelta === null ? '–' : formatNumber(c.meanDelta)}
                    </td>
                    <td>{formatCount(c.changed)}</td>
                    <td>{formatCount(c.down)}</td>
                    <td>{formatCount(c.up)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  )
}

/** B's units with no pair in A (the table lists A's rows only). */
function OnlyInB({ compare }: { readonly compare: string }) {
  const { store } = useServices()
  const b = useAppState(store, (s) => s.compare?.b ?? null)
  const rows = useEngineQuery(
    b ? readQuery(onlyInBQuery(compare, b.profile.relations), parseOnlyInB) : null,
  ).value
  if (!b) return null
  return (
    <div className="compare-only-b" data-testid="compare-only-b">
      <p className="muted small">
        Rows of {b.dataset.source.name} with no pair in A (the table below lists A’s rows)
        {rows && rows.length >= ONLY_IN_B_LISTED
          ? `; the first ${formatCount(ONLY_IN_B_LISTED)}`
          : ''}
        :
      </p>
      <table className="small">
        <thead>
          <tr>
            <th>B row</th>
            <th>language</th>
            <th>reward</th>
            <th>prompt</th>
          </tr>
        </thead>
        <tbody>
          {(rows ?? []).map((r) => (
            <tr key={`${r.row}:${r.item ?? ''}`} data-row={r.row}>
              <td>
                {formatCount(r.row + 1)}
                {r.item !== null ? ` #${r.item}` : ''}
              </td>
              <td>{r.language}</td>
              <td>{r.reward === null ? '–' : formatNumber(r.reward)}</td>
              <td className="compare-prompt">{r.prompt}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
