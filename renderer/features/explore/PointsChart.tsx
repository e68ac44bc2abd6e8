/**
 * A scatter plot of sampled units. Recharts draws the frame (axes, grid, the y = x line); the
 * points are one SVG path per language, each dot a zero-length line with round caps. Recharts'
 * own Scatter makes a component and several SVG nodes per point: with 1,500 points a chart, two
 * charts took seconds of the main thread on every filter change.
 */
import { useMemo, useState } from 'react'
import {
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  XAxis,
  YAxis,
  usePlotArea,
  useXAxisScale,
  useYAxisScale,
} from 'recharts'
import { useServices } from '../../app/AppContext'
import { formatCount, formatNumber } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { type Point, SCATTER_POINTS, scatterSample } from '../../data/explore'
import { languageColor } from './languageColors'

const TICK = { fontSize: 10, fill: 'var(--muted)' }
/** Pixels from the pointer within which a point is picked for the tip. */
const PICK_RADIUS = 8

/** The points of a sample, by language, and the corners of their extent. */
function groupPoints(points: readonly Point[], diagonal: boolean) {
  const byLanguage = new Map<string, Point[]>()
  for (const p of points) {
    const list = byLanguage.get(p.language)
    if (list) list.push(p)
    else byLanguage.set(p.language, [p])
  }
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity]
  for (const p of points) {
    minX = Math.min(minX, p.x)
    maxX = Math.max(maxX, p.x)
    minY = Math.min(minY, p.y)
    maxY = Math.max(maxY, p.y)
  }
  // Score against score shares one scale, so the y = x line is the diagonal.
  if (diagonal) {
    minX = minY = Math.min(minX, minY)
    maxX = maxY = Math.max(maxX, maxY)
  }
  const corners =
    points.length > 0
      ? [
          { x: minX, y: minY },
          { x: maxX, y: maxY },
        ]
      : []
  // Languages in name order, so each is drawn on the same layer whatever the sample's order.
  const sorted = new Map([...byLanguage].sort(([a], [b]) => a.localeCompare(b)))
  return { byLanguage: sorted, corners, lo: minX, hi: maxX }
}

/** The dots, drawn with the chart's own scales, and the tip of the point under the pointer. */
function Dots({
  byLanguage,
  xLabel,
  yLabel,
}: {
  readonly byLanguage: ReadonlyMap<string, readonly Point[]>
  readonly xLabel: string
  readonly yLabel: string
}) {
  const xScale = useXAxisScale()
  const yScale = useYAxisScale()
  const area = usePlotArea()
  const [hover, setHover] = useState<{ point: Point; x: number; y: number } | null>(null)
  const placed = useMemo(() => {
    if (!xScale || !yScale) return []
    return [...byLanguage].map(([language, points]) => ({
      language,
      points: points.flatMap((point) => {
        const x = xScale(point.x)
        const y = yScale(point.y)
        return x === undefined || y === undefined ? [] : [{ point, x, y }]
      }),
    }))
  }, [byLanguage, xScale, yScale])
  if (!area) return null

  const pick = (event: React.MouseEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    const px = area.x + event.clientX - box.left
    const py = area.y + event.clientY - box.top
    let best: { point: Point; x: number; y: number } | null = null
    let bestDistance = PICK_RADIUS * PICK_RADIUS
    for (const series of placed) {
      for (const dot of series.points) {
        const distance = (dot.x - px) ** 2 + (dot.y - py) ** 2
        if (distance <= bestDistance) {
          best = dot
          bestDistance = distance
        }
      }
    }
    setHover(best)
  }

  const tipLeft = hover && hover.x > area.x + area.width / 2
  return (
    <g>
      {placed.map(({ language, points }) => (
        <path
          key={language}
          className="scatter-dots"
          data-language={language}
          d={points.map((p) => `M${p.x.toFixed(1)} ${p.y.toFixed(1)}h0`).join('')}
          stroke={languageColor(language)}
          strokeOpacity={0.55}
          strokeWidth={5}
          strokeLinecap="round"
          fill="none"
        />
      ))}
      <rect
        x={area.x}
        y={area.y}
        width={area.width}
        height={area.height}
        fill="transparent"
        onMouseMove={pick}
        onMouseLeave={() => setHover(null)}
      />
      {hover && (
        <g className="scatter-tip" pointerEvents="none">
          <circle cx={hover.x} cy={hover.y} r={4} fill="none" stroke="var(--text)" />
          <text
            x={hover.x + (tipLeft ? -8 : 8)}
            y={Math.max(area.y + 10, hover.y - 4)}
            textAnchor={tipLeft ? 'end' : 'start'}
            fontSize={10}
            fill="var(--text)"
          >
            {`${hover.point.language} · ${xLabel} ${formatNumber(hover.point.x)} · ${yLabel} ${formatNumber(hover.point.y)}`}
          </text>
        </g>
      )}
    </g>
  )
}

/** A scatter plot of `y` against `x` (SQL over the units) for a sample of the filtered units. */
export function PointsChart({
  testId,
  title,
  xLabel,
  yLabel,
  x,
  y,
  view,
  diagonal,
}: {
  readonly testId: string
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly x: string
  readonly y: string
  readonly view: string
  readonly diagonal: boolean
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const sample = useEngineQuery(`${view}|scatter|${x}|${y}|${JSON.stringify(filter)}`, (e) =>
    scatterSample(e, view, x, y, filter),
  )
  const data = sample.value
  const { byLanguage, corners, lo, hi } = useMemo(
    () => groupPoints(data ?? [], diagonal),
    [data, diagonal],
  )
  return (
    <div
      className="chart-card"
      data-testid={testId}
      data-points={data?.length ?? 0}
      data-series={byLanguage.size}
    >
      <h4 title={title}>{title}</h4>
      <ResponsiveContainer width="100%" height={128}>
        <ScatterChart margin={{ top: 4, right: 8, bottom: 12, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="2 3" />
          <XAxis
            type="number"
            dataKey="x"
            name={xLabel}
            tick={TICK}
            domain={diagonal ? [lo, hi] : ['auto', 'auto']}
            label={{
              value: xLabel,
              position: 'insideBottom',
              offset: -8,
              fontSize: 10,
              fill: 'var(--muted)',
            }}
          />
          <YAxis
            type="number"
            dataKey="y"
            name={yLabel}
            tick={TICK}
            width={42}
            domain={diagonal ? [lo, hi] : ['auto', 'auto']}
          />
          {/* The extent's two corners, drawn as nothing: the axes take their domains from them. */}
          <Scatter data={corners} shape={() => <g />} isAnimationActive={false} />
          {diagonal && corners.length > 0 && (
            <ReferenceLine
              segment={[
                { x: lo, y: lo },
                { x: hi, y: hi },
              ]}
              stroke="var(--muted)"
              strokeDasharray="4 3"
              ifOverflow="extendDomain"
            />
          )}
          <Dots byLanguage={byLanguage} xLabel={xLabel} yLabel={yLabel} />
        </ScatterChart>
      </ResponsiveContainer>
      <p
        className="chart-note muted small"
        title={`A sample of at most ${formatCount(SCATTER_POINTS)} units is drawn`}
      >
        {yLabel} against {xLabel}
        {diagonal ? '; the dashed line is y = x' : ''} · {formatCount(data?.length ?? 0)} units
        {(data?.length ?? 0) >= SCATTER_POINTS ? ' (a sample)' : ''}
      </p>
    </div>
  )
}
