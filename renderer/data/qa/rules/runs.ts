/**
 * How the tests ran: a unit marked passing whose running time is the file's timeout. A run
 * stopped at the limit did not finish, so its pass is not to be trusted.
 */
import { pathLabel } from '../../../../shared/profile'
import type { ColumnKind } from '../../dataset'
import { type FieldInfo, fieldSql } from '../../profile/fields'
import type { QaContext } from '../context'
import type { QaRule } from './rule'
import { lit, num, select } from './sql'

/** Names of a unit's running time (the last part of its path). */
const TIME_NAME =
  /^(execution_?time|exec_?time|run_?time|running_?time|elapsed(_?time)?|duration|time_?taken|time_?ms|time_?s|time_?sec(onds)?|wall_?time|time)$/i
/** Names of the timeout, as a column (per unit or the same in every row). */
const TIMEOUT_NAME = /^(timeout|time_?limit|timeout_?(s|ms|sec|seconds))$/i
/** Names of a pass/fail outcome: a boolean, or text saying "pass". */
const PASS_NAME =
  /^(passed|pass|is_?passed|is_?correct|correct|success|succeeded|accepted|solved)$/i
const STATUS_NAME = /^(status|result|verdict|outcome|test_?result)$/i
/** Status text meaning the unit passed. */
const PASS_TEXT = '^(pass|passed|accepted|ok|success|succeeded)$'

/** Two times are the same: float noise only (relative). */
const TIME_TOLERANCE = 1e-6

/** The first field whose last name matches, of one of the kinds. */
function fieldMatching(
  ctx: QaContext,
  name: RegExp,
  kinds: readonly ColumnKind[],
): FieldInfo | null {
  return ctx.fields.find((f) => kinds.includes(f.kind) && name.test(f.path.at(-1) ?? '')) ?? null
}

/** The running time, the pass outcome and the timeout of a unit, when the file has them. */
export function runFields(ctx: QaContext): {
  time: FieldInfo
  passed: { field: FieldInfo; sql: string }
  timeout: FieldInfo | null
} | null {
  const time = fieldMatching(ctx, TIME_NAME, ['number'])
  if (!time) return null
  const flag = fieldMatching(ctx, PASS_NAME, ['bool'])
  const status = flag ? null : fieldMatching(ctx, STATUS_NAME, ['text'])
  const passed = flag
    ? { field: flag, sql: `(${fieldSql(flag.path)})` }
    : status
      ? {
          field: status,
          sql: `regexp_matches(trim(${fieldSql(status.path)}), ${lit(`(?i)${PASS_TEXT}`)})`,
        }
      : null
  if (!passed) return null
  return { time, passed, timeout: fieldMatching(ctx, TIMEOUT_NAME, ['number']) }
}

export const timeoutPass: QaRule = {
  id: 'timeout-pass',
  label: 'Passed at the timeout',
  description:
    'A unit marked passing ran exactly as long as the timeout: the timeout column, or, without one, the longest time, which at least two failing units also hit.',
  category: 'values',
  severity: 'warning',
  plan(ctx) {
    const run = runFields(ctx)
    if (!run) return null
    const timeLabel = pathLabel(run.time.path)
    const passLabel = pathLabel(run.passed.field.path)
    const same = (x: string, y: string) =>
      `(abs((${x}) - (${y})) <= ${TIME_TOLERANCE} * greatest(1, abs(${y})))`
    return {
      values: {
        t_time: `TRY_CAST(${fieldSql(run.time.path)} AS DOUBLE)`,
        t_pass: `coalesce(${run.passed.sql}, false)`,
        t_limit: run.timeout ? `TRY_CAST(${fieldSql(run.timeout.path)} AS DOUBLE)` : 'NULL::DOUBLE',
      },
      findings: (from) => {
        // Without a timeout column the limit is the longest time, when failing units stop there.
        const cap = `(SELECT m, (SELECT count(*) FROM ${from} WHERE NOT t_pass AND ${same('t_time', 'm')}) AS fails,
                             (SELECT min(__rl_row) FROM ${from} WHERE NOT t_pass AND ${same('t_time', 'm')}) AS fail_row
                        FROM (SELECT max(t_time) AS m FROM ${from} WHERE isfinite(t_time)))`
        const limit = `coalesce(t_limit, CASE WHEN c.fails >= 2 THEN c.m END)`
        const source = `(SELECT v.*, ${limit} AS t_cap, c.fails, c.fail_row FROM ${from} v, ${cap} c)`
        const why = `CASE WHEN t_limit IS NOT NULL THEN ${lit(`the timeout (${run.timeout ? pathLabel(run.timeout.path) : ''})`)}
                  ELSE concat('the time ', fails, ' failing units stopped at (as row #', fail_row + 1, ')') END`
        return select(
          source,
          `concat(${lit(`${passLabel} is true with ${timeLabel} `)}, ${num('t_time')}, ' = ', ${why})`,
          `t_pass AND t_cap IS NOT NULL AND isfinite(t_time) AND ${same('t_time', 't_cap')}`,
        )
      },
    }
  },
}
