/**
 * Hostile code in the re-run sandbox (Pyodide in Node worker threads, the pool the app uses):
 * each case ends as a clear status for its own unit, and the unit after it still runs and passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RerunPool } from '../../../renderer/data/rerun/pool'
import type { RerunRequest, UnitResult } from '../../../renderer/data/rerun/types'
import { nodeRerunPool, nodeWorkerStarts } from '../../support/nodeRerun'

let pool: RerunPool

beforeAll(async () => {
  pool = await nodeRerunPool({ limits: { perTestMs: 2_000, perUnitMs: 5_000 } })
  await pool.warm()
})
afterAll(() => pool?.dispose())

const asserts = (code: string, tests: string[], setup?: string): RerunRequest => ({
  kind: 'asserts',
  code,
  tests,
  ...(setup ? { setup } : {}),
})

/** A unit every clean interpreter passes: run after each hostile one. */
const WELL_BEHAVED = asserts('def add(a, b):\n    return a + b\n', [
  'assert add(1, 2) == 3',
  'assert add("a", "b") == "ab"',
  'assert len([1, 2, 3]) == 3',
  'assert sorted([3, 1]) == [1, 3]',
])

async function hostileThenNext(request: RerunRequest): Promise<UnitResult> {
  const result = await pool.run(request)
  const next = await pool.run(WELL_BEHAVED)
  expect(next.status).toBe('pass')
  expect(next.passed).toBe(4)
  return result
}

const t = (r: UnitResult, i: number) => r.tests[i]!

