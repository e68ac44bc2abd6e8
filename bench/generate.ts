/**
 * Synthetic datasets for the benchmark, in the shapes of the seed datasets, cached between runs.
 *
 * Writing a million rows one `JSON.stringify` at a time takes minutes, so the rows are assembled by
 * native DuckDB from small pools made by JavaScript: code-rlaif rows come from 4,096 rows of the
 * project's own generator (scripts/demoData.ts, ~1 KB of fenced code per side), AceCode rows from
 * 512 questions with their test cases and 4,096 completions. Every generated row differs from every
 * other (a row-numbered comment inside each code block, its own scores), so neither DuckDB nor
 * Parquet's dictionaries can fold repeated strings, and neighbouring rows come from unrelated pool
 * entries, as in a shuffled training set.
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeRlaifJsonl } from '../test/support/generateFile'

/** Bump when the generated content changes, so cached files are rebuilt. */
const GENERATOR_VERSION = 3
const RLAIF_POOL = 4096
const ACE_QUESTIONS = 512
const ACE_COMPLETIONS = 4096
const ACE_MODELS = [
  'codellama_instruct',
  'mistral_instruct_v3',
  'llama3.1_instruct',
  'qwen_coder_2.5',
  'qwen_coder_2.5_32b',
]

/** A generated input file. */
export interface GeneratedFile {
  readonly path: string
  readonly bytes: number
  readonly rows: number
  /** Milliseconds spent generating it in this run (0 when it came from the cache). */
  readonly generateMs: number
}

/**
 * Where the benchmark keeps what it generates (inputs, its web build, its bundle): a tool cache
 * inside node_modules, which git, ESLint and Prettier all leave alone.
 */
export function dataFolder(root: string): string {
  return join(root, 'node_modules', '.cache', 'rewardlens-bench')
}

