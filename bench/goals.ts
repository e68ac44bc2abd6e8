/**
 * The goals of issue #23, each read from the run's figures: the figure, native DuckDB's time for
 * the same work on the same file, their ratio and the goal's budget. A goal whose case this run
 * did not include (the quick run has no 1M rows) is listed as not measured, with why.
 */
import type { Figure } from './report'

interface Goal {
  /** What the goal is called in the table. */
  readonly name: string
  /** The table the figure is in. */
  readonly side: 'browser' | 'desktop'
  /** The figure's name, or the start of it (medians carry their count). */
  readonly figure: string
  readonly ratio: number | null
  /** An absolute budget in ms (the diff's first screen). */
  readonly ms: number | null
}

const open = (side: Goal['side'], name: string, ratio: number): Goal => ({
  name: `${side} open, ${name}: ${side === 'browser' ? 'first table page + reward histogram on screen' : 'every view'}`,
  side,
  figure: `open ${name}: ${side === 'browser' ? 'first table page + reward histogram' : 'every view'}`,
  ratio,
  ms: null,
})

const filter = (side: Goal['side'], name: string): Goal => ({
  name: `${side} filter change, ${name}: every view updated`,
  side,
  figure: `filter change, ${name}: every view${side === 'browser' ? ' updated' : "'s queries"}`,
  ratio: 2,
  ms: null,
})

const GOALS: readonly Goal[] = [
  open('desktop', 'rlaif 100k JSONL', 1.5),
  open('desktop', 'rlaif 100k Parquet', 1.5),
  open('desktop', 'rlaif 1M JSONL', 1.5),
  open('desktop', 'rlaif 1M Parquet', 1.5),
  open('browser', 'rlaif 100k JSONL', 3),
  open('browser', 'rlaif 100k Parquet', 3),
  open('browser', 'rlaif 1M Parquet', 4),
  ...['rlaif 10k JSONL', 'rlaif 100k JSONL', 'rlaif 1M Parquet'].flatMap((name) => [
    filter('browser', name),
    filter('desktop', name),
  ]),
]

/** The diff goal: every pair's first screen in colour within 100 ms. */
const DIFF_GOAL = 'top screen highlighted'

/** One line per goal, in the order the issue states them. */
export function goalFigures(
  browser: readonly Figure[],
  desktop: readonly Figure[],
  quick: boolean,
): Figure[] {
  const out: Figure[] = []
  for (const goal of GOALS) {
    const rows = goal.side === 'browser' ? browser : desktop
    const found = rows.find((f) => f.figure.startsWith(goal.figure))
    out.push(
      found
        ? {
            ...found,
            figure: goal.name,
            budget: goal.ms,
            ratioBudget: goal.ratio,
            withinBudget:
              goal.ratio !== null && found.ratio !== null ? found.ratio <= goal.ratio : null,
          }
        : {
            figure: goal.name,
            unit: 'ms',
            browser: null,
            native: null,
            ratio: null,
            budget: goal.ms,
            ratioBudget: goal.ratio,
            withinBudget: null,
            note: quick
              ? 'not in a quick run (npm run bench measures it)'
              : 'not measured in this run (see the tables above)',
          },
    )
  }
  for (const f of browser.filter((row) => row.figure.endsWith(DIFF_GOAL))) {
    out.push({ ...f, figure: `browser ${f.figure}` })
  }
  return out
}
