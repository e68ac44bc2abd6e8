/**
 * Plain types of a test re-run: what is asked (a unit's code and its tests, of one of four kinds)
 * and what comes back (a status per test and for the unit).
 */

/** The four shapes of tests RewardLens can run. */
export type TestKind =
  /** A list of assert statements (AceCode `test_cases`, MBPP `test_list`), each one test. */
  | 'asserts'
  /** pytest-style test code (KodCode `test_code`) run against the code as module `solution`. */
  | 'pytest'
  /** A HumanEval-style `def check(candidate)` called with the entry point. */
  | 'check'
  /** stdin/stdout cases (APPS `inputs`/`outputs`), or calls of `fn_name` with arguments. */
  | 'stdio'

/** stdin/stdout cases, or call-based ones when `fn_name` is set. */
export interface StdioCases {
  readonly inputs: readonly unknown[]
  readonly outputs: readonly unknown[]
  readonly fn_name?: string
}

/** One unit's code and tests, ready for the harness. */
export interface RerunRequest {
  readonly kind: TestKind
  readonly code: string
  /** Assert statements (`asserts`), test code (`pytest`, `check`) or cases (`stdio`). */
  readonly tests: readonly string[] | string | StdioCases
  /** Code run before the code: MBPP `test_setup_code`, a HumanEval/LeetCode preamble (`prompt`). */
  readonly setup?: string | null
  /** What `check` is called with: `has_close_elements`, `Solution().twoSum`. */
  readonly entryPoint?: string | null
}

/** How one test ended. */
export type TestStatus = 'pass' | 'fail' | 'error' | 'timeout'

/** How a unit's run ended: pass (every test passed), fail, error (could not run), timeout. */
export type UnitStatus = TestStatus

/** One test's outcome. */
export interface TestResult {
  /** The test as the person knows it: the assert, `test_foo[1-2]`, `check(entry)`, `case 3`. */
  readonly name: string
  readonly status: TestStatus
  /** The failing assertion or the exception, in one line (or a few). */
  readonly message: string | null
  readonly traceback: string | null
  /** What the test printed, cut at a few thousand characters (the rest is counted). */
  readonly stdout: string
  readonly stderr: string
}

/** A unit's re-run. */
export interface UnitResult {
  readonly status: UnitStatus
  readonly kind: TestKind
  readonly tests: readonly TestResult[]
  readonly passed: number
  /** Passed tests over all tests, 0 to 1; null when there were no tests. */
  readonly passRate: number | null
  /** Why the unit as a whole ended as it did, when one sentence says it better than its tests. */
  readonly message: string | null
  /** Time spent running (not loading Python), in milliseconds. */
  readonly durationMs: number
}

/** Limits of a run, in milliseconds. */
export interface RerunLimits {
  /** One test (or loading the code) may take this long before it counts as timed out. */
  readonly perTestMs: number
  /** All of one unit's tests together. */
  readonly perUnitMs: number
}

/** The limits used unless a caller chooses others. */
export const DEFAULT_LIMITS: RerunLimits = { perTestMs: 10_000, perUnitMs: 60_000 }

/** The unit's status from its tests' statuses (and whether its code loaded). */
export function unitStatus(tests: readonly TestResult[], loaded: boolean): UnitStatus {
  if (!loaded || tests.length === 0) return 'error'
  if (tests.some((t) => t.status === 'timeout')) return 'timeout'
  return tests.every((t) => t.status === 'pass') ? 'pass' : 'fail'
}

const STATUSES: readonly TestStatus[] = ['pass', 'fail', 'error', 'timeout']
const KINDS: readonly TestKind[] = ['asserts', 'pytest', 'check', 'stdio']

const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const cut = (text: string | null, max: number): string | null =>
  text === null || text.length <= max ? text : `${text.slice(0, max)}\n… (cut when saved)`

/** A saved result read back; null when it is not one (an older or damaged entry is not used). */
export function parseUnitResult(value: unknown): UnitResult | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (!STATUSES.includes(v.status as TestStatus) || !KINDS.includes(v.kind as TestKind)) return null
  if (!Array.isArray(v.tests) || typeof v.passed !== 'number') return null
  const tests: TestResult[] = []
  for (const t of v.tests as unknown[]) {
    if (typeof t !== 'object' || t === null) return null
    const r = t as Record<string, unknown>
    if (typeof r.name !== 'string' || !STATUSES.includes(r.status as TestStatus)) return null
    tests.push({
      name: r.name,
      status: r.status as TestStatus,
      message: textOrNull(r.message),
      traceback: textOrNull(r.traceback),
      stdout: textOrNull(r.stdout) ?? '',
      stderr: textOrNull(r.stderr) ?? '',
    })
  }
  return {
    status: v.status as UnitStatus,
    kind: v.kind as TestKind,
    tests,
    passed: v.passed,
    passRate: typeof v.passRate === 'number' ? v.passRate : null,
    message: textOrNull(v.message),
    durationMs: typeof v.durationMs === 'number' ? v.durationMs : 0,
  }
}

/** A result made small enough to save: long tracebacks and output cut. */
export function resultToSave(result: UnitResult): UnitResult {
  return {
    ...result,
    tests: result.tests.map((t) => ({
      ...t,
      name: cut(t.name, 500) ?? '',
      message: cut(t.message, 1000),
      traceback: cut(t.traceback, 2000),
      stdout: cut(t.stdout, 500) ?? '',
      stderr: cut(t.stderr, 500) ?? '',
    })),
  }
}
