/**
 * Test re-runs in the benchmark: tests per second in the app's runner (Pyodide in a worker
 * thread, the runtime and harness the app's worker uses) against native CPython running the same
 * harness on the same tests in the same run, and the time to run one AceCode question's 80
 * completions (Python already started, and from a cold start).
 *
 * The tests are real: AceCode's sample (80 completions × 19 asserts) and, at full size, the
 * KodCode files' reference solutions (pytest-style). Without ../shared/realdata it says so and
 * measures nothing.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { rerunRequest } from '../renderer/data/rerun/kinds'
import type { RerunRequest, UnitResult } from '../renderer/data/rerun/types'
import { CPythonRerun } from '../test/support/cpythonRerun'
import { nodeRerunPool } from '../test/support/nodeRerun'

/** What the re-run bench measured. */
export interface RerunFigures {
  readonly available: boolean
  readonly reason?: string
  readonly units?: number
  readonly tests?: number
  readonly appTestsPerSecond?: number
  readonly cpythonTestsPerSecond?: number
  /** App time over CPython time on the same tests (the design's budget: within 3×). */
  readonly ratio?: number
  readonly acecode80WarmMs?: number
  readonly acecode80ColdMs?: number
  readonly pythonStartMs?: number
  /** Units whose status differed between the two runtimes. */
  readonly disagreements?: number
}

function requestOf(code: string, tests: unknown): RerunRequest | null {
  const runnable = rerunRequest({ code, language: 'python', tests })
  return runnable.ok ? runnable.request : null
}

function acecodeRequests(realdata: string): RerunRequest[] {
  const row = JSON.parse(
    readFileSync(join(realdata, 'acecode-87k/acecode_sample.jsonl'), 'utf8'),
  ) as { test_cases: string[]; inferences: { completion: string }[] }
  return row.inferences.flatMap((inf) => requestOf(inf.completion, row.test_cases) ?? [])
}

function kodcodeRequests(realdata: string): RerunRequest[] {
  const file = join(realdata, 'kodcode/KodCode_prefill_200_1741214325.json')
  const rows = JSON.parse(readFileSync(file, 'utf8')) as { solution: string; test_code: string }[]
  // Tests that time themselves (timeit) or need numpy measure the machine, not the runner.
  return rows
    .filter((r) => !/timeit|numpy|scipy|time\.time|perf_counter/.test(r.test_code + r.solution))
    .flatMap((r) => requestOf(r.solution, r.test_code) ?? [])
}

async function runAll(
  runner: { run(r: RerunRequest): Promise<UnitResult> },
  requests: readonly RerunRequest[],
): Promise<{ ms: number; results: UnitResult[] }> {
  const started = performance.now()
  const results: UnitResult[] = []
  for (const r of requests) results.push(await runner.run(r))
  return { ms: performance.now() - started, results }
}

/** Measures test re-runs; `quick` runs AceCode's tests only. */
export async function rerunBench(root: string, quick: boolean): Promise<RerunFigures> {
  const realdata = join(root, '..', 'shared', 'realdata')
  if (!existsSync(join(realdata, 'acecode-87k/acecode_sample.jsonl')))
    return { available: false, reason: `${realdata} not found: no real tests to run` }
  const acecode = acecodeRequests(realdata)
  const requests = quick ? acecode : [...acecode, ...kodcodeRequests(realdata)]
  const limits = { perTestMs: 30_000, perUnitMs: 120_000 }

  // Cold: a pool whose Python has not started, as on the first "Run tests" of a session.
  const startedCold = performance.now()
  const cold = await nodeRerunPool({ limits })
  await runAll(cold, acecode)
  const acecode80ColdMs = performance.now() - startedCold
  cold.dispose()

  const pool = await nodeRerunPool({ limits })
  const startedPython = performance.now()
  await pool.warm()
  const pythonStartMs = performance.now() - startedPython
  const warm = await runAll(pool, acecode)
  const app = await runAll(pool, requests)
  pool.dispose()

  const cpython = new CPythonRerun(limits.perTestMs)
  // One unit first, so python3's own start is not counted against it.
  await cpython.run(requests[0]!)
  const native = await runAll(cpython, requests)
  cpython.close()

  const tests = app.results.reduce((n, r) => n + r.tests.length, 0)
  const disagreements = app.results.filter((r, i) => r.status !== native.results[i]?.status).length
  return {
    available: true,
    units: requests.length,
    tests,
    appTestsPerSecond: tests / (app.ms / 1000),
    cpythonTestsPerSecond: tests / (native.ms / 1000),
    ratio: app.ms / native.ms,
    acecode80WarmMs: warm.ms,
    acecode80ColdMs,
    pythonStartMs,
    disagreements,
  }
}

/** The figures as lines of the printed report. */
export function rerunText(f: RerunFigures): string {
  if (!f.available) return `Test re-runs: not measured (${f.reason})`
  const n = (x: number | undefined, digits = 0) => (x ?? 0).toFixed(digits)
  return [
    `Test re-runs (Pyodide in a worker thread against native CPython, same harness, same ${f.units} units / ${f.tests} tests):`,
    `  tests per second: app ${n(f.appTestsPerSecond)}, CPython ${n(f.cpythonTestsPerSecond)}; app time / CPython time ${n(f.ratio, 2)}× (budget 3×)`,
    `  one AceCode question's 80 completions (1,520 asserts): ${n(f.acecode80WarmMs)} ms with Python started, ${n(f.acecode80ColdMs)} ms from a cold start (Python starts in ${n(f.pythonStartMs)} ms)`,
    `  units whose status differed between the two: ${f.disagreements}`,
  ].join('\n')
}