/** Seeded PRNG (mulberry32), so a seed always gives the same pools. */
function rng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`

/** Runs `make` unless the file exists from a run of this generator version with the same recipe. */
async function cached(
  path: string,
  recipe: string,
  rows: number,
  make: (tmp: string) => Promise<void>,
): Promise<GeneratedFile> {
  const stamp = `${path}.recipe`
  const wanted = `${GENERATOR_VERSION}|${recipe}`
  if (existsSync(path) && existsSync(stamp) && (await readFile(stamp, 'utf8')) === wanted) {
    return { path, bytes: (await stat(path)).size, rows, generateMs: 0 }
  }
  const started = performance.now()
  const tmp = `${path}.partial`
  await rm(tmp, { force: true })
  await make(tmp)
  await rename(tmp, path)
  await writeFile(stamp, wanted)
  return {
    path,
    bytes: (await stat(path)).size,
    rows,
    generateMs: Math.round(performance.now() - started),
  }
}

async function withDuckDB<T>(
  run: (sql: (statement: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    return await run(async (statement) => {
      await connection.run(statement)
    })
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

/** The rows of the code-rlaif shape, as a SELECT over `rlaif_pool`. */
function rlaifSelect(rows: number): string {
  // `hash` is deterministic for a DuckDB version; the pool entry and score offsets come from it.
  return `
    SELECT prompt, language, student_code, teacher_code, student_score, teacher_score,
           student_score / (teacher_score + 1e-6) AS reward, scoring_breakdown, "timestamp"
      FROM (
        SELECT i, p.prompt, p.language,
               regexp_replace(p.student_code, '(\`\`\`[A-Za-z+]*\\n)',
                 '\\1' || (CASE p.language WHEN 'python' THEN '# ' ELSE '// ' END) || 'sample ' || i || chr(10)) AS student_code,
               regexp_replace(p.teacher_code, '(\`\`\`[A-Za-z+]*\\n)',
                 '\\1' || (CASE p.language WHEN 'python' THEN '# ' ELSE '// ' END) || 'reference ' || i || chr(10)) AS teacher_code,
               round(least(1.0, greatest(0.0, p.student_score + ((hash(i, 's') % 21)::INTEGER - 10) / 100.0)), 2) AS student_score,
               round(least(0.99, greatest(0.5, p.teacher_score + ((hash(i, 't') % 11)::INTEGER - 5) / 100.0)), 2) AS teacher_score,
               {'correctness': round(0.2 + (hash(i, 'c') % 21)::INTEGER / 100.0, 2),
                'code_quality': round(0.2 + (hash(i, 'q') % 21)::INTEGER / 100.0, 2),
                'efficiency': round(0.1 + (hash(i, 'e') % 21)::INTEGER / 100.0, 2),
                'documentation': round(0.1 + (hash(i, 'd') % 21)::INTEGER / 100.0, 2)} AS scoring_breakdown,
               strftime(TIMESTAMP '2025-03-03 09:14:07' + to_microseconds(i * 1700000 + (hash(i, 'm') % 1000000)::BIGINT),
                        '%Y-%m-%dT%H:%M:%S.%f') AS "timestamp"
          FROM range(${rows}) t(i)
          JOIN rlaif_pool p ON p.k = (hash(i, 'pick') % ${RLAIF_POOL})::BIGINT
      )
     ORDER BY i`
}

async function rlaifPool(folder: string): Promise<string> {
  const path = join(folder, `pool-rlaif-${RLAIF_POOL}.jsonl`)
  await cached(path, `pool|${RLAIF_POOL}`, RLAIF_POOL, async (tmp) => {
    await writeRlaifJsonl(tmp, RLAIF_POOL, { seed: 42, codeChars: 1000 })
  })
  return path
}

/**
 * Code-rlaif rows (prompt, language, student/teacher code, scores, reward, scoring_breakdown,
 * timestamp) as JSON Lines and, when asked, the same rows as Parquet (written by native DuckDB).
 */
export async function rlaifFiles(
  root: string,
  rows: number,
  formats: readonly ('jsonl' | 'parquet')[],
): Promise<{ jsonl?: GeneratedFile; parquet?: GeneratedFile }> {
  const folder = dataFolder(root)
  await mkdir(folder, { recursive: true })
  const pool = await rlaifPool(folder)
  const out: { jsonl?: GeneratedFile; parquet?: GeneratedFile } = {}
  for (const format of formats) {
    const path = join(folder, `rlaif-${rows}.${format}`)
    const option = format === 'jsonl' ? '(FORMAT json)' : '(FORMAT parquet)'
    out[format] = await cached(path, `rlaif|${rows}|${format}`, rows, (tmp) =>
      withDuckDB(async (sql) => {
        await sql(
          `CREATE TABLE rlaif_pool AS SELECT (row_number() OVER () - 1)::BIGINT AS k, * FROM read_json_auto(${sqlString(pool)})`,
        )
        await sql(`COPY (${rlaifSelect(rows)}) TO ${sqlString(tmp)} ${option}`)
      }),
    )
  }
  return out
}

const WORDS = [
  'list',
  'string',
  'integer',
  'matrix',
  'graph',
  'interval',
  'token',
  'record',
  'queue',
  'window',
  'prefix',
  'balance',
  'path',
  'score',
  'version',
  'bracket',
]

/** AceCode's pools: questions with a function name and ~19 asserts; completions of varied length. */
async function acecodePools(folder: string): Promise<{ questions: string; completions: string }> {
  const questions = join(folder, `pool-ace-questions-${ACE_QUESTIONS}.jsonl`)
  const completions = join(folder, `pool-ace-completions-${ACE_COMPLETIONS}.jsonl`)
  await cached(questions, `aceq|${ACE_QUESTIONS}`, ACE_QUESTIONS, async (tmp) => {
    const r = rng(87)
    const lines: string[] = []
    for (let k = 0; k < ACE_QUESTIONS; k++) {
      const noun = WORDS[Math.floor(r() * WORDS.length)]!
      const other = WORDS[Math.floor(r() * WORDS.length)]!
      const fn = `process_${noun}s_${k}`
      const question =
        `You are tasked with implementing a function that processes a ${noun} of ${other}s. ` +
        `Given the input, return a new ${noun} in which every ${other} keeps its original order, ` +
        `duplicates are removed, and empty values are skipped. The function should handle an empty ` +
        `input by returning an empty result, and must not modify its argument. ` +
        `Implement the following function:\n\n\`\`\`python\ndef ${fn}(items):\n    pass\n\`\`\``
      const tests = Array.from({ length: 17 + Math.floor(r() * 5) }, (_, t) => {
        const items = Array.from({ length: 2 + Math.floor(r() * 5) }, () =>
          String(Math.floor(r() * 100)),
        )
        return `assert ${fn}([${items.join(', ')}]) == [${[...new Set(items)].join(', ')}]${t % 5 === 0 ? '  # keeps order' : ''}`
      })
      lines.push(JSON.stringify({ k, question, test_cases: tests }))
    }
    await writeFile(tmp, `${lines.join('\n')}\n`)
  })
  await cached(completions, `acec|${ACE_COMPLETIONS}`, ACE_COMPLETIONS, async (tmp) => {
    const r = rng(88)
    const body = [
      '    result = []',
      '    seen = set()',
      '    for item in items:',
      '        if item is None or item == "":',
      '            continue',
      '        if item in seen:',
      '            continue',
      '        seen.add(item)',
      '        result.append(item)',
      '    # Keep the original order of the first occurrences',
      '    return result',
      '    return [x for i, x in enumerate(items) if x not in items[:i]]',
      '    output = list(dict.fromkeys(x for x in items if x))',
      '    return output',
    ]
    const lines: string[] = []
    for (let k = 0; k < ACE_COMPLETIONS; k++) {
      // Lengths from ~40 to ~1,100 characters, most around 300, as in the real sample.
      const count = Math.max(1, Math.round(Math.exp(r() * 3.3)))
      const code = ['', `def solve_${k}(items):`]
      if (r() < 0.5) code.push('    """Return the items without duplicates, in order."""')
      for (let i = 0; i < count; i++) code.push(body[Math.floor(r() * body.length)]!)
      if (r() < 0.3) code.push('', '# Tests', `assert solve_${k}([1, 1, 2]) == [1, 2]`)
      lines.push(JSON.stringify({ k, completion: `${code.join('\n')}\n` }))
    }
    await writeFile(tmp, `${lines.join('\n')}\n`)
  })
  return { questions, completions }
}

