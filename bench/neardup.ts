/**
 * Near-duplicates in the benchmark: a generated file of programming problems with planted
 * near-duplicates (test/fixtures/nearDuplicates.ts, 100,000 rows; 20,000 in the quick run), its
 * prompts' and code's signatures and groups computed by the app's core in this process, and the
 * LSH checked against exact Jaccard similarity of the shingle sets:
 *
 * - recall: of the pairs whose exact Jaccard is at the threshold or above (all pairs among a
 *   sample of 2,000 rows, and every planted pair), the share that ended in one group;
 * - false groups: groups holding rows of two planted families (or unrelated rows), split into
 *   those where some such pair really is at the threshold (the generator wrote two near-identical
 *   problems by chance) and those where none is (the estimate erred near the threshold).
 *
 * There is no goal for these figures in issue #23's table: they are printed, not judged.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import {
  type NearDupKind,
  SIGNATURE_SIZE,
  groupSignatures,
  lshBands,
  textShingles,
} from '../renderer/data/neardup/core'
import { inProcessNearDupService } from '../renderer/data/neardup/service'
import { plantedNearDuplicates } from '../test/fixtures/nearDuplicates'

const THRESHOLD = 0.8
const SAMPLE = 2000

/** The process's memory after a full garbage collection (what is kept, not what was passing). */
function memory(): NodeJS.MemoryUsage {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
  return process.memoryUsage()
}

/** What the benchmark measured for one kind of text. */
export interface NearDupKindFigures {
  readonly signaturesMs: number
  readonly groupMs: number
  readonly groups: number
  readonly groupedRows: number
  /** Pairs at exact Jaccard ≥ threshold (sample pairs and planted pairs) and how many were grouped. */
  readonly exactPairs: number
  readonly exactPairsGrouped: number
  readonly recall: number
  /** The same at exact Jaccard ≥ threshold + 0.05, away from the estimate's noise. */
  readonly recallAbove: number
  readonly plantedPairs: number
  readonly plantedGrouped: number
  /** Planted pairs by exact Jaccard: < 0.7, 0.7–0.8, 0.8–0.9, 0.9–1, 1. */
  readonly plantedJaccard: readonly number[]
  readonly mixedGroups: number
  /** Mixed groups in which no pair of different families reaches the threshold exactly. */
  readonly falseGroups: number
  /** The highest exact Jaccard of any pair of different families in those false groups. */
  readonly falseGroupsMaxJaccard: number
}

/** What the near-duplicate bench measured. */
export interface NearDupFigures {
  readonly rows: number
  readonly generateMs: number
  readonly threshold: number
  readonly bands: number
  readonly rowsPerBand: number
  readonly signatureBytes: number
  /** Process memory kept (after a full collection) by both kinds' signatures and groups. */
  readonly rssDeltaBytes: number
  readonly heapDeltaBytes: number
  readonly arrayBufferDeltaBytes: number
  /** The process's highest RSS so far (the generated file and the rest of the bench included). */
  readonly peakRssBytes: number
  readonly checkMs: number
  readonly prompt: NearDupKindFigures
  readonly code: NearDupKindFigures
  /** Contamination: the first fifth of the prompts as the reference, every prompt as a query. */
  readonly match: {
    readonly referenceRows: number
    readonly ms: number
    readonly matchedRows: number
    /** Planted prompt copies after the reference whose original is in it, and how many matched it. */
    readonly plantedCopies: number
    readonly plantedMatched: number
  }
}

/** A text's shingle set, sorted and without repeats. */
function shingleSet(kind: NearDupKind, text: string): Uint32Array {
  const sorted = textShingles(kind, text, 'python').sort()
  let n = 0
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!
  return sorted.subarray(0, n)
}

/** The exact Jaccard similarity of two sorted sets, by merging them. */
function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0
  let i = 0
  let j = 0
  let both = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      both++
      i++
      j++
    } else if (a[i]! < b[j]!) i++
    else j++
  }
  return both / (a.length + b.length - both)
}

