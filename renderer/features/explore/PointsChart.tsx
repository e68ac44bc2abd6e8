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
import { formatCount, formatNumber, formatShort } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { type Point, SCATTER_POINTS, parseScatter, scatterQuery } from '../../data/explore'
import type { Relations } from '../../data/relations'
import { readQuery } from '../../data/sql'
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

/** A point under the pointer, with its place in the chart (pixels). */
interface Hovered {
  readonly point: Point
  readonly x: number
  readonly y: number
  /** True when the point is in the right half: the tip sits in the left corner, off the point. */
  readonly flip: boolean
}

/** The dots, drawn with the chart's own scales; reports the point under the pointer. */
function Dots({
  byLanguage,
  hover,
  setHover,
}: {
  readonly byLanguage: ReadonlyMap<string, readonly Point[]>
  readonly hover: Hovered | null
  readonly setHover: (hover: Hovered | null) => void
}) {
  const xScale = useXAxisScale()
  const yScale = useYAxisScale()
  const area = usePlotArea()
  const placed = useMemo(() => {
    if (!xScale || !yScale) return []
    return [...byLanguage].map(([language, points]) => ({
      language,
      points: points.flatMap((point) => {
        const x = xScale(point.x)
        const y = yScale(point.y)
        return x === undefined || y === undefined ? [] : [{ point, x, y, flip: false }]
      }),
    }))
  }, [byLanguage, xScale, yScale])
  if (!area) return null

  const pick = (event: React.MouseEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    const px = area.x - PICK_RADIUS + event.clientX - box.left
    const py = area.y - PICK_RADIUS + event.clientY - box.top
    let best: Hovered | null = null
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
    setHover(best && { ...best, flip: best.x > area.x + area.width / 2 })
  }

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
          pointerEvents="none"
        />
      ))}
      {/* A little wider than the plot: dots on its edges can be pointed at too. */}
      <rect
        x={area.x - PICK_RADIUS}
        y={area.y - PICK_RADIUS}
        width={area.width + 2 * PICK_RADIUS}
        height={area.height + 2 * PICK_RADIUS}
        fill="transparent"
        onMouseMove={pick}
        onMouseLeave={() => setHover(null)}
      />
      {hover && (
        <circle
          cx={hover.x}
          cy={hover.y}
          r={4}
          fill="none"
          stroke="var(--text)"
          pointerEvents="none"
        />
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
  relations,
  diagonal,
}: {
  readonly testId: string
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly x: string
  readonly y: string
  readonly relations: Relations
  readonly diagonal: boolean
}) {
  const { store } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const sample = useEngineQuery(readQuery(scatterQuery(relations, x, y, filter), parseScatter))
  const data = sample.value
  const [hover, setHover] = useState<Hovered | null>(null)
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
      <div className="points-plot">
        <ResponsiveContainer width="100%" height={128}>
          {/* Room on the right for the last tick's label, which recharts centres on the plot's edge. */}
          <ScatterChart margin={{ top: 4, right: 18, bottom: 12, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="2 3" />
            <XAxis
              type="number"
              dataKey="x"
              name={xLabel}
              tick={TICK}
              tickFormatter={formatShort}
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
              tickFormatter={formatShort}
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
            <Dots byLanguage={byLanguage} hover={hover} setHover={setHover} />
          </ScatterChart>
        </ResponsiveContainer>
        {hover && (
          <div
            className={`chart-tip points-tip ${hover.flip ? 'at-left' : 'at-right'}`}
            data-testid={`${testId}-tip`}
          >
            <div>{hover.point.language}</div>
            <div>
              {xLabel}: {formatNumber(hover.point.x)}
            </div>
            <div>
              {yLabel}: {formatNumber(hover.point.y)}
            </div>
          </div>
        )}
      </div>
      <p
        className="chart-note muted small"
        title={`A sample of at most ${formatCount(SCATTER_POINTS)} units is drawn`}
      >
        {diagonal ? 'Dashed line: y = x · ' : ''}
        {formatCount(data?.length ?? 0)} units
        {(data?.length ?? 0) >= SCATTER_POINTS ? ' (a sample)' : ''}
      </p>
    </div>
  )
}
