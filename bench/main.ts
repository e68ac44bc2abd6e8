/**
 * `npm run bench [-- --quick] [-- --no-build] [-- --only=<text>]`: builds the web app, generates
 * the inputs, and measures every case natively (a child process on @duckdb/node-api) and in the
 * browser (the web build in headless Chromium), then prints the figures and writes
 * bench/results.json. See bench/README.md.
 */
import { fork, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, freemem, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BenchBrowser, type BrowserResult, runBrowserCase, startBrowser } from './browser'
import { goalFigures } from './goals'
import { type GeneratedFile, acecodeFile, dataFolder, diffFile, rlaifFiles } from './generate'
import { type CaseSpec, type NativeResult, runNativeCase } from './native'
import { type CaseResult, desktopFigures, figures, table } from './report'
import { rerunBench, rerunText } from './rerun'
import { compareBench, compareText } from './compare'
import { nearDupBench, nearDupText } from './neardup'

/** The full size of AceCode-87K, and the share of its rows the full run generates by default. */
const ACECODE_ROWS = 87_149
const ACECODE_SCALE = 4

interface Options {
  readonly quick: boolean
  readonly build: boolean
  readonly only: string | null
  /** The full run's AceCode file has 1/acecodeScale of the real rows. */
  readonly acecodeScale: number
}

function parse(argv: readonly string[]): Options | null {
  const known = new Set(['--quick', '--no-build', '--help'])
  const valued = ['--only=', '--acecode-scale=']
  for (const arg of argv) {
    if (!known.has(arg) && !valued.some((v) => arg.startsWith(v))) {
      throw new Error(`Unknown option ${arg}; try --help.`)
    }
  }
  if (argv.includes('--help')) return null
  const value = (name: string) => argv.find((a) => a.startsWith(name))?.slice(name.length) ?? null
  const scale = Number(value('--acecode-scale=') ?? ACECODE_SCALE)
  if (!Number.isInteger(scale) || scale < 1) {
    throw new Error('--acecode-scale takes a whole number from 1 (the real size) up.')
  }
  return {
    quick: argv.includes('--quick'),
    build: !argv.includes('--no-build'),
    only: value('--only='),
    acecodeScale: scale,
  }
}

const USAGE = `npm run bench [-- options]
  --quick       small inputs (10k and 100k rows, a small AceCode): under 3 minutes
  --no-build    reuse the web build of the last run instead of building the web app
  --only=TEXT   only the cases whose name contains TEXT (e.g. --only=Parquet)
  --acecode-scale=N
                the full run's AceCode file has 1/N of the real 87,149 rows (default ${ACECODE_SCALE};
                1 is the real size, about 3 GB)`

const runStarted = performance.now()

function log(line: string): void {
  const at = ((performance.now() - runStarted) / 1000).toFixed(0).padStart(4)
  console.log(`[bench ${at} s] ${line}`)
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`

/** Builds the web app into the bench's own folder, where a build for the tests cannot disturb it. */
async function buildWeb(root: string, out: string): Promise<number> {
  const started = performance.now()
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
    )
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`)),
    )
  })
  return performance.now() - started
}