/**
 * AceCode-87K rows (id, source, question, test_cases, inferences of `completions` items
 * {completion, completion_id, model_name, pass_rate}, context_messages) as JSON Lines.
 */
export async function acecodeFile(
  root: string,
  rows: number,
  completions: number,
): Promise<GeneratedFile> {
  const folder = dataFolder(root)
  await mkdir(folder, { recursive: true })
  const pools = await acecodePools(folder)
  const path = join(folder, `acecode-${rows}x${completions}.jsonl`)
  const perModel = Math.ceil(completions / ACE_MODELS.length)
  const models = `[${ACE_MODELS.map(sqlString).join(', ')}]`
  return cached(path, `acecode|${rows}|${completions}`, rows, (tmp) =>
    withDuckDB(async (sql) => {
      await sql(
        `CREATE TABLE ace_q AS SELECT k, question, test_cases FROM read_json_auto(${sqlString(pools.questions)})`,
      )
      await sql(
        `CREATE TABLE ace_c AS SELECT list(completion ORDER BY k) AS comps FROM read_json_auto(${sqlString(pools.completions)})`,
      )
      await sql(`COPY (
        SELECT 'oss_' || i AS id,
               CASE WHEN hash(i, 'src') % 3 = 0 THEN 'evol' ELSE 'oss' END AS source,
               q.question, q.test_cases,
               list_transform(range(${completions}), lambda j: {
                 'completion': c.comps[1 + (hash(i, j) % ${ACE_COMPLETIONS})::INTEGER] || '# ' || i || '.' || j || '\n',
                 'completion_id': j,
                 'model_name': ${models}[1 + (j // ${perModel})::INTEGER],
                 'pass_rate': CASE WHEN hash(i, j, 'p') % 10 < 5 THEN 1.0
                                   WHEN hash(i, j, 'p') % 10 < 9 THEN 0.0
                                   ELSE round((hash(i, j, 'f') % 19)::INTEGER / 19.0, 4) END
               }) AS inferences,
               [{'content': q.question, 'role': 'user'}] AS context_messages
          FROM range(${rows}) t(i)
          JOIN ace_q q ON q.k = (hash(i, 'q') % ${ACE_QUESTIONS})::BIGINT
          CROSS JOIN ace_c c
         ORDER BY i
      ) TO ${sqlString(tmp)} (FORMAT json)`)
    }),
  )
}

/** One side of a long pair: `lines` lines of code in a language, fenced as a model answers. */
function longCode(language: 'python' | 'cpp', lines: number, seed: number, edit: boolean): string {
  const r = rng(seed)
  // The first line names the pair, so a view showing it can be told from one showing another pair.
  const out: string[] = [`${language === 'python' ? '#' : '//'} generated pair ${seed}`]
  for (let i = 0; out.length < lines; i++) {
    // The second side differs from the first in about one line in 25, and gains and loses a few.
    const changed = edit && r() < 0.04
    if (edit && r() < 0.005) continue
    if (language === 'python') {
      if (i % 12 === 0) out.push(`def step_${i}(values, limit=${i % 17}):`)
      else if (i % 12 === 11) out.push(`    return total_${i - 1}`)
      else
        out.push(
          `    total_${i} = sum(v * ${changed ? i + 1 : i} for v in values if v < limit)  # part ${i % 7}`,
        )
    } else if (i % 12 === 0) out.push(`int step_${i}(const std::vector<int>& values, int limit) {`)
    else if (i % 12 === 11) out.push(`  return total_${i - 1};`, '}')
    else
      out.push(
        `  int total_${i} = std::accumulate(values.begin(), values.end(), ${changed ? i + 1 : i});  // part ${i % 7}`,
      )
    if (edit && r() < 0.005) out.push(language === 'python' ? '    pass' : '  // added')
  }
  return `\`\`\`${language}\n${out.slice(0, lines).join('\n')}\n\`\`\``
}

/** A few rows whose student and teacher code are `lines`-line files that differ here and there. */
export async function diffFile(root: string, lines: number): Promise<GeneratedFile> {
  const folder = dataFolder(root)
  await mkdir(folder, { recursive: true })
  const path = join(folder, `diff-${lines}.jsonl`)
  const languages = ['python', 'python', 'cpp', 'cpp'] as const
  return cached(path, `diff|${lines}`, languages.length, async (tmp) => {
    const rows = languages.map((language, i) => {
      const student = longCode(language, lines, 100 + i, false)
      const teacher = longCode(language, lines, 100 + i, true)
      return JSON.stringify({
        prompt: `Write ${lines} lines of ${language} (pair ${i + 1})`,
        language,
        student_code: student,
        teacher_code: teacher,
        student_score: 0.5,
        teacher_score: 0.9,
        reward: 0.5 / (0.9 + 1e-6),
      })
    })
    await writeFile(tmp, `${rows.join('\n')}\n`)
  })
}
