/**
 * Runs Electronegativity (Doyensec's checks of Electron's security checklist) over the app's
 * sources and fails when it reports anything above LOW, or a file it could not parse.
 *
 * Usage: node scripts/security.mjs (`npm test` runs it as `npm run security`).
 *
 * It scans a copy of what makes the app (electron/, renderer/, shared/, package.json and the lock
 * file, from which it reads the Electron version), not the whole checkout: dist/ holds bundled
 * third-party code and test/ is not shipped. A finding reviewed as a false positive is silenced on
 * its own line with `// eng-disable <CHECK_ID>` and a comment saying why.
 *
 * Offline: AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK is left out because it downloads Electron's release
 * list from GitHub, which would make the result depend on the network. Electronegativity also asks
 * a server for updated message translations (with a one-second timeout); without a network it says
 * "Could not retrieve updated translations" and uses its bundled English ones.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SCANNED = ['electron', 'renderer', 'shared', 'package.json', 'package-lock.json']
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck']
/** Severities that fail the run; LOW and INFORMATIONAL findings are printed for review only. */
const FAILING = new Set(['MEDIUM', 'HIGH'])

/**
 * @typedef {{ name: string }} Level
 * @typedef {{ id: string, file: string, location: { line: number, column: number }, description: string,
 *   severity: Level, confidence: Level, manualReview: boolean, sample?: string, shortenedURL: string }} Issue
 * @typedef {{ file: string, message: string, tolerable: boolean }} ParseError
 * @typedef {{ issues: Issue[], errors: ParseError[], globalChecks: number, atomicChecks: number }} Result
 */

// Stable English messages whatever the machine's locale.
process.env.LANG = 'en-US'
/** @type {unknown} The package has no types. */
const runner = createRequire(import.meta.url)('@doyensec/electronegativity')
const electronegativity = /** @type {(options: Record<string, unknown>) => Promise<Result>} */ (
  runner
)

const stage = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-electronegativity-'))
let failed = false
try {
  for (const entry of SCANNED)
    await cp(path.join(root, entry), path.join(stage, entry), { recursive: true })
  const result = await electronegativity({
    input: stage,
    isRelative: true,
    excludeFromScan: EXCLUDED_CHECKS,
  })

  for (const error of result.errors) {
    const where = path.relative(stage, error.file)
    console.log(
      `${error.tolerable ? 'warning' : 'error'}: cannot fully parse ${where}: ${error.message}`,
    )
    if (!error.tolerable) failed = true
  }
  // ELECTRON_VERSION_JSON_CHECK only feeds the release check left out above.
  const issues = result.issues
    .filter((issue) => issue.id !== 'ELECTRON_VERSION_JSON_CHECK')
    .sort((a, b) => a.file.localeCompare(b.file) || a.location.line - b.location.line)
  for (const issue of issues) {
    const failing = FAILING.has(issue.severity.name)
    if (failing) failed = true
    const where = issue.file === 'N/A' ? 'the whole app' : `${issue.file}:${issue.location.line}`
    console.log(
      `${failing ? 'FAIL' : 'note'} ${issue.severity.name}/${issue.confidence.name} ${issue.id} at ${where}: ` +
        `${issue.description}${issue.manualReview ? ' (review required)' : ''} ${issue.shortenedURL}`,
    )
    if (issue.sample) console.log(`     ${issue.sample.trim()}`)
  }
  const counted = `${result.globalChecks} global and ${result.atomicChecks} atomic checks`
  console.log(
    failed
      ? `Electronegativity (${counted}) reports findings above LOW: fix them, or review and silence each one with an eng-disable comment saying why.`
      : `Electronegativity (${counted}): nothing above LOW.`,
  )
} finally {
  await rm(stage, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0
