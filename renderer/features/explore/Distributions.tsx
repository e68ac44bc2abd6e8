import { useState } from 'react'
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { type FieldPath, type Profile, pathLabel } from '../../../shared/profile'
import { useServices } from '../../app/AppContext'
import { formatCount, formatNumber, formatShort } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import {
  CODE_A_LENGTH_SQL,
  meanByCategoryQuery,
  parseMeanByCategory,
  parseSummary,
  summaryQuery,
} from '../../data/explore'
import { numberSql } from '../../data/filter'
import type { LoadedDataset } from '../../data/dataset'
import type { Relations } from '../../data/relations'
import { readQuery } from '../../data/sql'
import { fieldSql, findField, datasetFields } from '../../data/profile/fields'
import { UNIT_COLUMNS as U } from '../../data/profile/units'
import { languageColor } from './languageColors'
import { CompareButton } from '../compare/CompareButton'
import { PointsChart } from './PointsChart'

const TICK = { fontSize: 10, fill: 'var(--muted)' }

/** The field the summary describes: the reward, or the first score. */
function mainField(profile: Profile): FieldPath | null {
  return profile.reward ?? profile.scores[0] ?? null
}

/** A category column worth a chart for this family: models (AceCode), difficulty (KodCode). */
function categoryOf(
  dataset: LoadedDataset,
  profile: Profile,
): { label: string; sql: string } | null {
  if (profile.model) return { label: 'model', sql: U.model }
  const difficulty = findField(datasetFields(dataset, profile.unnest), ['gpt_difficulty'])
  if (difficulty)
    return { label: 'difficulty', sql: `TRY_CAST(${fieldSql(difficulty.path)} AS VARCHAR)` }
  return null
}

function SummaryTable({
  relations,
  field,
}: {
  readonly relations: Relations
  readonly field: FieldPath
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const summary = useEngineQuery(readQuery(summaryQuery(relations, field, filter), parseSummary))
  // Three digits keep all seven columns in the card; the cell's tooltip has the value to six.
  const cell = (v: number | null) =>
    v === null ? <td>—</td> : <td title={formatNumber(v)}>{formatShort(v)}</td>
  // A pass/fail field (true/false, 0/1): the share passing is its mean, quantiles say nothing.
  const rows = summary.value ?? []
  const passFail = rows.length > 0 && rows.every((s) => s.binary)
  const title = `${pathLabel(field)} by language${passFail ? ' (pass/fail)' : ''}`
  return (
    <div className="chart-card summary-card" data-testid="summary-table">
      <h4 title={title}>{title}</h4>
      <table className="summary">
        <thead>
          {passFail ? (
            <tr>
              <th>language</th>
              <th>count</th>
              <th>passing</th>
              <th>share passing</th>
              <th>nulls</th>
            </tr>
          ) : (
            <tr>
              <th>language</th>
              <th>count</th>
              <th>mean</th>
              <th>median</th>
              <th>p5</th>
              <th>p95</th>
              <th>nulls</th>
            </tr>
          )}
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr
              key={s.language}
              className={s.language === 'all' ? 'total' : undefined}
              data-language={s.language}
            >
              <td>
                {s.language !== 'all' && (
                  <span className="swatch" style={{ background: languageColor(s.language) }} />
                )}{' '}
                {s.language}
              </td>
              <td>{formatCount(s.count)}</td>
              {passFail ? (
                <>
                  <td>{formatCount(s.passing)}</td>
                  <td data-share={s.mean ?? ''}>
                    {s.mean === null ? '—' : `${formatShort(s.mean * 100)}%`}
                  </td>
                </>
              ) : (
                <>
                  {cell(s.mean)}
                  {cell(s.median)}
                  {cell(s.p5)}
                  {cell(s.p95)}
                </>
              )}
              <td>{formatCount(s.nulls)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function CategoryChart({
  relations,
  field,
  category,
}: {
  readonly relations: Relations
  readonly field: FieldPath
  readonly category: { label: string; sql: string }
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const means = useEngineQuery(
    readQuery(meanByCategoryQuery(relations, field, category.sql, filter), parseMeanByCategory),
  )
  const data = means.value ?? []
  const title = `mean ${pathLabel(field)} by ${category.label}`
  return (
    <div className="chart-card" data-testid={`chart-by-${category.label}`}>
      <h4 title={title}>{title}</h4>
      <ResponsiveContainer width="100%" height={128}>
        <BarChart data={data} margin={{ top: 4, right: 6, bottom: 24, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="2 3" vertical={false} />
          <XAxis dataKey="category" tick={TICK} interval={0} angle={-20} textAnchor="end" />
          <YAxis tick={TICK} width={42} tickFormatter={formatShort} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fill: 'var(--select)' }}
            content={({ active, payload }) => {
              const d = payload?.[0]?.payload as
                { category: string; count: number; mean: number | null } | undefined
              if (!active || !d) return null
              return (
                <div className="chart-tip">
                  <strong>{d.category}</strong>
                  <div>mean {d.mean === null ? '—' : formatNumber(d.mean)}</div>
                  <div>{formatCount(d.count)} units</div>
                </div>
              )
            }}
          />
          <Bar dataKey="mean" fill="var(--accent)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}

/** The distributions above the table: summary per language, score against score, reward against length, per category. */
export function Distributions({ dataset }: { readonly dataset: LoadedDataset }) {
  const { store } = useServices()
  const profile = useAppState(store, (s) => s.profile)
  const [open, setOpen] = useState(true)
  // A comparison opening above takes the room: the distributions fold (one click opens them).
  const comparing = useAppState(store, (s) => s.compare !== null)
  const [wasComparing, setWasComparing] = useState(comparing)
  if (comparing !== wasComparing) {
    setWasComparing(comparing)
    if (comparing) setOpen(false)
  }
  if (!profile) return null
  const { relations } = profile
  const field = mainField(profile.profile)
  const [first, second] = profile.profile.scores
  const labelA = profile.profile.codeA?.label ?? 'A'
  const labelB = profile.profile.codeB?.label ?? 'B'
  const category = field ? categoryOf(dataset, profile.profile) : null
  return (
    <section className="distributions" aria-label="Distributions">
      <div className="distributions-head">
        <button
          type="button"
          className="button link small"
          aria-expanded={open}
          onClick={() => setOpen((v) => !v)}
        >
          {open ? '▾' : '▸'} Distributions
        </button>
        <CompareButton />
      </div>
      {open && (
        <div className="chart-row">
          {field && <SummaryTable relations={relations} field={field} />}
          {first && second && (
            <PointsChart
              testId="scatter-scores"
              title={`${pathLabel(first)} against ${pathLabel(second)}`}
              xLabel={pathLabel(second)}
              yLabel={pathLabel(first)}
              x={numberSql(second)}
              y={numberSql(first)}
              relations={relations}
              diagonal
            />
          )}
          {field && profile.profile.codeA && (
            <PointsChart
              testId="scatter-length"
              title={`${pathLabel(field)} against ${labelA} length`}
              xLabel={`${labelA} length (characters)`}
              yLabel={pathLabel(field)}
              x={CODE_A_LENGTH_SQL}
              y={numberSql(field)}
              relations={relations}
              diagonal={false}
            />
          )}
          {field && category && (
            <CategoryChart relations={relations} field={field} category={category} />
          )}
          {!field && (
            <p className="muted small">
              No score or reward role is set: choose one under Roles to see distributions ({labelA}{' '}
              vs {labelB}).
            </p>
          )}
        </div>
      )}
    </section>
  )
}
