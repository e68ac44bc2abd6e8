/**
 * Vitest's global setup: says once per run, in one line, that the real data is missing and the
 * tests reading it are skipped, so a skipped count never goes unexplained.
 */
import { HAS_REALDATA, REALDATA } from './realdata'

/** Prints the notice before any test runs. */
export function setup(): void {
  if (HAS_REALDATA) return
  console.warn(
    `Real data not found at ${REALDATA} (../shared/realdata, the team's samples beside the ` +
      'repository): the tests that read it are skipped (README.md, "The real data").',
  )
}