/** Runs a native case in a child process, so its memory high-water mark is its own. */
function nativeInChild(bundle: string, spec: CaseSpec): Promise<NativeResult> {
  return new Promise((resolve) => {
    let answered = false
    const child = fork(bundle, ['--native-case', JSON.stringify(spec)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    child.on('message', (result) => {
      answered = true
      resolve(result as NativeResult)
    })
    child.on('exit', (code, signal) => {
      if (!answered) {
        resolve({
          name: spec.name,
          bytes: 0,
          threads: 0,
          error: `the native process ended (${signal ?? `exit code ${code}`}) without a result`,
        })
      }
    })
  })
}

/** The inputs and cases of a run. */
async function plan(
  root: string,
  options: Options,
): Promise<{ cases: CaseSpec[]; inputs: GeneratedFile[] }> {
  const scratch = dataFolder(root)
  const inputs: GeneratedFile[] = []
  const cases: CaseSpec[] = []
  const note = (file: GeneratedFile) => {
    inputs.push(file)
    log(
      `input ${file.path.split('/').at(-1)}: ${file.rows.toLocaleString('en-US')} rows, ${megabytes(file.bytes)}` +
        (file.generateMs > 0 ? ` (generated in ${seconds(file.generateMs)})` : ' (cached)'),
    )
    return file
  }
  const add = (
    name: string,
    file: GeneratedFile,
    format: CaseSpec['format'],
    what: { interact?: boolean; diff?: boolean; rangeMax?: number } = {},
  ) => {
    if (options.only !== null && !name.includes(options.only)) return
    cases.push({
      name,
      path: file.path,
      format,
      loader: 'duckdb',
      interact: what.interact ?? false,
      diff: what.diff ?? false,
      scratch,
      openTimeoutMs: options.quick ? 120_000 : 900_000,
      stepTimeoutMs: options.quick ? 60_000 : 300_000,
      // The quick run ticks one language on and off and scrolls twice; the full run does more.
      filterLanguages: options.quick ? 1 : 3,
      scrollTargets: options.quick ? 2 : 4,
      settle: (what.interact ?? false) || !options.quick,
      rangeMax: what.rangeMax ?? null,
    })
  }
  const label = (rows: number) => (rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`)

  const small = await rlaifFiles(root, 10_000, ['jsonl'])
  add('rlaif 10k JSONL', note(small.jsonl!), 'jsonl', { interact: true })
  const mid = await rlaifFiles(root, 100_000, ['jsonl', 'parquet'])
  add('rlaif 100k JSONL', note(mid.jsonl!), 'jsonl', { interact: !options.quick })
  add('rlaif 100k Parquet', note(mid.parquet!), 'parquet')
  if (!options.quick) {
    const big = await rlaifFiles(root, 1_000_000, ['jsonl', 'parquet'])
    add(`rlaif ${label(1_000_000)} JSONL`, note(big.jsonl!), 'jsonl')
    add(`rlaif ${label(1_000_000)} Parquet`, note(big.parquet!), 'parquet', { interact: true })
  }
  const aceRows = options.quick ? 400 : Math.round(ACECODE_ROWS / options.acecodeScale)
  const ace = await acecodeFile(root, aceRows, 80)
  add(
    options.quick
      ? `acecode ${aceRows}×80 JSONL`
      : `acecode ${options.acecodeScale === 1 ? 'full size' : `1/${options.acecodeScale}`} (${aceRows.toLocaleString('en-US')}×80) JSONL`,
    note(ace),
    'jsonl',
    // The completions that fail half their tests or more, and a diff of the first question left.
    { rangeMax: 0.5 },
  )
  add('diff of 2,000-line pairs', note(await diffFile(root, 2000)), 'jsonl', { diff: true })
  return { cases, inputs }
}

function packageVersion(root: string, name: string): string {
  try {
    const json = JSON.parse(
      readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version?: string }
    return json.version ?? '?'
  } catch {
    return '?'
  }
}

function summary(result: CaseResult): string {
  const { native, desktop, browser } = result
  const parts: string[] = []
  if (native.error) parts.push(`native failed: ${native.error}`)
  else if (native.open) parts.push(`native open ${seconds(native.open.allViewsMs)}`)
  if (desktop.error) parts.push(`desktop failed: ${desktop.error}`)
  else if (desktop.open) parts.push(`desktop open ${seconds(desktop.open.allViewsMs)}`)
  if (browser.error) parts.push(`browser failed: ${browser.error}`)
  else if (browser.open) {
    parts.push(
      `browser first view ${seconds(browser.open.firstViewMs)}, all views ${seconds(browser.open.allViewsMs)}`,
    )
  }
  return parts.join('; ')
}

/** Runs the benchmark; resolves to the process exit code. */
export async function main(
  argv: readonly string[],
  context: { root: string; bundle: string },
): Promise<number> {
  const options = parse(argv)
  if (!options) {
    console.log(USAGE)
    return 0
  }
  const started = performance.now()
  const { root, bundle } = context
  // Test re-runs need no web build and no generated data: `--only=rerun` measures them alone.
  const rerunWanted = options.only === null || 'test re-runs (rerun)'.includes(options.only)
  const rerun = rerunWanted ? await rerunBench(root, options.quick) : null
  if (rerun) console.log(`\n${rerunText(rerun)}\n`)
  if (options.only !== null && rerunWanted) {
    await writeFile(
      join(root, 'bench', 'rerun-results.json'),
      `${JSON.stringify(rerun, null, 2)}\n`,
    )
    return 0
  }
  // Comparing two files (desktop engine against native DuckDB): `--only=compare` measures it alone.
  const compareWanted =
    options.only === null || 'compare two files (compare)'.includes(options.only)
  const compare = compareWanted ? await compareBench(root, options.quick) : null
  if (compare) console.log(`\n${compareText(compare)}\n`)
  if (options.only !== null && compareWanted) {
    await writeFile(
      join(root, 'bench', 'compare-results.json'),
      `${JSON.stringify(compare, null, 2)}\n`,
    )
    return 0
  }
  // Near-duplicate signatures and groups (the core, no engine): `--only=neardup` measures them alone.
  const neardupWanted = options.only === null || 'near-duplicates (neardup)'.includes(options.only)
  const neardup = neardupWanted ? await nearDupBench(options.quick) : null
  if (neardup) console.log(`\n${nearDupText(neardup)}\n`)
  if (options.only !== null && neardupWanted) {
    await writeFile(
      join(root, 'bench', 'neardup-results.json'),
      `${JSON.stringify(neardup, null, 2)}\n`,
    )
    return 0
  }
  const web = join(dataFolder(root), 'web')
  const loadBefore = loadavg()
  await mkdir(dataFolder(root), { recursive: true })
  if (options.build) log(`web app built in ${seconds(await buildWeb(root, web))} into ${web}`)
  const { cases, inputs } = await plan(root, options)

  const results: CaseResult[] = []
  let browser: BenchBrowser | null = null
  try {
    browser = await startBrowser(web)
    for (const spec of cases) {
      log(`${spec.name}: native…`)
      const native = await nativeInChild(bundle, spec)
      log(`${spec.name}: desktop engine…`)
      const desktop = await nativeInChild(bundle, { ...spec, loader: 'app' })
      log(`${spec.name}: browser…`)
      const inBrowser: BrowserResult = await runBrowserCase(browser, spec, native)
      const result = { spec, native, desktop, browser: inBrowser }
      results.push(result)
      log(`${spec.name}: ${summary(result)}`)
    }
    const rows = figures(results)
    const desktopRows = desktopFigures(results)
    const text = table(rows)
    const desktopText = table(desktopRows, 'desktop')
    const goalRows = goalFigures(rows, desktopRows, options.quick)
    const goalText = table(goalRows, 'app')
    console.log(
      `\nBrowser build (DuckDB-WASM in headless Chromium) against native DuckDB:\n\n${text}\n`,
    )
    console.log(
      `Desktop engine (the app's ingest into its native engine, in Node) against native DuckDB:\n\n${desktopText}\n`,
    )
    console.log(
      `The goals of issue #23 (ratio to native DuckDB, same file, same run):\n\n${goalText}\n`,
    )
    const report = {
      mode: options.quick ? 'quick' : 'full',
      finishedAt: new Date().toISOString(),
      totalMs: performance.now() - started,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? '?',
        memoryBytes: totalmem(),
        freeMemoryBytes: freemem(),
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg(),
        node: process.version,
        chromium: browser.version,
        duckdbNative: packageVersion(root, '@duckdb/node-api'),
        duckdbWasm: packageVersion(root, '@duckdb/duckdb-wasm'),
      },
      inputs,
      figures: rows,
      desktopFigures: desktopRows,
      goals: goalRows,
      rerun,
      compare,
      neardup,
      cases: results,
      table: text,
      desktopTable: desktopText,
      goalTable: goalText,
    }
    await writeFile(join(root, 'bench', 'results.json'), `${JSON.stringify(report, null, 2)}\n`)
    log(
      `done in ${seconds(performance.now() - started)}; load average ${loadBefore
        .map((l) => l.toFixed(1))
        .join(' ')} before, ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} after (${cpus().length} cores); wrote bench/results.json`,
    )
    return 0
  } finally {
    await browser?.close()
  }
}

// bench/run.mjs bundles this module into node_modules/.cache/rewardlens-bench/bench.mjs and runs
// it as a script; the native side of each case runs in a child process started with the same bundle.
if (process.argv[2] === '--native-case' && process.send) {
  const spec = JSON.parse(process.argv[3] ?? '{}') as CaseSpec
  void runNativeCase(spec).then((result) => {
    process.send!(result, () => process.exit(0))
  })
} else {
  const bundle = fileURLToPath(import.meta.url)
  const root = fileURLToPath(new URL('../../../', import.meta.url))
  main(process.argv.slice(2), { root, bundle }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error)
      process.exitCode = 1
    },
  )
}