describe('hostile code', () => {
  it('an infinite loop times out that test; the unit goes on in a fresh worker', async () => {
    const starts = nodeWorkerStarts.count
    const r = await hostileThenNext(
      asserts('def spin(x):\n    while True:\n        x += 1\n\ndef ok():\n    return 1\n', [
        'assert spin(1)',
        'assert ok() == 1',
      ]),
    )
    expect(r.status).toBe('timeout')
    expect(t(r, 0).status).toBe('timeout')
    expect(t(r, 0).message).toMatch(/longer than 2 s/)
    expect(t(r, 1).status).toBe('pass')
    expect(nodeWorkerStarts.count).toBeGreaterThan(starts)
  })

  it('code that never finishes loading times out as a unit', async () => {
    const r = await hostileThenNext(asserts('while True:\n    pass\n', ['assert True']))
    expect(r.status).toBe('timeout')
    expect(r.message).toMatch(/loading the code took longer/)
  })

  it('past the unit limit the remaining tests are timed out', async () => {
    const slow =
      'import time\ndef slow():\n    t = time.time()\n    while time.time() - t < 1.5:\n        pass\n    return True\n'
    const r = await hostileThenNext(asserts(slow, Array(6).fill('assert slow()') as string[]))
    expect(r.status).toBe('timeout')
    expect(r.message).toMatch(/unit's time limit/)
    expect(r.passed).toBeGreaterThanOrEqual(2)
    expect(r.tests.some((x) => x.status === 'timeout')).toBe(true)
  })

  it('sys.exit in a test is an error of that test, not of the run', async () => {
    const r = await hostileThenNext(
      asserts('import sys\ndef f():\n    sys.exit(3)\n', ['assert f()', 'assert 1 + 1 == 2']),
    )
    expect(t(r, 0).status).toBe('error')
    expect(t(r, 0).message).toMatch(/exit\(3\)/)
    expect(t(r, 1).status).toBe('pass')
  })

  it('os._exit cannot end the interpreter', async () => {
    const r = await hostileThenNext(
      asserts('import os\ndef f():\n    os._exit(1)\n', ['assert f()', 'assert True']),
    )
    expect(t(r, 0).status).toBe('error')
    expect(t(r, 0).message).toMatch(/os\._exit/)
    expect(t(r, 1).status).toBe('pass')
  })

  it('sys.exit while loading is an error of the unit', async () => {
    const r = await hostileThenNext(asserts('raise SystemExit(2)\n', ['assert True']))
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/could not be loaded.*exit\(2\)/)
  })

  it('unbounded recursion is a RecursionError, or a timeout when the limit was raised', async () => {
    const r = await hostileThenNext(asserts('def f(n):\n    return f(n + 1)\n', ['assert f(0)']))
    expect(t(r, 0).status).toBe('error')
    expect(t(r, 0).message).toMatch(/RecursionError/)
    // With the limit raised, the interpreter recurses until the JavaScript stack gives out (a
    // RecursionError too), which on a slow machine can take longer than the test's limit.
    const deep = await hostileThenNext(
      asserts('import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\n', [
        'assert f(0)',
      ]),
    )
    expect(['error', 'timeout']).toContain(t(deep, 0).status)
    if (t(deep, 0).status === 'error')
      expect(t(deep, 0).message).toMatch(/RecursionError|call stack/)
  })

  it('a memory bomb ends as MemoryError or a timeout, for that unit only', async () => {
    const r = await hostileThenNext(
      asserts(
        'def bomb():\n    x = [0] * (10 ** 9)\n    return x\n\ndef grow():\n    out = []\n    while True:\n        out.append(bytearray(10 ** 7))\n',
        ['assert bomb()', 'assert grow()'],
      ),
    )
    expect(t(r, 0).status).toBe('error')
    expect(t(r, 0).message).toMatch(/MemoryError/)
    expect(['error', 'timeout']).toContain(t(r, 1).status)
  })

  it('huge output is cut and counted, never held whole', async () => {
    const r = await hostileThenNext(
      asserts(
        'def shout():\n    for i in range(200000):\n        print("x" * 100)\n    return True\n',
        ['assert shout()'],
      ),
    )
    expect(t(r, 0).status).toBe('pass')
    expect(t(r, 0).stdout.length).toBeLessThan(5_000)
    expect(t(r, 0).stdout).toMatch(/more characters not kept/)
  })

  it('importing socket or subprocess is refused, with a reason', async () => {
    for (const name of ['socket', 'subprocess', 'js', 'pyodide', 'urllib.request']) {
      const r = await hostileThenNext(asserts(`import ${name}\n`, ['assert True']))
      expect(r.status).toBe('error')
      expect(r.message).toMatch(
        new RegExp(`import of '${name.replace('.', '\\.')}' refused.*sandbox`),
      )
    }
  })

  it('the user files are not there to read, and the scratch folder is new for each unit', async () => {
    const r = await hostileThenNext(
      asserts('import os\nopen("left.txt", "w").write("x")\n', [
        'assert open("/etc/passwd").read()',
        'assert os.path.exists("left.txt")',
      ]),
    )
    expect(t(r, 0).status).toBe('error')
    expect(t(r, 0).message).toMatch(/FileNotFoundError/)
    expect(t(r, 1).status).toBe('pass')
    const again = await pool.run(asserts('import os\n', ['assert not os.path.exists("left.txt")']))
    expect(again.status).toBe('pass')
  })

  it('patched builtins and modules are put back for the next unit', async () => {
    const r = await hostileThenNext(
      asserts(
        'import builtins, math\nbuiltins.len = lambda x: 42\nbuiltins.sorted = None\nmath.sqrt = lambda x: -1\nimport sys\nsys.modules["json"] = None\n',
        ['assert len([]) == 42'],
      ),
    )
    expect(r.status).toBe('pass')
    const clean = await pool.run(
      asserts('import math, json\n', [
        'assert math.sqrt(4) == 2',
        'assert json.dumps(1) == "1"',
        'assert len([]) == 0',
      ]),
    )
    expect(clean.status).toBe('pass')
  })

  it('tests that patch the assert machinery cannot make a failure pass', async () => {
    const r = await hostileThenNext(
      asserts('def f():\n    return 1\n', [
        'import builtins\nbuiltins.AssertionError = ValueError\nassert f() == 2',
      ]),
    )
    expect(r.status).not.toBe('pass')
  })
})
