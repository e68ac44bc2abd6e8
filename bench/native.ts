/**
 * The same loads and queries on native DuckDB (@duckdb/node-api), the reference each browser figure
 * is divided by.
 *
 * The queries are the app's own: its SQL builders (renderer/data) run over the desktop app's
 * `NativeEngine` (electron/engine), one statement at a time, as the app's engine runs them. Two
 * loaders:
 * - `duckdb`, the reference: native DuckDB reads the file with its own reader (`read_json_auto`,
 *   `read_parquet`), the limit the app's ingest is measured against;
 * - `app`, the desktop app: the app's own ingest (decoder, Arrow batches) into the native engine.
 *   Decoding and inserting share this one process here; in the app the decoder runs in the
 *   window's worker while the engine process inserts, so this open is if anything slower.
 * Each case runs in a process of its own, so its peak memory (VmHWM) is its own.
 */
import { readFileSync } from 'node:fs'
import { NativeEngine } from '../electron/engine/nativeEngine'
import { DecoderCore } from '../renderer/data/ingest/decoder'
import { fileSource, readFileBytes } from '../test/support/fileSource'
import { nodeParquetReader } from '../test/support/parquetNode'
import { rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { DatasetFormat } from '../shared/host'
import { type FieldPath, type Profile, pathLabel } from '../shared/profile'
import { formatCount } from '../renderer/app/format'
import type { Engine } from '../renderer/data/engine'
import {
  CODE_A_LENGTH_SQL,
  type NumericField,
  checkWhere,
  countRows,
  fieldExtent,
  histogram,
  languageFacet,
  meanByCategory,
  facetQuery,
  numericFields,
  scatterSample,
  summaryByLanguage,
} from '../renderer/data/explore'
import {
  EMPTY_FILTER,
  type Filter,
  type RowSource,
  numberSql,
  rowSource,
} from '../renderer/data/filter'
import { buildQa } from '../renderer/data/qa'
import { type LoadedDataset, describeTable } from '../renderer/data/dataset'
import { parseJsonText } from '../renderer/data/jsonText'
import { loadDataset } from '../renderer/data/load'
import { fetchReviewUnits } from '../renderer/data/profile/review'
import { type ProfileState, openProfile } from '../renderer/data/profile/session'
import { UNIT_COLUMNS as U } from '../renderer/data/profile/units'
import { PAGE_SIZE, fetchPage, sampleTextLengths } from '../renderer/data/rows'
import { quoteIdent } from '../shared/sql'
import type { Relations } from '../renderer/data/relations'
import { runSql } from '../renderer/data/sql'
import { diffTexts, splitLines } from '../renderer/features/diff/diffModel'

/** The number of bins a histogram starts with in the app. */
const HISTOGRAM_BINS = 20
/** The table's row height and overscan in the app (renderer/features/table/RowTable.tsx). */
export const ROW_HEIGHT = 28
const OVERSCAN = 12

/** One native case: a file to open and what to do with it once open. */
export interface CaseSpec {
  /** What the report calls it: `rlaif 100k JSONL`. */
  readonly name: string
  readonly path: string
  readonly format: 'jsonl' | 'parquet'
  /** Who reads the file: native DuckDB's own reader (the reference) or the app's ingest (desktop). */
  readonly loader: 'duckdb' | 'app'
  /** Measure filter changes, scrolling and export on it. */
  readonly interact: boolean
  /** Measure the diff of each row's pair (the long-pair file). */
  readonly diff: boolean
  /** Where exports are written (and removed again). */
  readonly scratch: string
  /** Milliseconds a browser open may take before it is called failed. */
  readonly openTimeoutMs: number
  /** Milliseconds a filter change, scroll, export or diff may take before it is called failed. */
  readonly stepTimeoutMs: number
  /** Languages to tick and untick in turn (two filter changes each). */
  readonly filterLanguages: number
  /** Far rows to scroll to. */
  readonly scrollTargets: number
  /** Wait for the app to be idle after the open, and report when it was. */
  readonly settle: boolean
  /**
   * Keep the units at or below this value of the main score (AceCode: the failing completions),
   * then diff the first row left; null skips it.
   */
  readonly rangeMax: number | null
}

/** What the browser should show once a view state is complete, worked out natively. */
export interface ViewExpectation {
  /** The status bar's "N of M rows". */
  readonly rowCountText: string
  /** Row numbers (as the # column shows them) of the first rows of the table. */
  readonly firstRows: readonly string[]
  /** Per histogram key: how many languages its bars are stacked from. */
  readonly histogramSeries: Readonly<Record<string, number>>
  /** Per scatter chart test id: how many languages its points come in. */
  readonly scatterSeries: Readonly<Record<string, number>>
  /** The summary table's languages (with `all`), and the units the `all` row counts. */
  readonly summaryLanguages: readonly string[]
  readonly summaryAll: string | null
}

/** How the views are laid out for this dataset. */
export interface Layout {
  readonly rowCount: number
  readonly family: string
  readonly languages: readonly string[]
  /** The histogram that counts as the reward histogram (the reward, else the first score). */
  readonly mainHistogram: string | null
  readonly histograms: readonly string[]
  readonly scatters: readonly string[]
  readonly category: string | null
  readonly columns: readonly string[]
}

/** Timings (ms) of the native open, cumulative from the start of the load. */
export interface NativeOpen {
  readonly loadMs: number
  readonly firstPageMs: number
  readonly histogramMs: number
  readonly allViewsMs: number
  /** The reward checks, which the app runs on open. */
  readonly qaMs: number | null
  readonly qaError?: string
  /** Views and reward checks done. */
  readonly settledMs: number | null
}

/** One filter change, natively: the queries the views run again, and what they show. */
export interface FilterStep {
  readonly label: string
  readonly languages: readonly string[]
  /** A range typed into a histogram's "to" box instead (the pass-rate step). */
  readonly range?: { readonly key: string; readonly max: number }
  readonly ms: number
  readonly expect: ViewExpectation
}

/** One scroll to a far row: the pages the table fetches for it. */
export interface ScrollStep {
  readonly row: number
  readonly ms: number
  readonly pages: number
  readonly rowText: string
}

/** One export of the filtered rows. */
export interface ExportFigure {
  readonly ms: number
  readonly bytes: number
}

/** One long pair: fetch its row's review units and diff the two sides. */
export interface DiffStep {
  readonly row: number
  readonly ms: number
  readonly language: string
  readonly lines: number
  /** The first line of side A as the diff shows it, to recognise it in the browser. */
  readonly firstLineA: string
  readonly heading: string
}

/** Everything measured natively for one case. */
export interface NativeResult {
  readonly name: string
  readonly error?: string
  readonly bytes: number
  readonly threads: number
  readonly open?: NativeOpen
  readonly memory?: {
    readonly peakRssBytes: number
    readonly baselineRssBytes: number
    readonly duckdbBytes: number
  }
  readonly layout?: Layout
  readonly initial?: ViewExpectation
  readonly filter?: readonly FilterStep[]
  readonly scroll?: readonly ScrollStep[]
  readonly export?: {
    readonly where: string
    /** Applying the condition: the queries every view runs again. */
    readonly whereMs: number
    readonly rows: number
    readonly expect: ViewExpectation
    readonly jsonl: ExportFigure
    readonly parquet: ExportFigure
  }
  readonly diff?: readonly DiffStep[]
  /** The range step, and the diff of the first row it leaves. */
  readonly range?: { readonly filter: FilterStep; readonly diff: DiffStep }
}

function procStatus(field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync('/proc/self/status', 'utf8')
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
}

const quoteString = (text: string) => `'${text.replaceAll("'", "''")}'`

/** The field the summary describes and the charts plot: the reward, or the first score. */
function mainField(profile: Profile): FieldPath | null {
  return profile.reward ?? profile.scores[0] ?? null
}

/** The scatter charts the Distributions panel draws, as (test id, x, y) over the units view. */
function scatters(profile: Profile): { id: string; x: string; y: string }[] {
  const out: { id: string; x: string; y: string }[] = []
  const [first, second] = profile.scores
  const field = mainField(profile)
  if (first && second) out.push({ id: 'scatter-scores', x: numberSql(second), y: numberSql(first) })
  if (field && profile.codeA) {
    out.push({ id: 'scatter-length', x: CODE_A_LENGTH_SQL, y: numberSql(field) })
  }
  return out
}

/** What each view shows for a filter: the app's queries, timed, with what they return. */
async function runViews(
  engine: Engine,
  dataset: LoadedDataset,
  state: ProfileState,
  filter: Filter,
  what: { table: boolean; facets: boolean; extents: boolean },
  marks?: { histogram?: () => void },
): Promise<ViewExpectation> {
  const { relations: view, profile } = state
  const source: RowSource = rowSource(dataset.table, view, filter)
  const everything = source.where.text === 'true'
  const shown = everything ? dataset.rowCount : await countRows(engine, source)
  // On open the table already holds page 0 of the same source; a new filter fetches it again.
  const page = what.table ? await fetchPage(engine, dataset, null, 0, source) : []
  const fields = numericFields(dataset, profile).filter((f) => f.role)
  const histogramSeries: Record<string, number> = {}
  const main = mainField(profile)
  for (const field of fields) {
    const extent = await fieldExtentOnce(engine, view, field, what.extents)
    const bins = await histogram(engine, view, field, extent, filter, HISTOGRAM_BINS)
    histogramSeries[field.key] = new Set(bins.flatMap((b) => Object.keys(b.counts))).size
    if (main && pathLabel(main) === field.key) marks?.histogram?.()
  }
  if (what.facets) {
    await languageFacet(engine, view, filter)
    if (profile.model) await runSql(engine, facetQuery(view, 'models', filter))
  }
  let summaryLanguages: string[] = []
  let summaryAll: string | null = null
  if (main) {
    const summary = await summaryByLanguage(engine, view, main, filter)
    summaryLanguages = summary.map((s) => s.language)
    const all = summary.find((s) => s.language === 'all')
    summaryAll = all ? formatCount(all.count) : null
  }
  const scatterSeries: Record<string, number> = {}
  for (const chart of scatters(profile)) {
    const points = await scatterSample(engine, view, chart.x, chart.y, filter)
    scatterSeries[chart.id] = new Set(points.map((p) => p.language)).size
  }
  if (main && profile.model) await meanByCategory(engine, view, main, U.model, filter)
  return {
    rowCountText: `${formatCount(shown)} of ${formatCount(dataset.rowCount)} rows`,
    firstRows: page.slice(0, 5).map((r) => formatCount(r.id + 1)),
    histogramSeries,
    scatterSeries,
    summaryLanguages,
    summaryAll,
  }
}

const extents = new Map<string, Awaited<ReturnType<typeof fieldExtent>>>()

/** A field's extent: queried on open, remembered after (the app keys it by view and field). */
async function fieldExtentOnce(
  engine: Engine,
  view: Relations,
  field: NumericField,
  query: boolean,
): Promise<Awaited<ReturnType<typeof fieldExtent>>> {
  const key = `${view.units}|${field.key}`
  const known = extents.get(key)
  if (known && !query) return known
  const extent = await fieldExtent(engine, view, field.path)
  extents.set(key, extent)
  return extent
}

/** Opens a file natively and runs every view's first queries, as the app does on open. */
async function open(
  engine: Engine,
  spec: CaseSpec,
  bytes: number,
): Promise<{
  dataset: LoadedDataset
  state: ProfileState
  open: NativeOpen
  initial: ViewExpectation
}> {
  const started = performance.now()
  if (spec.loader === 'app') {
    const loaded = await loadDataset(await fileSource(spec.path), {
      engine,
      decoder: new DecoderCore(nodeParquetReader()),
      readBytes: readFileBytes,
    })
    return viewsOnOpen(engine, spec, loaded, started)
  }
  const table = 'dataset_1'
  const reader =
    spec.format === 'jsonl'
      ? `read_json_auto(${quoteString(spec.path)})`
      : `read_parquet(${quoteString(spec.path)})`
  await engine.exec(`CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM ${reader}`)
  const columns = await describeTable(engine, table)
  const count = await engine.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)
  const rowCount = Number(count.rows[0]?.n ?? 0)
  const format: DatasetFormat = spec.format
  const name = spec.path.split('/').at(-1) ?? spec.path
  const dataset: LoadedDataset = {
    source: {
      name,
      path: spec.path,
      isFolder: false,
      files: [{ id: 'native', name, path: spec.path, size: bytes }],
    },
    format,
    table,
    rowCount,
    columns,
    // The app's own step after any load (JSON text fields parsed into hidden columns).
    jsonFields: await parseJsonText(engine, table, columns, rowCount),
    skipped: [],
    skippedCount: 0,
    loadMs: performance.now() - started,
    engineBytes: await engine.memoryBytes(),
    engineName: engine.name,
  }
  return viewsOnOpen(engine, spec, dataset, started)
}