/** Checks one kind's groups against exact Jaccard similarity. */
function check(
  kind: NearDupKind,
  texts: readonly string[],
  group: Int32Array,
  planted: readonly [number, number][],
): Omit<NearDupKindFigures, 'signaturesMs' | 'groupMs' | 'groups' | 'groupedRows'> {
  const sets = new Map<number, Uint32Array>()
  const set = (i: number) => {
    let s = sets.get(i)
    if (!s) sets.set(i, (s = shingleSet(kind, texts[i]!)))
    return s
  }
  const together = (a: number, b: number) => group[a] !== -1 && group[a] === group[b]
  const exact = new Map<string, number>()
  const step = Math.max(1, Math.floor(texts.length / SAMPLE))
  const sample = Array.from({ length: Math.min(SAMPLE, texts.length) }, (_, k) => k * step)
  for (let x = 0; x < sample.length; x++) {
    const a = sample[x]!
    for (let y = x + 1; y < sample.length; y++) {
      const b = sample[y]!
      const sa = set(a)
      const sb = set(b)
      // Jaccard is at most the smaller size over the larger.
      if (Math.min(sa.length, sb.length) < THRESHOLD * Math.max(sa.length, sb.length)) continue
      const j = jaccard(sa, sb)
      if (j >= THRESHOLD) exact.set(`${a},${b}`, j)
    }
  }
  const plantedJaccard = [0, 0, 0, 0, 0]
  for (const [a, b] of planted) {
    const j = jaccard(set(a), set(b))
    plantedJaccard[j < 0.7 ? 0 : j < 0.8 ? 1 : j < 0.9 ? 2 : j < 1 ? 3 : 4]!++
    if (j >= THRESHOLD) exact.set(`${a},${b}`, j)
  }
  let grouped = 0
  let above = 0
  let aboveGrouped = 0
  for (const [key, j] of exact) {
    const [a, b] = key.split(',').map(Number) as [number, number]
    const hit = together(a, b)
    if (hit) grouped++
    if (j >= THRESHOLD + 0.05) {
      above++
      if (hit) aboveGrouped++
    }
  }
  // Families: an original and its copies of this kind; every other row is its own.
  const family = texts.map((_, i) => i)
  for (const [a, b] of planted) family[b] = family[a]!
  const members = new Map<number, number[]>()
  group.forEach((g, i) => {
    if (g !== -1) members.set(g, [...(members.get(g) ?? []), i])
  })
  let mixedGroups = 0
  let falseGroups = 0
  let falseGroupsMaxJaccard = 0
  for (const rows of members.values()) {
    if (new Set(rows.map((i) => family[i])).size < 2) continue
    mixedGroups++
    let best = 0
    const some = rows.slice(0, 40)
    for (let x = 0; x < some.length; x++) {
      for (let y = x + 1; y < some.length; y++) {
        if (family[some[x]!] !== family[some[y]!])
          best = Math.max(best, jaccard(set(some[x]!), set(some[y]!)))
      }
    }
    if (best < THRESHOLD) {
      falseGroups++
      falseGroupsMaxJaccard = Math.max(falseGroupsMaxJaccard, best)
    }
  }
  return {
    exactPairs: exact.size,
    exactPairsGrouped: grouped,
    recall: exact.size === 0 ? 1 : grouped / exact.size,
    recallAbove: above === 0 ? 1 : aboveGrouped / above,
    plantedPairs: planted.length,
    plantedGrouped: planted.filter(([a, b]) => together(a, b)).length,
    plantedJaccard,
    mixedGroups,
    falseGroups,
    falseGroupsMaxJaccard,
  }
}

