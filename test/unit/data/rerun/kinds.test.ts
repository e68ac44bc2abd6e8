/** Which kind of tests a value holds, and the request (or the reason) a unit gets. */
import { describe, expect, it } from 'vitest'
import { detectTestKind, rerunRequest } from '../../../../renderer/data/rerun/kinds'
import { summaryText } from '../../../../renderer/data/rerun/run'

describe('detectTestKind', () => {
  it('reads a list of assert statements (AceCode, MBPP) as asserts', () => {
    expect(detectTestKind(['assert f(1) == 2', '  assert f(2) == 3'])?.kind).toBe('asserts')
  })

  it('reads pytest-style code, with or without importing the solution', () => {
    expect(detectTestKind('from solution import f\n\ndef test_f():\n    assert f(1)\n')?.kind).toBe(
      'pytest',
    )
    expect(detectTestKind('def test_f():\n    assert f(1)\n')?.kind).toBe('pytest')
    expect(detectTestKind('class TestF:\n    def test_a(self):\n        pass\n')?.kind).toBe(
      'pytest',
    )
  })

  it('reads a HumanEval-style check as check', () => {
    expect(detectTestKind('def check(candidate):\n    assert candidate(1) == 2\n')?.kind).toBe(
      'check',
    )
  })

  it('reads APPS cases, as an object or as JSON text, call-based when fn_name is set', () => {
    const cases = { inputs: ['1 2\n'], outputs: ['3\n'] }
    expect(detectTestKind(cases)).toEqual({ kind: 'stdio', tests: cases })
    expect(detectTestKind(JSON.stringify({ ...cases, fn_name: 'add' }))).toEqual({
      kind: 'stdio',
      tests: { ...cases, fn_name: 'add' },
    })
  })

  it('reads assert lines in one text as asserts, and refuses anything else', () => {
    expect(detectTestKind('assert f(1)\n# a comment\nassert f(2)\n')).toEqual({
      kind: 'asserts',
      tests: ['assert f(1)', 'assert f(2)'],
    })
    expect(detectTestKind('print(1)')).toBeNull()
    expect(detectTestKind([1, 2])).toBeNull()
    expect(detectTestKind(null)).toBeNull()
  })
})

describe('rerunRequest', () => {
  it('says plainly that code in another language cannot run here', () => {
    const r = rerunRequest({ code: 'int main() {}', language: 'cpp', tests: ['assert f()'] })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toMatch(/is cpp: RewardLens runs Python tests only/)
  })

  it('needs an entry point for a check, and takes the preamble from prompt', () => {
    const test = 'def check(candidate):\n    assert candidate(1) == 2\n'
    const missing = rerunRequest({
      code: 'def f(x): return x + 1',
      language: 'python',
      tests: test,
    })
    expect(missing.ok).toBe(false)
    const found = rerunRequest({
      code: 'def f(x): return x + 1',
      language: 'python',
      tests: test,
      row: { entry_point: 'f', prompt: 'import math\n' },
    })
    expect(found).toEqual({
      ok: true,
      request: {
        kind: 'check',
        code: 'def f(x): return x + 1',
        tests: test,
        entryPoint: 'f',
        setup: 'import math\n',
      },
    })
  })

  it('adds MBPP setup code to assert lists', () => {
    const r = rerunRequest({
      code: 'x',
      language: 'python',
      tests: ['assert x'],
      row: { test_setup_code: 'import os' },
    })
    expect(r.ok && r.request.setup).toBe('import os')
  })
})

describe('summaryText', () => {
  it('reads "N run: P pass, F fail, E error, T timeout" and names what did not run', () => {
    const counts = { run: 5, pass: 2, fail: 1, error: 1, timeout: 1, notRunnable: 0, cached: 0 }
    expect(summaryText(counts)).toBe('5 run: 2 pass, 1 fail, 1 error, 1 timeout')
    expect(summaryText({ ...counts, notRunnable: 3, cached: 2 })).toBe(
      '5 run: 2 pass, 1 fail, 1 error, 1 timeout (2 from earlier runs; 3 cannot run here)',
    )
  })
})

describe('tests inside a verl ground truth', () => {
  it('runs MBPP-style test_list with its setup code, and APPS-style cases as stdin/stdout', () => {
    const mbpp = rerunRequest({
      code: 'def f(x): return x + 1',
      language: 'python',
      tests: { test_list: ['assert f(1) == 2'], test_setup_code: 'import math', solution: 'x' },
    })
    expect(mbpp).toEqual({
      ok: true,
      request: {
        kind: 'asserts',
        code: 'def f(x): return x + 1',
        tests: ['assert f(1) == 2'],
        setup: 'import math',
      },
    })
    const apps = rerunRequest({
      code: 'print(int(input()) + 1)',
      language: 'python',
      tests: { test_list: null, inputs: ['1\n'], outputs: ['2\n'] },
    })
    expect(apps.ok && apps.request.kind).toBe('stdio')
  })
})
