import { useState } from 'react'
import { useServices } from '../../app/AppContext'
import { formatCount } from '../../app/format'
import { useEngineQuery } from '../../app/useEngineQuery'
import type { LoadedDataset } from '../../data/dataset'
import type { ProfileState } from '../../data/profile/session'
import { type Runnable, rerunRequest } from '../../data/rerun/kinds'
import {
  type UnitToRunAt,
  parseUnitsToRun,
  unitKeyText,
  unitsToRunQuery,
} from '../../data/rerun/results'
import type { UnitOutcome } from '../../data/rerun/run'
import type { RerunRequest, StdioCases, TestResult, UnitResult } from '../../data/rerun/types'
import { readQuery } from '../../data/sql'
import { rerunController, useRerunState } from './rerunController'
import './rerun.css'

/** What a unit's tests are, in words. */
function kindText(request: RerunRequest): string {
  switch (request.kind) {
    case 'asserts': {
      const n = Array.isArray(request.tests) ? request.tests.length : 0
      return `${formatCount(n)} assert ${n === 1 ? 'statement' : 'statements'}${request.setup ? ', after the setup code' : ''}, each one test`
    }
    case 'pytest':
      return 'pytest-style test code, run against the code as module solution (its names imported into the tests)'
    case 'check':
      return `a check(candidate) function, called with ${request.entryPoint ?? 'the entry point'}${request.setup ? ' after the preamble' : ''}`
    case 'stdio': {
      const cases = request.tests as StdioCases
      return cases.fn_name
        ? `${formatCount(cases.inputs.length)} calls of ${cases.fn_name} with their expected results`
        : `${formatCount(cases.inputs.length)} stdin/stdout cases`
    }
  }
}

function Status({ status }: { readonly status: string }) {
  return (
    <span className="rerun-status" data-status={status}>
      {status}
    </span>
  )
}

function TestRow({ test }: { readonly test: TestResult }) {
  return (
    <li data-status={test.status} data-testid="rerun-test">
      <div className="rerun-test-head">
        <Status status={test.status} />
        <span className="rerun-test-name">{test.name}</span>
      </div>
      {test.status !== 'pass' && test.message && <p className="rerun-message">{test.message}</p>}
      {test.traceback && test.status !== 'pass' && (
        <details open={test.status === 'fail' || test.status === 'error'}>
          <summary className="small">Traceback</summary>
          <pre data-testid="rerun-traceback">{test.traceback}</pre>
        </details>
      )}
      {test.stdout !== '' && (
        <details>
          <summary className="small">stdout</summary>
          <pre>{test.stdout}</pre>
        </details>
      )}
      {test.stderr !== '' && (
        <details>
          <summary className="small">stderr</summary>
          <pre>{test.stderr}</pre>
        </details>
      )}
    </li>
  )
}

function ResultView({ result }: { readonly result: UnitResult }) {
  // Failing tests first: they are what a person came to read.
  const order = { fail: 0, error: 1, timeout: 2, pass: 3 } as const
  const tests = [...result.tests].sort((a, b) => order[a.status] - order[b.status])
  return (
    <div data-testid="rerun-result" data-status={result.status}>
      <p>
        <Status status={result.status} /> {formatCount(result.passed)} of{' '}
        {formatCount(result.tests.length)} tests passed
        {result.passRate !== null ? ` (${(result.passRate * 100).toFixed(1)}%)` : ''}
        <span className="muted small"> · {(result.durationMs / 1000).toFixed(2)} s</span>
      </p>
      {result.message && <p className="rerun-message">{result.message}</p>}
      <ol className="rerun-tests">
        {tests.map((t, i) => (
          <TestRow key={i} test={t} />
        ))}
      </ol>
    </div>
  )
}

/**
 * The selected row's tests, run in the app on request: what kind they are (or plainly why they
 * cannot run here), and after a run each unit's status and each test's outcome with its failing
 * assertion or traceback and what it printed.
 */
export function RerunPanel({
  dataset,
  state,
  rowId,
}: {
  readonly dataset: LoadedDataset
  readonly state: ProfileState
  readonly rowId: number
}) {
  const services = useServices()
  const controller = rerunController(services)
  const outcomes = useRerunState(controller, (s) => s.outcomes)
  const running = useRerunState(controller, (s) => s.running)
  const [picked, setPicked] = useState<string | null>(null)
  const units = useEngineQuery(
    state.profile.tests === null
      ? null
      : readQuery(unitsToRunQuery(state.relations, dataset, [rowId]), parseUnitsToRun),
  )
  if (state.profile.tests === null) return null
  // While the row is read again (the checks or near-duplicates changed a table) its last answer
  // stays: the panel does not vanish and come back. An answer for another row is not shown.
  const list: readonly UnitToRunAt[] = (units.value ?? []).filter((u) => u.key.row === rowId)
  if (list.length === 0) return null
  const runnables: Runnable[] = list.map((u) => rerunRequest(u))
  const first = runnables.find((r) => r.ok)
  const keys = list.map((u) => unitKeyText(u.key))
  const results = keys.map((k) => outcomes.get(k) ?? null)
  const anyResult = results.some((r) => r !== null)
  const defaultKey =
    keys.find((_, i) => {
      const o = results[i]
      return o?.runnable === true && o.result.status !== 'pass'
    }) ?? keys[0]!
  const shown = picked !== null && keys.includes(picked) ? picked : defaultKey
  const shownIndex = keys.indexOf(shown)
  const outcome: UnitOutcome | null = results[shownIndex] ?? null
  const shownRunnable = runnables[shownIndex]
  return (
    <section className="rerun-panel" data-testid="rerun-panel">
      <div>
        <h4>Tests run here</h4>
        <button
          type="button"
          className="button small"
          data-testid="rerun-row"
          disabled={running !== null || !first}
          onClick={() => void controller.runRow(rowId)}
        >
          {anyResult
            ? 'Run again'
            : list.length > 1
              ? `Run this row's ${list.length} units`
              : "Run this row's tests"}
        </button>
      </div>
      {first?.ok ? (
        <p className="rerun-kind" data-testid="rerun-kind" data-kind={first.request.kind}>
          {kindText(first.request)}
        </p>
      ) : (
        <p className="rerun-not-runnable" data-testid="rerun-not-runnable">
          {runnables[0] && !runnables[0].ok ? runnables[0].reason : ''}
        </p>
      )}
      {list.length > 1 && anyResult && (
        <div className="rerun-units" role="group" aria-label="Units of this row">
          {list.map((u, i) => {
            const o = results[i]
            const status = o?.runnable ? o.result.status : o ? 'cannot run' : 'not run'
            return (
              <button
                type="button"
                key={keys[i]}
                className="rerun-unit-chip"
                aria-pressed={keys[i] === shown}
                data-status={status}
                title={`unit ${u.key.item ?? ''}: ${status}`}
                onClick={() => setPicked(keys[i]!)}
              >
                #{u.key.item ?? i + 1}{' '}
                {o?.runnable ? `${o.result.passed}/${o.result.tests.length}` : status}
              </button>
            )
          })}
        </div>
      )}
      {outcome?.runnable === true && <ResultView result={outcome.result} />}
      {outcome?.runnable === false && <p className="rerun-not-runnable">{outcome.reason}</p>}
      {!outcome && shownRunnable && !shownRunnable.ok && first?.ok && (
        <p className="rerun-not-runnable">{shownRunnable.reason}</p>
      )}
    </section>
  )
}