/** Generates the file, computes both kinds' signatures and groups, and checks them. */
export async function nearDupBench(quick: boolean): Promise<NearDupFigures> {
  const rows = quick ? 20_000 : 100_000
  let started = performance.now()
  const fixture = plantedNearDuplicates({ rows })
  const generateMs = performance.now() - started
  const texts = {
    prompt: fixture.rows.map((row) => String(row.prompt)),
    code: fixture.rows.map((row) => String(row.code)),
  }
  const languages = fixture.rows.map((row) => String(row.language))
  const before = memory()
  const timed: Record<
    NearDupKind,
    { signatures: Uint32Array; group: Int32Array; signaturesMs: number; groupMs: number }
  > = {} as never
  for (const kind of ['prompt', 'code'] as const) {
    started = performance.now()
    const signatures = await inProcessNearDupService.signatures(
      kind,
      texts[kind],
      kind === 'code' ? languages : null,
    )
    const signaturesMs = performance.now() - started
    started = performance.now()
    const { group } = await inProcessNearDupService.group(signatures, rows, THRESHOLD)
    timed[kind] = { signatures, group, signaturesMs, groupMs: performance.now() - started }
  }
  const after = memory()
  started = performance.now()
  const figures = (kind: NearDupKind, planted: readonly [number, number][]): NearDupKindFigures => {
    const { group, signaturesMs, groupMs } = timed[kind]
    return {
      signaturesMs,
      groupMs,
      groups: new Set(group.filter((g) => g !== -1)).size,
      groupedRows: group.filter((g) => g !== -1).length,
      ...check(kind, texts[kind], group, planted),
    }
  }
  const prompt = figures('prompt', fixture.promptPairs)
  const code = figures('code', fixture.codePairs)
  const checkMs = performance.now() - started
  const referenceRows = Math.floor(rows / 5)
  started = performance.now()
  const { match } = await inProcessNearDupService.match(
    timed.prompt.signatures.subarray(0, referenceRows * SIGNATURE_SIZE),
    referenceRows,
    timed.prompt.signatures,
    rows,
    THRESHOLD,
  )
  const matchMs = performance.now() - started
  const copies = fixture.promptPairs.filter(([a, b]) => a < referenceRows && b >= referenceRows)
  const { bands, rows: rowsPerBand } = lshBands(THRESHOLD)
  // Grouping again must give the same answer: the core has no hidden state.
  const again = groupSignatures(timed.prompt.signatures, rows, THRESHOLD).group
  if (again.some((g, i) => g !== timed.prompt.group[i]))
    throw new Error('Grouping twice gave two answers')
  return {
    rows,
    generateMs,
    threshold: THRESHOLD,
    bands,
    rowsPerBand,
    signatureBytes: timed.prompt.signatures.byteLength + timed.code.signatures.byteLength,
    rssDeltaBytes: after.rss - before.rss,
    heapDeltaBytes: after.heapUsed - before.heapUsed,
    arrayBufferDeltaBytes: after.arrayBuffers - before.arrayBuffers,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    checkMs,
    prompt,
    code,
    match: {
      referenceRows,
      ms: matchMs,
      matchedRows: match.filter((m) => m !== -1).length,
      plantedCopies: copies.length,
      plantedMatched: copies.filter(([a, b]) => match[b] === a).length,
    },
  }
}

/** The figures as the bench prints them. */
export function nearDupText(f: NearDupFigures): string {
  const n = (x: number) => x.toLocaleString('en-US')
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  const kind = (name: string, k: NearDupKindFigures) =>
    [
      `  ${name}: signatures ${s(k.signaturesMs)}, groups ${s(k.groupMs)}; ${n(k.groups)} groups holding ${n(k.groupedRows)} rows`,
      `    recall at exact Jaccard ≥ ${f.threshold}: ${pct(k.recall)} (${n(k.exactPairsGrouped)} of ${n(k.exactPairs)} pairs: all pairs of a 2,000-row sample and the planted pairs); at ≥ ${(f.threshold + 0.05).toFixed(2)}: ${pct(k.recallAbove)}`,
      `    planted pairs grouped: ${n(k.plantedGrouped)} of ${n(k.plantedPairs)} (${pct(k.plantedGrouped / Math.max(1, k.plantedPairs))}); their exact Jaccard <0.7 / 0.7–0.8 / 0.8–0.9 / 0.9–1 / 1: ${k.plantedJaccard.join(' / ')}`,
      `    groups mixing planted families or unrelated rows: ${n(k.mixedGroups)}, of which ${n(k.falseGroups)} with no pair at exact Jaccard ≥ ${f.threshold}${k.falseGroups > 0 ? ` (their closest such pair: ${k.falseGroupsMaxJaccard.toFixed(3)})` : ''}`,
    ].join('\n')
  return [
    `Near-duplicates of ${n(f.rows)} generated rows (prompt and Python code, ~10% planted copies), threshold ${f.threshold}, LSH ${f.bands} bands × ${f.rowsPerBand} rows of ${SIGNATURE_SIZE}, in this process (file generated in ${s(f.generateMs)}):`,
    kind('prompts', f.prompt),
    kind('code', f.code),
    `  contamination: the first ${n(f.match.referenceRows)} prompts as the reference, all ${n(f.rows)} as queries: ${s(f.match.ms)}; ${n(f.match.matchedRows)} rows matched; planted copies of a reference prompt matched to it: ${n(f.match.plantedMatched)} of ${n(f.match.plantedCopies)}`,
    `  memory: signatures ${mb(f.signatureBytes)} (${SIGNATURE_SIZE * 4} bytes a text); kept after both kinds (after a full GC): RSS +${mb(f.rssDeltaBytes)}, array buffers +${mb(f.arrayBufferDeltaBytes)}, JS heap +${mb(f.heapDeltaBytes)}; the process's peak RSS ${mb(f.peakRssBytes)} (the generated file included)`,
    `  (the exact-Jaccard check took ${s(f.checkMs)}; no goal in issue #23's table, printed only)`,
  ].join('\n')
}
