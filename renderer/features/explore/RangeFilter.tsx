import { useState } from 'react'
import { Bar, BarChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { useServices } from '../../app/AppContext'
import { formatCount, formatNumber } from '../../app/format'
import { useAppState } from '../../app/store'
import {
  type Bin,
  type NumericField,
  extentQuery,
  histogramQuery,
  parseExtent,
  parseHistogram,
} from '../../data/explore'
import { type Filter, rangeLabel } from '../../data/filter'
import type { Relations } from '../../data/relations'
import { readQuery } from '../../data/sql'
import { BoundInput } from './BoundInput'
import { languageColor } from './languageColors'
import { useEngineQuery } from '../../app/useEngineQuery'

const BIN_CHOICES = [10, 20, 40] as const

/** A field's range as the filter holds it, or open ends. */
function rangeOf(filter: Filter, key: string): { min: number | null; max: number | null } {
  const range = filter.ranges[key]
  return { min: range?.min ?? null, max: range?.max ?? null }
}

/** The filter with a field's range set (both ends null removes it). */
function withRange(
  filter: Filter,
  field: NumericField,
  min: number | null,
  max: number | null,
): Filter {
  const ranges = { ...filter.ranges }
  if (min === null && max === null) delete ranges[field.key]
  else ranges[field.key] = { path: field.path, min, max }
  return { ...filter, ranges }
}

/**
 * A range filter for one numeric field, with the histogram behind it: bars stacked by language,
 * dragging across bars sets the range, hovering shows the exact counts.
 */
export function RangeFilter({
  relations,
  field,
  split = false,
}: {
  readonly relations: Relations
  readonly field: NumericField
  /** Languages side by side in each bin instead of stacked. */
  readonly split?: boolean
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const [bins, setBins] = useState<number>(20)
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null)
  const extent = useEngineQuery(readQuery(extentQuery(relations, field.path), parseExtent))
  const range = rangeOf(filter, field.key)
  const known = extent.value
  const bars = useEngineQuery(
    known && known.min !== null
      ? readQuery(histogramQuery(relations, field, known, filter, bins), (rows) =>
          parseHistogram(rows, known, bins),
        )
      : null,
  )
  const data = (bars.value ?? []).map((bin, index) => ({ index, ...bin, ...bin.counts }))
  const languages = [...new Set(data.flatMap((d) => Object.keys(d.counts)))].sort()
  const setRange = (min: number | null, max: number | null) =>
    store.setFilter(withRange(filter, field, min, max))
  const inRange = (bin: Bin) =>
    (range.min === null || bin.to >= range.min) && (range.max === null || bin.from <= range.max)
  const selected = data.filter((d) => inRange(d))
  const active = range.min !== null || range.max !== null

  return (
    <div
      className={`range-filter${active ? ' active' : ''}`}
      data-testid={`score-filter-${field.key}`}
    >
      <div className="range-head">
        <span className="range-name" title={field.key}>
          {rangeLabel(field.key)}
        </span>
        <select
          aria-label={`Bins for ${field.key}`}
          value={bins}
          onChange={(e) => setBins(Number(e.target.value))}
          className="bins"
        >
          {BIN_CHOICES.map((n) => (
            <option key={n} value={n}>
              {n} bins
            </option>
          ))}
        </select>
        {active && (
          <button type="button" className="button link small" onClick={() => setRange(null, null)}>
            clear
          </button>
        )}
      </div>
      <div
        className="histogram"
        data-testid={`histogram-${field.key}`}
        data-min={extent.value?.min ?? ''}
        data-max={extent.value?.max ?? ''}
      >
        {extent.value && extent.value.min === null && <p className="muted small">No values.</p>}
        {data.length > 0 && (
          <ResponsiveContainer width="100%" height={84}>
            <BarChart
              data={data}
              barCategoryGap={1}
              margin={{ top: 4, right: 2, bottom: 0, left: 2 }}
              onMouseDown={(state) => {
                const i = Number(state.activeLabel)
                if (Number.isFinite(i)) setDrag({ from: i, to: i })
              }}
              onMouseMove={(state) => {
                const i = Number(state.activeLabel)
                if (drag && Number.isFinite(i)) setDrag({ ...drag, to: i })
              }}
              onMouseUp={() => {
                if (!drag) return
                const lo = data[Math.min(drag.from, drag.to)]
                const hi = data[Math.max(drag.from, drag.to)]
                setDrag(null)
                if (lo && hi) setRange(lo.from, hi.to)
              }}
            >
              <XAxis dataKey="index" hide />
              <YAxis hide />
              <Tooltip
                cursor={{ fill: 'var(--select)' }}
                isAnimationActive={false}
                content={({ active: hovering, payload }) => {
                  const bin = payload?.[0]?.payload as (Bin & { index: number }) | undefined
                  if (!hovering || !bin) return null
                  return (
                    <div className="chart-tip">
                      <strong>
                        {formatNumber(bin.from)} – {formatNumber(bin.to)}
                      </strong>
                      <div>{formatCount(bin.total)} units</div>
                      {Object.entries(bin.counts).map(([lang, n]) => (
                        <div key={lang}>
                          <span className="swatch" style={{ background: languageColor(lang) }} />{' '}
                          {lang} {formatCount(n)}
                        </div>
                      ))}
                    </div>
                  )
                }}
              />
              {languages.map((lang) => (
                <Bar
                  key={lang}
                  dataKey={lang}
                  stackId={split ? undefined : 'languages'}
                  fill={languageColor(lang)}
                  isAnimationActive={false}
                />
              ))}
              {active && selected.length > 0 && (
                <ReferenceArea
                  x1={selected[0]!.index}
                  x2={selected.at(-1)!.index}
                  fill="var(--accent)"
                  fillOpacity={0.12}
                />
              )}
              {drag && (
                <ReferenceArea
                  x1={Math.min(drag.from, drag.to)}
                  x2={Math.max(drag.from, drag.to)}
                  fill="var(--accent)"
                  fillOpacity={0.25}
                />
              )}
            </BarChart>
          </ResponsiveContainer>
        )}
        {extent.value?.min != null && (
          <div className="histogram-axis">
            <span data-testid="histogram-min">{formatNumber(extent.value.min)}</span>
            <span data-testid="histogram-max">{formatNumber(extent.value.max!)}</span>
          </div>
        )}
      </div>
      <div className="range-inputs">
        <BoundInput
          label={`${field.key} from`}
          placeholder="from"
          value={range.min}
          onCommit={(min) => setRange(min, range.max)}
        />
        <span className="muted">–</span>
        <BoundInput
          label={`${field.key} to`}
          placeholder="to"
          value={range.max}
          onCommit={(max) => setRange(range.min, max)}
        />
      </div>
    </div>
  )
}