/** The first page, every view and (when asked) the reward checks of a loaded dataset. */
async function viewsOnOpen(
  engine: Engine,
  spec: CaseSpec,
  dataset: LoadedDataset,
  started: number,
): Promise<{
  dataset: LoadedDataset
  state: ProfileState
  open: NativeOpen
  initial: ViewExpectation
}> {
  const loadMs = performance.now() - started
  const firstPage = await fetchPage(engine, dataset, null, 0)
  const firstPageMs = performance.now() - started
  await sampleTextLengths(engine, dataset)
  const state = await openProfile(engine, dataset, null)
  let histogramMs = Number.NaN
  const initial = await runViews(
    engine,
    dataset,
    state,
    EMPTY_FILTER,
    { table: false, facets: true, extents: true },
    { histogram: () => (histogramMs = performance.now() - started) },
  )
  const allViewsMs = performance.now() - started
  // The app runs its reward checks once the roles are known, in the same engine queue as the
  // views (interleaved with them there; after them here).
  // Measured when the browser side waits for them too (the full run, and cases it interacts with).
  const qaStarted = performance.now()
  let qaError: string | undefined
  if (spec.settle) {
    await buildQa(engine, dataset, state.profile).catch((error: unknown) => {
      qaError = error instanceof Error ? error.message : String(error)
    })
  }
  const qaMs = spec.settle ? performance.now() - qaStarted : null
  const settledMs = spec.settle ? performance.now() - started : null
  return {
    dataset,
    state,
    open: { loadMs, firstPageMs, histogramMs, allViewsMs, qaMs, qaError, settledMs },
    initial: { ...initial, firstRows: firstPage.slice(0, 5).map((r) => formatCount(r.id + 1)) },
  }
}

