/**
 * The same harness in native CPython (python3 on these machines): the reference a Pyodide re-run
 * must agree with, and the bench's baseline. One python3 process runs the requests one after
 * another; a test past its limit is stopped by a timer signal and counts as timed out.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { HARNESS_SOURCE } from '../../renderer/data/rerun/harness'
import type { RerunRequest, TestResult, UnitResult } from '../../renderer/data/rerun/types'
import { unitStatus } from '../../renderer/data/rerun/types'

const DRIVER = String.raw`
import json, signal, sys


class RlTimeout(BaseException):
    pass


def alarm(signum, frame):
    raise RlTimeout()


# In a function: the harness puts __main__ back as it was after each unit.
def main():
    ns = {}
    exec(compile(HARNESS, '<rl-harness>', 'exec'), ns)
    signal.signal(signal.SIGALRM, alarm)
    real_stdout = sys.stdout
    for line in sys.stdin:
        job = json.loads(line)
        limit = job['perTestMs'] / 1000
        prepared = json.loads(ns['rl_prepare'](json.dumps(job['request'])))
        results = []
        for i in range(len(prepared['tests'])):
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                results.append(json.loads(ns['rl_run'](i)))
            except RlTimeout:
                results.append({'name': prepared['tests'][i], 'status': 'timeout', 'message': 'timed out',
                                'traceback': None, 'stdout': '', 'stderr': ''})
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        ns['rl_finish']()
        real_stdout.write(json.dumps({'loadError': prepared['loadError'], 'tests': results}) + '\n')
        real_stdout.flush()


main()
`

/** A python3 process running units' tests with the app's harness. */
export class CPythonRerun {
  private readonly child = spawn(
    'python3',
    ['-u', '-c', `HARNESS = ${JSON.stringify(HARNESS_SOURCE)}\n${DRIVER}`],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  private readonly lines = createInterface({ input: this.child.stdout })
  private readonly pending: ((line: string) => void)[] = []

  constructor(private readonly perTestMs = 10_000) {
    this.lines.on('line', (line) => this.pending.shift()?.(line))
  }

  /** Runs one unit's tests. */
  run(request: RerunRequest): Promise<UnitResult> {
    const started = performance.now()
    return new Promise((resolve) => {
      this.pending.push((line) => {
        const answer = JSON.parse(line) as { loadError: unknown; tests: TestResult[] }
        const passed = answer.tests.filter((t) => t.status === 'pass').length
        resolve({
          status: unitStatus(answer.tests, answer.loadError === null),
          kind: request.kind,
          tests: answer.tests,
          passed,
          passRate: answer.tests.length === 0 ? null : passed / answer.tests.length,
          message: null,
          durationMs: Math.round(performance.now() - started),
        })
      })
      this.child.stdin.write(`${JSON.stringify({ request, perTestMs: this.perTestMs })}\n`)
    })
  }

  close(): void {
    this.child.stdin.end()
  }
}
