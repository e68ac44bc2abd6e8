/**
 * Comparing two files in the benchmark: two code-rlaif-shaped Parquet files of the same size (B is
 * A with 6% of rows removed, 4% added and 10% of rewards changed) joined and drawn by the desktop
 * engine (NativeEngine with the app's own compare code: key detection, the pairs table, A's compare
 * columns, the facet counts, the change per language, the scatter sample), against native DuckDB
 * doing the same join and the same aggregates on the same tables, in the same run.
 *
 * The figure starts when both files are open with their roles (what the person sees before
 * choosing B is the open file) and stops when every view of the comparison has its answer.
 */
import { existsSync } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { NativeEngine } from '../electron/engine/nativeEngine'
import { buildCompare } from '../renderer/data/compare/build'
import { type CompareSide, detectKey, keyLabel } from '../renderer/data/compare/key'
import { compareFacetQuery, languageChangeQuery } from '../renderer/data/compare/queries'
import { scatterQuery } from '../renderer/data/explore'
import { EMPTY_FILTER } from '../renderer/data/filter'
import { DecoderCore } from '../renderer/data/ingest/decoder'
import { loadDataset } from '../renderer/data/load'
import { UNIT_COLUMNS as U } from '../renderer/data/profile/units'
import { openProfile } from '../renderer/data/profile/session'
import { runSql } from '../renderer/data/sql'
import { quoteString } from '../shared/sql'
import { fileSource, readFileBytes } from '../test/support/fileSource'
import { nodeParquetReader } from '../test/support/parquetNode'
import { dataFolder } from './generate'
import { startBrowser } from './browser'

/** What the compare bench measured. */
export interface CompareFigures {
  readonly rows: number
  readonly bytes: { readonly a: number; readonly b: number }
  /** The app's open of both files (load and roles), for context; not part of the ratio. */
  readonly openMs: number
  /** Join and draw in the desktop engine with the app's code. */
  readonly appMs: number
  /** The same join and aggregates in native DuckDB. */
  readonly nativeMs: number
  readonly ratio: number
  /** Where the app's time goes: choosing the key, building the pairs, the views' queries. */
  readonly steps: { readonly keyMs: number; readonly pairsMs: number; readonly viewsMs: number }
  readonly key: string
  readonly counts: {
    readonly both: number
    readonly aOnly: number
    readonly bOnly: number
    readonly changed: number
  }
  /**
   * The browser build (100,000 rows a side at every size: two 1M-row files do not fit in the
   * page's memory together): from choosing B in the compare file input to the summary, the
   * scatter and the change per language drawn, against native DuckDB reading B and doing the join
   * and aggregates. Null without a web build.
   */
  readonly browser: {
    readonly rows: number
    readonly ms: number
    readonly nativeMs: number
    readonly ratio: number
  } | null
  /** The native reference's counts, which must agree. */
  readonly nativeCounts: {
    readonly both: number
    readonly aOnly: number
    readonly bOnly: number
    readonly changed: number
  }
}

/** The design's budget for the compare figure: within 2× of native DuckDB. */
export const COMPARE_BUDGET = 2

/** SQL generating the A rows: an id, a prompt, a language, two answers, two scores, a reward. */
function rowsSql(from: number, to: number): string {
  return `SELECT 'task-' || i AS id,
      'Write a function solve_' || (i % 5000) || '(values) that returns the weighted sum of the tail of the list.' AS prompt,
      ['python', 'cpp', 'rust'][1 + i % 3] AS language,
      'def solve_' || i || '(values):' || chr(10) || '    total = sum(x * ' || (i * 7919 % 100000) || ' for x in values)' || chr(10) || '    return total' AS student_code,
      '\`\`\`python' || chr(10) || 'def solve_' || i || '(values):' || chr(10) || '    if not values:' || chr(10) || '        return 0' || chr(10) || '    return sum(values)' || chr(10) || '\`\`\`' AS teacher_code,
      round((i * 37 % 100) / 100.0, 2) AS student_score,
      round(0.85 + (i % 10) / 100.0, 2) AS teacher_score,
      round((i * 53 % 100) / 100.0, 3) AS reward
    FROM range(${from}, ${to}) t(i)`
}