/** Ticks and unticks each language in turn, timing the queries the views run again each time. */
async function filterSteps(
  engine: Engine,
  dataset: LoadedDataset,
  state: ProfileState,
  languages: readonly string[],
  count: number,
): Promise<FilterStep[]> {
  const steps: FilterStep[] = []
  for (const language of languages.slice(0, count)) {
    for (const chosen of [[language], []]) {
      const filter: Filter = { ...EMPTY_FILTER, languages: chosen }
      const started = performance.now()
      // The facet counts ignore their own choice, so ticking a language does not refetch them.
      const expect = await runViews(engine, dataset, state, filter, {
        table: true,
        facets: false,
        extents: false,
      })
      steps.push({
        label: chosen.length > 0 ? `tick ${language}` : `untick ${language}`,
        languages: chosen,
        ms: performance.now() - started,
        expect,
      })
    }
  }
  return steps
}

/** The pages the table fetches when it is scrolled so that `row` is near the top. */
function pagesFor(row: number, rowCount: number, visibleRows: number): number[] {
  const first = Math.max(0, row - 4 - OVERSCAN)
  const last = Math.min(rowCount - 1, row + visibleRows + OVERSCAN)
  const pages: number[] = []
  for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) pages.push(p)
  return pages
}

/** Rows the browser scrolls to: far apart, so each needs pages of its own. */
function scrollRows(rowCount: number, count: number): number[] {
  return [0.37, 0.71, 0.93, 0.55].slice(0, count).map((f) => Math.floor(rowCount * f))
}

