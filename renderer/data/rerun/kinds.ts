/**
 * Which of the four kinds a unit's tests are, read from the tests value itself, and the request
 * that runs them; or, for a unit that cannot be run here, why not in words a person can act on.
 */
import type { RerunRequest, StdioCases, TestKind } from './types'

/** What the app knows of a unit when it asks to run it. */
export interface UnitToRun {
  /** The unit's code (extracted from markdown when it was an answer). */
  readonly code: string | null
  /** The folded language (`python`, `cpp`, `unknown`...). */
  readonly language: string | null
  /** The value at the tests role: a list of asserts, test code, a JSON text of cases... */
  readonly tests: unknown
  /**
   * The dataset row's other fields, for what some kinds need beside the tests: `entry_point` and a
   * preamble (`prompt`) for a check, `test_setup_code` for MBPP asserts, `fn_name` for APPS.
   */
  readonly row?: Readonly<Record<string, unknown>>
}

/** A request, or why the unit cannot be run. */
export type Runnable =
  | { readonly ok: true; readonly request: RerunRequest }
  | { readonly ok: false; readonly reason: string }

const ASSERT = /^\s*assert\b/

/** Plain JavaScript from a value read from the engine (Arrow vectors and rows answer toJSON/toArray). */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (typeof value !== 'object') return value
  const v = value as { toArray?: () => unknown; toJSON?: () => unknown }
  if (Array.isArray(value)) return value.map(plain)
  if (typeof v.toArray === 'function') return Array.from(v.toArray() as Iterable<unknown>, plain)
  if (typeof v.toJSON === 'function') return plain(v.toJSON())
  return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, plain(x)]))
}

function casesFrom(value: unknown): StdioCases | null {
  const v = plain(value)
  if (typeof v === 'string') {
    const text = v.trim()
    if (!text.startsWith('{')) return null
    try {
      return casesFrom(JSON.parse(text))
    } catch {
      return null
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null
  const o = v as Record<string, unknown>
  if (!Array.isArray(o.inputs) || !Array.isArray(o.outputs)) return null
  return {
    inputs: o.inputs,
    outputs: o.outputs,
    ...(typeof o.fn_name === 'string' && o.fn_name !== '' ? { fn_name: o.fn_name } : {}),
  }
}

/** The `test_list` of a tests document, when it is one. */
function testListOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  return (value as Record<string, unknown>).test_list ?? null
}

/** The `test_setup_code` of a tests document, when it is one. */
function setupOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  return (value as Record<string, unknown>).test_setup_code ?? null
}

/** The kind of a tests value and the tests in the shape the harness takes; null when none fits. */
export function detectTestKind(
  value: unknown,
): { readonly kind: TestKind; readonly tests: RerunRequest['tests'] } | null {
  const v = plain(value)
  if (Array.isArray(v)) {
    const items = v.filter((x): x is string => typeof x === 'string')
    if (items.length > 0 && items.length === v.length && items.every((t) => ASSERT.test(t)))
      return { kind: 'asserts', tests: items }
    return null
  }
  const cases = casesFrom(v)
  if (cases) return { kind: 'stdio', tests: cases }
  // MBPP's cases inside a document (verl's ground truth): `{test_list, test_setup_code}`.
  const list = testListOf(v)
  if (list) return detectTestKind(list)
  if (typeof v !== 'string' || v.trim() === '') return null
  if (/^\s*def\s+check\s*\(/m.test(v)) return { kind: 'check', tests: v }
  if (
    /^\s*(async\s+)?def\s+test\w*\s*\(|^\s*class\s+Test\w*|^\s*import\s+pytest|^\s*from\s+solution\s+import/m.test(
      v,
    )
  )
    return { kind: 'pytest', tests: v }
  const lines = v.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
  if (lines.length > 0 && lines.every((l) => ASSERT.test(l)))
    return { kind: 'asserts', tests: lines }
  return null
}

const PYTHON = new Set(['python', 'py', 'python3', 'unknown'])

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

/** The request running a unit's tests, or why it cannot run here. */
export function rerunRequest(unit: UnitToRun): Runnable {
  const language = (unit.language ?? 'unknown').toLowerCase()
  if (!PYTHON.has(language))
    return {
      ok: false,
      reason: `This unit's code is ${unit.language}: RewardLens runs Python tests only (in Pyodide, inside the app, offline), so it cannot run these tests here.`,
    }
  const code = text(unit.code)
  if (code === null) return { ok: false, reason: 'This unit has no code to run.' }
  if (unit.tests === null || unit.tests === undefined)
    return {
      ok: false,
      reason: 'This unit has no tests: choose the column holding them as the tests role (Roles).',
    }
  const found = detectTestKind(unit.tests)
  if (!found)
    return {
      ok: false,
      reason:
        'The tests are in no form RewardLens can run: a list of assert statements, pytest-style test code, a HumanEval-style check(candidate), or stdin/stdout cases.',
    }
  const row = unit.row ?? {}
  if (found.kind === 'check') {
    const entryPoint = text(row.entry_point)
    if (entryPoint === null)
      return {
        ok: false,
        reason:
          'The tests are a check(candidate) function, but the row names no entry point (an entry_point field) to call it with.',
      }
    // A preamble of imports and helpers (LeetCode's `prompt`), or HumanEval's signature.
    const setup = text(row.prompt)
    return { ok: true, request: { kind: 'check', code, tests: found.tests, entryPoint, setup } }
  }
  if (found.kind === 'asserts') {
    const setup = text(row.test_setup_code) ?? text(setupOf(plain(unit.tests)))
    return { ok: true, request: { kind: 'asserts', code, tests: found.tests, setup } }
  }
  if (found.kind === 'stdio') {
    const cases = found.tests as StdioCases
    const fnName = cases.fn_name ?? text(row.fn_name) ?? undefined
    return {
      ok: true,
      request: { kind: 'stdio', code, tests: fnName ? { ...cases, fn_name: fnName } : cases },
    }
  }
  return { ok: true, request: { kind: found.kind, code, tests: found.tests } }
}