/** Writes A and B as Parquet with native DuckDB (fast, and the files trainers' tools write). */
async function writeFiles(folder: string, rows: number): Promise<{ a: string; b: string }> {
  const a = join(folder, `compare-${rows}-a.parquet`)
  const b = join(folder, `compare-${rows}-b.parquet`)
  const exists = async (path: string) => (await stat(path).catch(() => null)) !== null
  if ((await exists(a)) && (await exists(b))) return { a, b }
  const db = await DuckDBInstance.create(':memory:')
  const conn = await db.connect()
  try {
    await conn.run(`COPY (${rowsSql(0, rows)}) TO ${quoteString(a)} (FORMAT parquet)`)
    // B: every 16th row removed (6.25%), every 10th of the rest with another reward, 4% new rows.
    const added = Math.round(rows * 0.04)
    await conn.run(
      `COPY (
         SELECT * REPLACE (CASE WHEN hash(id) % 10 = 0 THEN round(1 - reward, 3) ELSE reward END AS reward)
           FROM (${rowsSql(0, rows)}) WHERE (CAST(split_part(id, '-', 2) AS BIGINT) % 16) <> 3
         UNION ALL ${rowsSql(rows + 10, rows + 10 + added)}
       ) TO ${quoteString(b)} (FORMAT parquet)`,
    )
  } finally {
    conn.closeSync()
    db.closeSync()
  }
  return { a, b }
}

/** The native reference: the same pairing (on id, occurrences in file order) and aggregates. */
async function nativeCompare(a: string, b: string) {
  const db = await DuckDBInstance.create(':memory:')
  const conn = await db.connect()
  try {
    await conn.run(`CREATE TABLE a AS SELECT * FROM read_parquet(${quoteString(a)})`)
    const reading = performance.now()
    await conn.run(`CREATE TABLE b AS SELECT * FROM read_parquet(${quoteString(b)})`)
    const readBMs = performance.now() - reading
    const side = (t: string) =>
      `SELECT rowid AS r, id AS k, row_number() OVER (PARTITION BY id ORDER BY rowid) AS occ, reward, language,
              hash(student_code) AS ha, hash(teacher_code) AS hb FROM ${t}`
    const started = performance.now()
    await conn.run(
      `CREATE TABLE pairs AS
       SELECT CASE WHEN a.r IS NULL THEN 'b' WHEN b.r IS NULL THEN 'a' ELSE 'both' END AS side,
              coalesce(a.language, b.language) AS language, a.reward AS ra, b.reward AS rb,
              (a.r IS NOT NULL AND b.r IS NOT NULL AND (a.reward IS DISTINCT FROM b.reward
                 OR a.ha IS DISTINCT FROM b.ha OR a.hb IS DISTINCT FROM b.hb)) AS changed
         FROM (${side('a')}) a FULL OUTER JOIN (${side('b')}) b ON a.k = b.k AND a.occ = b.occ`,
    )
    const counts = await conn.runAndReadAll(
      `SELECT count(*) FILTER (WHERE side = 'both') AS both, count(*) FILTER (WHERE side = 'a') AS a_only,
              count(*) FILTER (WHERE side = 'b') AS b_only, count(*) FILTER (WHERE changed) AS changed
         FROM pairs`,
    )
    await conn.runAndReadAll(
      `SELECT language, count(*), avg(ra), avg(rb), avg(rb - ra), count(*) FILTER (WHERE changed),
              count(*) FILTER (WHERE ra >= 0.5 AND rb < 0.5), count(*) FILTER (WHERE ra < 0.5 AND rb >= 0.5)
         FROM pairs WHERE side = 'both' GROUP BY 1`,
    )
    await conn.runAndReadAll(
      `SELECT ra, rb, language FROM pairs WHERE side = 'both' USING SAMPLE reservoir(1500 ROWS) REPEATABLE (7)`,
    )
    const ms = performance.now() - started
    const row = counts.getRowObjects()[0] ?? {}
    return {
      ms,
      readBMs,
      counts: {
        both: Number(row.both),
        aOnly: Number(row.a_only),
        bOnly: Number(row.b_only),
        changed: Number(row.changed),
      },
    }
  } finally {
    conn.closeSync()
    db.closeSync()
  }
}

/** Times the browser build comparing A with B, from choosing B to every compare view drawn. */
async function browserCompare(web: string, a: string, b: string): Promise<number> {
  const browser = await startBrowser(web)
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(browser.server.url)
    await page.getByTestId('open-file-input').first().setInputFiles(a)
    await page.getByTestId('row-count').waitFor({ timeout: 300_000 })
    const input = page.getByTestId('compare-file-input')
    await page.waitForFunction(
      () =>
        !document.querySelector<HTMLInputElement>('[data-testid="compare-file-input"]')?.disabled,
      null,
      { timeout: 300_000 },
    )
    const started = performance.now()
    await input.setInputFiles(b)
    await page.getByTestId('compare-summary').waitFor({ timeout: 600_000 })
    await page
      .locator('[data-testid="compare-scatter"]:not([data-points="0"])')
      .waitFor({ timeout: 600_000 })
    await page
      .locator('[data-testid="compare-languages"] tbody tr')
      .first()
      .waitFor({ timeout: 600_000 })
    return performance.now() - started
  } finally {
    await context.close()
    await browser.close()
  }
}