async function scrollSteps(
  engine: Engine,
  dataset: LoadedDataset,
  count: number,
): Promise<ScrollStep[]> {
  const steps: ScrollStep[] = []
  for (const row of scrollRows(dataset.rowCount, count)) {
    const pages = pagesFor(row, dataset.rowCount, 24)
    const started = performance.now()
    for (const page of pages) await fetchPage(engine, dataset, null, page)
    steps.push({
      row,
      ms: performance.now() - started,
      pages: pages.length,
      rowText: formatCount(row + 1),
    })
  }
  return steps
}

/** Writes the rows a filter shows (the dataset's own columns) with DuckDB's own writers. */
async function exportFigures(
  engine: Engine,
  dataset: LoadedDataset,
  state: ProfileState,
  scratch: string,
): Promise<NonNullable<NativeResult['export']>> {
  const cut = await engine.query(
    `SELECT quantile_cont(${U.reward}, 0.9) AS x FROM ${quoteIdent(state.relations.units)}`,
  )
  const threshold = Number(cut.rows[0]?.x ?? 0)
  const where = `${U.reward} >= ${threshold}`
  const filter: Filter = { ...EMPTY_FILTER, where }
  const whereStarted = performance.now()
  // As the app does before it applies a condition (it also learns which relation can answer it).
  const problem = await checkWhere(engine, state.relations, where)
  if (problem !== null) throw new Error(`The export condition is refused: ${problem}`)
  const expect = await runViews(engine, dataset, state, filter, {
    table: true,
    facets: true,
    extents: false,
  })
  const whereMs = performance.now() - whereStarted
  const source = rowSource(dataset.table, state.relations, filter)
  if (source.where.params.length > 0) throw new Error('The export filter takes no parameters.')
  const columns = dataset.columns.map((c) => quoteIdent(c.name)).join(', ')
  const select = `SELECT ${columns} FROM ${source.from} WHERE ${source.where.text} ORDER BY ${source.id}`
  const rows = await countRows(engine, source)
  const figure = async (file: string, options: string): Promise<ExportFigure> => {
    const path = join(scratch, file)
    const started = performance.now()
    await engine.exec(`COPY (${select}) TO ${quoteString(path)} ${options}`)
    const ms = performance.now() - started
    const bytes = (await stat(path)).size
    await rm(path, { force: true })
    return { ms, bytes }
  }
  return {
    where,
    whereMs,
    rows,
    expect,
    jsonl: await figure('native-export.jsonl', '(FORMAT json)'),
    parquet: await figure('native-export.parquet', '(FORMAT parquet, COMPRESSION zstd)'),
  }
}

