/**
 * Measures parsing a code-rlaif-shaped file in Node (`node bench/parse.mjs --rows=20000`): loads
 * the generated file into DuckDB-WASM with the app's loader, then times `buildParseFacts` step by
 * step (reading answers, parsing, inserting facts) and, while it runs, a row read at the priority
 * a row click has. The parser is the app's `ParseCore`, on the main thread or in worker threads.
 */
import { rlaifFiles } from './generate'
import { buildParseFacts, parseTable } from '../renderer/data/parse/facts'
import { detectProfile } from '../renderer/data/profile/detect'
import { createUnitsView } from '../renderer/data/profile/units'
import { fetchRow, sampleTextLengths } from '../renderer/data/rows'
import { quoteIdent } from '../shared/sql'
import { loadFiles } from '../test/support/loadFile'
import { createWasmEngine } from '../test/support/nodeEngine'
import { nodeParseService } from '../test/support/parseNode'
const root = process.cwd()
import { threadParseService } from './parseThreads'
import { measureParseInBrowser } from './parseBrowser'

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
const rows = Number(arg('rows', '20000'))

const t0 = performance.now()
const { parquet } = await rlaifFiles(root, rows, ['parquet'])
if (!parquet) throw new Error('no file')
console.log(
  `generated ${parquet.path} (${parquet.bytes} bytes) in ${Math.round(performance.now() - t0)} ms`,
)
if (process.argv.includes('--generate-only')) process.exit(0)
if (process.argv.includes('--browser')) {
  console.log(JSON.stringify(await measureParseInBrowser(parquet.path, rows), null, 1))
  process.exit(0)
}
const engine = await createWasmEngine()
const t1 = performance.now()
const dataset = await loadFiles(engine, parquet.path)
console.log(`loaded ${dataset.rowCount} rows in ${Math.round(performance.now() - t1)} ms`)
const profile = detectProfile(dataset.columns, await sampleTextLengths(engine, dataset))
await createUnitsView(engine, dataset, profile)

// Time the engine spends on the parse step's statements, and the parser on its batches.
const statements: number[] = []
const spent = { engineMs: 0, engineMax: 0, parseMs: 0 }
const timed =
  <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    const start = performance.now()
    try {
      return await run(...args)
    } finally {
      const took = performance.now() - start
      spent.engineMs += took
      spent.engineMax = Math.max(spent.engineMax, took)
      statements.push(took)
    }
  }
const parseEngine = new Proxy(engine, {
  get(target, key) {
    if (key === 'query') return timed(target.query.bind(target))
    if (key === 'exec') return timed(target.exec.bind(target))
    if (key === 'insertArrowIPC') return timed(target.insertArrowIPC.bind(target))
    const value: unknown = Reflect.get(target, key)
    return typeof value === 'function' ? (value as () => unknown).bind(target) : value
  },
})
const workers = Number(arg('workers', '0'))
const service = workers > 0 ? threadParseService(workers) : nodeParseService
const timedService = {
  async parse(items: Parameters<typeof service.parse>[0]) {
    const start = performance.now()
    try {
      return await service.parse(items)
    } finally {
      spent.parseMs += performance.now() - start
    }
  },
}

const clicks: number[] = []
let parsing = true
const clicker = (async () => {
  while (parsing) {
    await new Promise((r) => setTimeout(r, 500))
    const id = Math.floor(Math.random() * dataset.rowCount)
    const start = performance.now()
    await fetchRow(engine, dataset, id)
    clicks.push(performance.now() - start)
  }
})()
let last = 0
const memoryBefore = await engine.memoryBytes()
const t2 = performance.now()
const report = await buildParseFacts(parseEngine, dataset, profile, timedService, {
  onProgress: (p) => {
    const now = performance.now()
    if (now - last > 10_000) {
      last = now
      console.log(
        `  ${p.done} of ${p.total} units, ${Math.round((now - t2) / 1000)} s; last statements (ms): ${statements
          .slice(-12)
          .map(Math.round)
          .join(' ')}`,
      )
    }
  },
})
parsing = false
await clicker
const ms = performance.now() - t2
const table = parseTable(dataset.table)
const size = await engine.query(
  `SELECT estimated_size, column_count FROM duckdb_tables() WHERE table_name = ?`,
  [table],
)
const count = await engine.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)
clicks.sort((a, b) => a - b)
const pct = (p: number) =>
  Math.round(clicks[Math.min(clicks.length - 1, Math.floor(p * clicks.length))] ?? 0)
console.log(
  JSON.stringify(
    {
      rows,
      units: report?.units,
      parsed: report?.parsed,
      ms: Math.round(ms),
      engineMs: Math.round(spent.engineMs),
      engineMaxStatementMs: Math.round(spent.engineMax),
      statements: statements.length,
      statementsFirst: statements.slice(0, 6).map(Math.round),
      statementsLast: statements.slice(-6).map(Math.round),
      parseCallMs: Math.round(spent.parseMs),
      msPerAnswer: report ? +(ms / Math.max(1, report.parsed)).toFixed(3) : null,
      factRows: Number(count.rows[0]?.n),
      estimatedSize: Number(size.rows[0]?.estimated_size),
      memoryBytesBefore: memoryBefore,
      memoryBytes: await engine.memoryBytes(),
      clicks: clicks.length,
      clickMedianMs: pct(0.5),
      clickP95Ms: pct(0.95),
      clickMaxMs: Math.round(clicks.at(-1) ?? 0),
    },
    null,
    1,
  ),
)
process.exit(0)