/** Runs the compare case: 1M rows a side (100k with `quick`), and 100k in the browser build. */
export async function compareBench(root: string, quick: boolean): Promise<CompareFigures> {
  const rows = quick ? 100_000 : 1_000_000
  const folder = dataFolder(root)
  await mkdir(folder, { recursive: true })
  const files = await writeFiles(folder, rows)
  const engine = await NativeEngine.create({ readableFolders: [folder] })
  try {
    const opened = performance.now()
    const load = async (path: string): Promise<CompareSide> => {
      const dataset = await loadDataset(await fileSource(path), {
        engine,
        decoder: new DecoderCore(nodeParquetReader()),
        readBytes: readFileBytes,
      })
      const state = await openProfile(engine, dataset, null)
      return { dataset, profile: state.profile, relations: state.relations }
    }
    const a = await load(files.a)
    const b = await load(files.b)
    const openMs = performance.now() - opened

    const started = performance.now()
    const choice = await detectKey(engine, a, b)
    if (!choice.key) throw new Error('the compare bench found no key')
    const detected = performance.now()
    const build = await buildCompare(engine, a, b, choice.key)
    const built = performance.now()
    await runSql(engine, compareFacetQuery(a.relations, EMPTY_FILTER, 0.5))
    await runSql(engine, languageChangeQuery(a.relations, EMPTY_FILTER, 0.5))
    await runSql(engine, scatterQuery(a.relations, U.reward, U.compareReward, EMPTY_FILTER))
    const appMs = performance.now() - started
    const steps = {
      keyMs: detected - started,
      pairsMs: built - detected,
      viewsMs: appMs - (built - started),
    }

    const native = await nativeCompare(files.a, files.b)
    const { both, aOnly, bOnly, changed } = build.counts
    const web = [join(dataFolder(root), 'web'), join(root, 'dist', 'web')].find((w) =>
      existsSync(join(w, 'index.html')),
    )
    let browser: CompareFigures['browser'] = null
    if (web) {
      const small = quick ? files : await writeFiles(folder, 100_000)
      const ms = await browserCompare(web, small.a, small.b)
      const reference = quick ? native : await nativeCompare(small.a, small.b)
      const nativeMs = reference.readBMs + reference.ms
      browser = { rows: 100_000, ms, nativeMs, ratio: ms / nativeMs }
    }
    return {
      rows,
      bytes: { a: (await stat(files.a)).size, b: (await stat(files.b)).size },
      openMs,
      appMs,
      nativeMs: native.ms,
      ratio: appMs / native.ms,
      steps,
      key: keyLabel(choice.key),
      counts: { both, aOnly, bOnly, changed },
      nativeCounts: native.counts,
      browser,
    }
  } finally {
    await engine.close()
  }
}

/** The compare figures in words, for the bench's report. */
export function compareText(f: CompareFigures): string {
  const n = (x: number) => x.toLocaleString('en-US')
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const agree = JSON.stringify(f.counts) === JSON.stringify(f.nativeCounts)
  return [
    `Compare two ${n(f.rows)}-row Parquet files (desktop engine, key ${f.key}):`,
    `  join and draw ${s(f.appMs)} vs native DuckDB ${s(f.nativeMs)}: ${f.ratio.toFixed(2)}× (budget ${COMPARE_BUDGET}×) ${f.ratio <= COMPARE_BUDGET ? 'met' : 'NOT met'}`,
    `  of which: key ${s(f.steps.keyMs)}, pairs ${s(f.steps.pairsMs)}, views ${s(f.steps.viewsMs)}`,
    `  ${n(f.counts.both)} in both · ${n(f.counts.aOnly)} A only · ${n(f.counts.bOnly)} B only · ${n(f.counts.changed)} changed${agree ? ' (native agrees)' : ` (native: ${JSON.stringify(f.nativeCounts)})`}`,
    `  opening both files with their roles took ${s(f.openMs)} (not part of the ratio)`,
    f.browser
      ? `  browser build, ${n(f.browser.rows)} rows a side, from choosing B to the comparison drawn: ${s(f.browser.ms)} vs native DuckDB reading B and joining ${s(f.browser.nativeMs)}: ${f.browser.ratio.toFixed(1)}×`
      : '  browser build: not measured (no web build: npm run build:web)',
  ].join('\n')
}
