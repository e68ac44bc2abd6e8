import type { ParseProgress } from '../../data/parse/facts'
import {
  Bar,
  BarChart,
  type BarShapeProps,
  CartesianGrid,
  Rectangle,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { formatCount } from '../../app/format'
import {
  type LengthCorrelation,
  QA_CATEGORIES,
  type QaRuleSummary,
  type QaSummary,
} from '../../data/qa'
import { languageColor } from '../explore/languageColors'

const TICK = { fontSize: 10, fill: 'var(--muted)' }

/** A correlation as people read it: two decimals and its sign, or a dash when there is none. */
function formatR(r: number | null): string {
  if (r === null) return '—'
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r).toFixed(2)}`
}

function RuleButton({
  rule,
  count,
  active,
  onToggle,
}: {
  readonly rule: QaRuleSummary
  readonly count: number
  readonly active: boolean
  readonly onToggle: (rule: string) => void
}) {
  const narrowed = count !== rule.count
  return (
    <button
      type="button"
      className={`qa-rule${count === 0 ? ' empty' : ''}`}
      data-rule={rule.id}
      data-severity={rule.severity}
      data-count={count}
      aria-pressed={active}
      title={rule.description}
      onClick={() => onToggle(rule.id)}
    >
      <span className="qa-rule-label">{rule.label}</span>
      <span className="qa-rule-count">
        {formatCount(count)}
        {narrowed && <span className="muted"> of {formatCount(rule.count)}</span>}
      </span>
    </button>
  )
}

function LengthCorrelationChart({
  correlation,
  measure,
}: {
  readonly correlation: readonly LengthCorrelation[]
  readonly measure: NonNullable<QaSummary['lengthMeasure']>
}) {
  const languages = correlation.filter((c) => c.language !== 'all')
  const all = correlation.find((c) => c.language === 'all')
  const bars = languages.filter((c) => c.r !== null)
  const title = `Pearson's r of ${measure.reward} against ${measure.length}: near ±1, the reward follows length`
  return (
    <div className="qa-length" data-testid="qa-length-correlation">
      <h4 title={title}>
        {measure.reward} vs {measure.length}
      </h4>
      <ul className="qa-length-figures">
        {[...(all ? [all] : []), ...languages].map((c) => (
          <li key={c.language} data-language={c.language} data-r={c.r ?? ''}>
            {c.language !== 'all' && (
              <span className="swatch" style={{ background: languageColor(c.language) }} />
            )}
            <span className="qa-length-language">{c.language}</span>
            <span className="qa-length-r">r = {formatR(c.r)}</span>
            <span className="muted">n = {formatCount(c.n)}</span>
          </li>
        ))}
      </ul>
      {bars.length > 0 && (
        <ResponsiveContainer width="100%" height={24 + 18 * bars.length}>
          <BarChart data={bars} layout="vertical" margin={{ top: 2, right: 8, bottom: 2, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="2 3" horizontal={false} />
            <XAxis type="number" domain={[-1, 1]} ticks={[-1, -0.5, 0, 0.5, 1]} tick={TICK} />
            <YAxis type="category" dataKey="language" tick={TICK} width={56} />
            <ReferenceLine x={0} stroke="var(--muted)" />
            <Tooltip
              isAnimationActive={false}
              cursor={{ fill: 'var(--select)' }}
              content={({ active, payload }) => {
                const c = payload?.[0]?.payload as LengthCorrelation | undefined
                if (!active || !c) return null
                return (
                  <div className="chart-tip">
                    <strong>{c.language}</strong>
                    <div>r = {formatR(c.r)}</div>
                    <div>{formatCount(c.n)} units</div>
                  </div>
                )
              }}
            />
            <Bar
              dataKey="r"
              isAnimationActive={false}
              shape={(props: BarShapeProps) => (
                <Rectangle
                  x={props.x}
                  y={props.y}
                  width={props.width}
                  height={props.height}
                  fill={languageColor(bars[props.index]?.language ?? 'unknown')}
                />
              )}
            />
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  )
}

/**
 * The reward checks: every rule that applies to the open dataset, each a toggle showing how many
 * units it trips among those the filter shows (and of how many in all); pressing one narrows the
 * filter to the units it trips. Warnings are grouped by heading; info rules (how the data is
 * built, not defects) are counted last, apart. Below, how strongly the reward follows code length.
 */
export function QaPanel({
  summary,
  parsing = null,
  onCancelParsing,
  counts,
  active,
  onToggle,
}: {
  /** What the checks found; null while they run. */
  readonly summary: QaSummary | null
  /** How far parsing the answers has come while the checks on parse trees wait; null otherwise. */
  readonly parsing?: ParseProgress | null
  /** Stops parsing; without it, no Cancel button. */
  readonly onCancelParsing?: () => void
  /** Units per rule under the current filter (absent rules: 0); null until counted. */
  readonly counts: Readonly<Record<string, number>> | null
  /** The rule ids the filter narrows to. */
  readonly active: readonly string[]
  readonly onToggle: (rule: string) => void
}) {
  const warnings = summary?.rules.filter((r) => r.severity === 'warning') ?? []
  const infos = summary?.rules.filter((r) => r.severity === 'info') ?? []
  const button = (rule: QaRuleSummary) => (
    <RuleButton
      key={rule.id}
      rule={rule}
      count={counts ? (counts[rule.id] ?? 0) : rule.count}
      active={active.includes(rule.id)}
      onToggle={onToggle}
    />
  )
  return (
    <section className="qa-panel" data-testid="qa-panel" aria-label="Reward checks">
      <h3 className="qa-title">Reward checks</h3>
      {summary === null && <p className="muted small">Checking…</p>}
      {summary !== null && parsing !== null && !parsing.cancelled && (
        <p className="muted small" data-testid="qa-parsing" role="status">
          Parsing code for the syntax, stub and test-gaming checks
          {parsing.total > 0
            ? `: ${formatCount(parsing.done)} of ${formatCount(parsing.total)} units`
            : '…'}
          {onCancelParsing && (
            <>
              {' '}
              <button type="button" className="button small ghost" onClick={onCancelParsing}>
                Cancel
              </button>
            </>
          )}
        </p>
      )}
      {summary !== null && parsing?.cancelled && (
        <p className="muted small" data-testid="qa-parsing-cancelled" role="status">
          Parsing cancelled at {formatCount(parsing.done)} of {formatCount(parsing.total)} units:
          the syntax, stub and test-gaming checks did not run.
        </p>
      )}
      {summary !== null && summary.rules.length === 0 && (
        <p className="muted small">
          No check applies: the roles name no reward, score, code or prompt.
        </p>
      )}
      {summary !== null &&
        QA_CATEGORIES.map((category) => {
          const rules = warnings.filter((r) => r.category === category.id)
          if (rules.length === 0) return null
          return (
            <div key={category.id} className="qa-group" role="group" aria-label={category.label}>
              <h4>{category.label}</h4>
              {rules.map(button)}
            </div>
          )
        })}
      {infos.length > 0 && (
        <div
          className="qa-group qa-info"
          role="group"
          aria-label="How the data is built"
          data-testid="qa-info"
        >
          <h4>How the data is built</h4>
          <p className="qa-info-note">Counted, not marked on rows: no defect by itself.</p>
          {infos.map(button)}
        </div>
      )}
      {summary?.lengthMeasure && summary.lengthCorrelation.length > 0 && (
        <LengthCorrelationChart
          correlation={summary.lengthCorrelation}
          measure={summary.lengthMeasure}
        />
      )}
    </section>
  )
}