/** Fetches each row's review units and diffs its two sides with the app's diff code. */
async function diffSteps(
  engine: Engine,
  dataset: LoadedDataset,
  state: ProfileState,
): Promise<DiffStep[]> {
  const steps: DiffStep[] = []
  for (let row = 0; row < dataset.rowCount; row++) {
    const started = performance.now()
    const units = await fetchReviewUnits(engine, state.relations, state.profile, row)
    const unit = units[0]
    const diff = diffTexts(unit?.codeA.code ?? '', unit?.codeB.code ?? '', {
      ignoreWhitespace: false,
    })
    const ms = performance.now() - started
    const linesA = splitLines(unit?.codeA.code ?? '')
    steps.push({
      row,
      ms,
      language: unit?.language ?? '',
      lines: Math.max(linesA.length, diff.rows.length),
      firstLineA: linesA[0] ?? '',
      heading: `Row ${formatCount(row + 1)}`,
    })
  }
  return steps
}

/** Narrows the main score to at most `max`, then opens the first row left and diffs it. */
async function rangeStep(
  engine: Engine,
  dataset: LoadedDataset,
  state: ProfileState,
  max: number,
): Promise<{ filter: FilterStep; diff: DiffStep } | undefined> {
  const main = mainField(state.profile)
  if (!main) return undefined
  const key = pathLabel(main)
  const filter: Filter = { ...EMPTY_FILTER, ranges: { [key]: { path: main, min: null, max } } }
  let started = performance.now()
  const expect = await runViews(engine, dataset, state, filter, {
    table: true,
    facets: true,
    extents: false,
  })
  const step: FilterStep = {
    label: `${key} at most ${max}`,
    languages: [],
    range: { key, max },
    ms: performance.now() - started,
    expect,
  }
  started = performance.now()
  const [first] = await fetchPage(
    engine,
    dataset,
    null,
    0,
    rowSource(dataset.table, state.relations, filter),
  )
  if (!first)
    return {
      filter: step,
      diff: { row: 0, ms: 0, language: '', lines: 0, firstLineA: '', heading: '' },
    }
  const units = await fetchReviewUnits(engine, state.relations, state.profile, first.id)
  const unit = units[0]
  const diff = diffTexts(unit?.codeA.code ?? '', unit?.codeB.code ?? '', {
    ignoreWhitespace: false,
  })
  return {
    filter: step,
    diff: {
      // The first row of the filtered table; the browser shows the pair it picks for the row.
      row: 0,
      ms: performance.now() - started,
      language: unit?.language ?? '',
      lines: diff.rows.length,
      firstLineA: '',
      heading: `Row ${formatCount(first.id + 1)}`,
    },
  }
}

/** Runs one case natively, in this process. */
export async function runNativeCase(spec: CaseSpec): Promise<NativeResult> {
  const bytes = (await stat(spec.path)).size
  // The app's engine reads only its own folder; the reference reads the input and writes exports.
  const engine = await NativeEngine.create({
    readableFolders: [dirname(spec.path), spec.scratch],
  })
  const threads = Number(
    (await engine.query("SELECT current_setting('threads') AS t")).rows[0]?.t ?? 0,
  )
  const baselineRssBytes = procStatus('VmRSS')
  try {
    const opened = await open(engine, spec, bytes)
    const { dataset, state } = opened
    const memory = {
      peakRssBytes: procStatus('VmHWM'),
      baselineRssBytes,
      duckdbBytes: await engine.memoryBytes(),
    }
    const profile = state.profile
    const main = mainField(profile)
    const languages = (await languageFacet(engine, state.relations, EMPTY_FILTER)).map(
      (f) => f.value,
    )
    const layout: Layout = {
      rowCount: dataset.rowCount,
      family: profile.family,
      languages,
      mainHistogram: main ? pathLabel(main) : null,
      histograms: numericFields(dataset, profile)
        .filter((f) => f.role)
        .map((f) => f.key),
      scatters: scatters(profile).map((s) => s.id),
      category: main && profile.model ? 'chart-by-model' : null,
      columns: dataset.columns.map((c) => c.name),
    }
    const result: NativeResult = {
      name: spec.name,
      bytes,
      threads,
      open: opened.open,
      memory,
      layout,
      initial: opened.initial,
    }
    if (spec.diff) return { ...result, diff: await diffSteps(engine, dataset, state) }
    if (spec.rangeMax !== null) {
      const range = await rangeStep(engine, dataset, state, spec.rangeMax)
      return range ? { ...result, range } : result
    }
    if (!spec.interact) return result
    return {
      ...result,
      filter: await filterSteps(engine, dataset, state, languages, spec.filterLanguages),
      scroll: await scrollSteps(engine, dataset, spec.scrollTargets),
      export: await exportFigures(engine, dataset, state, spec.scratch),
    }
  } catch (error) {
    return {
      name: spec.name,
      bytes,
      threads,
      error: error instanceof Error ? error.message : String(error),
    }
  } finally {
    await engine.close()
  }
}
