/**
 * Grouping and matching signatures by LSH banding; `core.ts` is the module the rest of the app
 * imports.
 *
 * A signature's SIGNATURE_SIZE bins are cut into `bands` bands of `rows` bins; two texts are a
 * candidate pair when all the bins of one band agree, which for Jaccard similarity J happens with
 * probability 1 − (1 − J^rows)^bands. `lshBands` takes the most rows per band that still finds
 * LSH_RECALL (99%) of the pairs at the threshold. At the default 0.8 that is 21 bands of 6 rows:
 *
 *   J           0.2     0.3     0.4     0.5    0.6    0.7    0.75   0.8     0.9
 *   candidate   0.001   0.015   0.083   0.28   0.63   0.93   0.984  0.9983  1.0000
 *
 * Every candidate pair is then verified (estimated similarity ≥ threshold), so the banding only
 * costs time, never precision. The work is bounded so that it stays linear in the number of
 * texts whatever they hold (one prompt repeated 100,000 times, or a long shared template):
 * - identical signatures are collapsed first, so a repeated text is one member of its buckets;
 * - in grouping, a band bucket of up to SMALL_BUCKET distinct members compares all its pairs; a
 *   bigger one compares each member with the first unmatched members (its representatives): at
 *   most MAX_REPRESENTATIVES of them, and only FEW_REPRESENTATIVES when the bucket holds more than
 *   LARGE_BUCKET members (a band every templated text shares says little about any two of them);
 * - in matching, a query reads at most MAX_BUCKET_SCAN members of each bucket it falls in, and
 *   verifies at most MAX_VERIFIED of those candidates, the ones sharing the most bands first.
 * A pair missed in one band is usually found in another, so these caps cost recall only when a
 * text's every shared band is crowded.
 */
import { SIGNATURE_SIZE, atLeast, binsNeeded, mix, similarity } from './minhash'

const K = SIGNATURE_SIZE

/** The candidate recall `lshBands` guarantees at the threshold. */
export const LSH_RECALL = 0.99

/** All pairs of a bucket up to this many distinct members are compared. */
const SMALL_BUCKET = 8
/** Members of a bigger bucket are compared with at most this many of its representatives… */
const MAX_REPRESENTATIVES = 8
/** …and of a bucket with more than LARGE_BUCKET members, with this many. */
const FEW_REPRESENTATIVES = 2
const LARGE_BUCKET = 256
/** A query reads at most this many reference signatures of one bucket… */
const MAX_BUCKET_SCAN = 32
/** …and verifies at most this many of all it read. */
const MAX_VERIFIED = 24

/** The texts' groups: `group[i]` is the smallest index in i's group, or -1 when i is alone. */
export interface Groups {
  readonly group: Int32Array
  /** i's estimated similarity to `group[i]`: 1 for the group's first text, 0 when alone. */
  readonly similarity: Float32Array
}

/** For each query text, the most similar reference text at the threshold or above. */
export interface Matches {
  /** The reference index, or -1. */
  readonly match: Int32Array
  readonly similarity: Float32Array
}

/** The banding for a threshold: the most rows per band with candidate recall ≥ LSH_RECALL. */
export function lshBands(threshold: number): { bands: number; rows: number } {
  const t = Math.min(1, Math.max(1e-6, threshold))
  let best = { bands: K, rows: 1 }
  for (let rows = 1; rows <= K; rows++) {
    const bands = Math.floor(K / rows)
    if (1 - (1 - t ** rows) ** bands >= LSH_RECALL) best = { bands, rows }
    else break
  }
  return best
}

/** The hash of band `band` of the signature at `offset`. */
function bandHash(sig: Uint32Array, offset: number, band: number, rows: number): number {
  let h = mix(band + 0x9e3779b9)
  const start = offset + band * rows
  for (let i = start; i < start + rows; i++) h = Math.imul(h ^ sig[i]!, 0x01000193)
  return mix(h)
}

/** Hashes and indices packed into doubles (hash high, index low) and sorted: equal hashes adjoin. */
class SortedHashes {
  readonly keys: Float64Array
  private readonly scale: number
  private readonly shift: number

  constructor(hashes: Uint32Array, count: number) {
    const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)))
    // A double holds 53 bits exactly: past 2^21 texts, hashes lose low bits (more candidates).
    this.shift = Math.max(0, indexBits + 32 - 53)
    this.scale = 2 ** indexBits
    this.keys = new Float64Array(count)
    for (let i = 0; i < count; i++) this.keys[i] = this.hashPart(hashes[i]!) * this.scale + i
    this.keys.sort()
  }

  hashPart(hash: number): number {
    return hash >>> this.shift
  }

  hashAt(position: number): number {
    return Math.floor(this.keys[position]! / this.scale)
  }

  indexAt(position: number): number {
    return this.keys[position]! % this.scale
  }

  /** Calls `visit` with the indices (ascending) of every run of two or more equal hashes. */
  runs(visit: (members: readonly number[]) => void): void {
    const members: number[] = []
    const n = this.keys.length
    let start = 0
    while (start < n) {
      const hash = this.hashAt(start)
      let end = start + 1
      while (end < n && this.hashAt(end) === hash) end++
      if (end - start > 1) {
        members.length = 0
        for (let p = start; p < end; p++) members.push(this.indexAt(p))
        visit(members)
      }
      start = end
    }
  }

  /** The first position whose hash is `hash`, or -1. */
  find(hash: number): number {
    const target = this.hashPart(hash)
    let lo = 0
    let hi = this.keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.hashAt(mid) < target) lo = mid + 1
      else hi = mid
    }
    return lo < this.keys.length && this.hashAt(lo) === target ? lo : -1
  }
}

/** Identical signatures collapsed: the distinct ones by first index, and each text's distinct id. */
interface Distinct {
  /** The first index of each distinct non-empty signature, ascending. */
  readonly first: Int32Array
  /** Each text's distinct id, or -1 for an empty signature. */
  readonly of: Int32Array
}

function sameSignature(sigs: Uint32Array, a: number, b: number): boolean {
  for (let i = 0; i < K; i++) if (sigs[a * K + i] !== sigs[b * K + i]) return false
  return true
}

function collapse(sigs: Uint32Array, count: number): Distinct {
  if (!Number.isInteger(count) || count < 0 || sigs.length < count * K) {
    throw new Error(`Expected ${count} signatures of ${K} values, got ${sigs.length} values`)
  }
  const hashes = new Uint32Array(count)
  for (let i = 0; i < count; i++) {
    let h = 0x811c9dc5
    for (let j = i * K; j < (i + 1) * K; j++) h = Math.imul(h ^ sigs[j]!, 0x01000193)
    hashes[i] = mix(h)
  }
  const firstOf = new Int32Array(count)
  for (let i = 0; i < count; i++) firstOf[i] = i
  const reps: number[] = []
  new SortedHashes(hashes, count).runs((members) => {
    reps.length = 0
    for (const m of members) {
      const same = reps.find((r) => sameSignature(sigs, r, m))
      if (same === undefined) reps.push(m)
      else firstOf[m] = same
    }
  })
  const of = new Int32Array(count)
  const first: number[] = []
  for (let i = 0; i < count; i++) {
    if (sigs[i * K] === 0xffffffff) of[i] = -1
    else if (firstOf[i] === i) of[i] = first.push(i) - 1
    else of[i] = of[firstOf[i]!]!
  }
  return { first: Int32Array.from(first), of }
}

/** Band `band` of every distinct signature, hashed and sorted. */
function bandIndex(
  sigs: Uint32Array,
  first: Int32Array,
  band: number,
  rows: number,
): { hashes: Uint32Array; sorted: SortedHashes } {
  const hashes = new Uint32Array(first.length)
  for (let d = 0; d < first.length; d++) hashes[d] = bandHash(sigs, first[d]! * K, band, rows)
  return { hashes, sorted: new SortedHashes(hashes, first.length) }
}

/** Groups of near-duplicate texts: pairs at `threshold` or above joined transitively. */
export function groupSignatures(signatures: Uint32Array, count: number, threshold: number): Groups {
  const { first, of } = collapse(signatures, count)
  const m = first.length
  const parent = new Int32Array(m)
  for (let d = 0; d < m; d++) parent[d] = d
  const find = (d: number): number => {
    while (parent[d] !== d) {
      parent[d] = parent[parent[d]!]!
      d = parent[d]!
    }
    return d
  }
  const need = binsNeeded(threshold)
  /** Joins x and y when they are similar enough; whether they are (now) in one group. */
  const tryJoin = (x: number, y: number): boolean => {
    const rx = find(x)
    const ry = find(y)
    if (rx === ry) return true
    if (!atLeast(signatures, first[x]! * K, signatures, first[y]! * K, need)) return false
    parent[Math.max(rx, ry)] = Math.min(rx, ry)
    return true
  }
  const { bands, rows } = lshBands(threshold)
  const representatives: number[] = []
  for (let band = 0; band < bands; band++) {
    bandIndex(signatures, first, band, rows).sorted.runs((members) => {
      if (members.length <= SMALL_BUCKET) {
        for (let a = 0; a < members.length; a++) {
          for (let b = a + 1; b < members.length; b++) tryJoin(members[a]!, members[b]!)
        }
        return
      }
      representatives.length = 0
      const most = members.length > LARGE_BUCKET ? FEW_REPRESENTATIVES : MAX_REPRESENTATIVES
      for (const member of members) {
        let joined = false
        for (const rep of representatives) if (tryJoin(rep, member)) joined = true
        if (!joined && representatives.length < most) representatives.push(member)
      }
    })
  }
  // Rows per group, and each group's smallest index (the first row seen with that root).
  const size = new Int32Array(m)
  const smallest = new Int32Array(m).fill(-1)
  for (let i = 0; i < count; i++) {
    const d = of[i]!
    if (d < 0) continue
    const root = find(d)
    size[root]!++
    if (smallest[root] === -1) smallest[root] = i
  }
  const group = new Int32Array(count).fill(-1)
  const sim = new Float32Array(count)
  for (let i = 0; i < count; i++) {
    const d = of[i]!
    if (d < 0) continue
    const root = find(d)
    if (size[root]! < 2) continue
    const g = smallest[root]!
    group[i] = g
    sim[i] = g === i ? 1 : similarity(signatures, i * K, signatures, g * K)
  }
  return { group, similarity: sim }
}

/** For each query text, its most similar reference text at `threshold` or above (ties: first). */
export function matchSignatures(
  reference: Uint32Array,
  referenceCount: number,
  query: Uint32Array,
  queryCount: number,
  threshold: number,
): Matches {
  const ref = collapse(reference, referenceCount)
  const { bands, rows } = lshBands(threshold)
  const index = Array.from(
    { length: bands },
    (_, band) => bandIndex(reference, ref.first, band, rows).sorted,
  )
  const need = binsNeeded(threshold)
  const queries = collapse(query, queryCount)
  const seen = new Int32Array(ref.first.length).fill(-1)
  /** Bands a candidate shares with the query, and the candidates by that count. */
  const shared = new Uint8Array(ref.first.length)
  const candidates: number[] = []
  const bySharing: number[][] = Array.from({ length: bands + 1 }, () => [])
  const bestOf = new Int32Array(queries.first.length).fill(-1)
  const bestSimilarity = new Float32Array(queries.first.length)
  for (let q = 0; q < queries.first.length; q++) {
    const offset = queries.first[q]! * K
    candidates.length = 0
    for (let band = 0; band < bands; band++) {
      const sorted = index[band]!
      const hash = bandHash(query, offset, band, rows)
      let p = sorted.find(hash)
      if (p < 0) continue
      const target = sorted.hashPart(hash)
      for (let read = 0; p < sorted.keys.length && read < MAX_BUCKET_SCAN; p++, read++) {
        if (sorted.hashAt(p) !== target) break
        const d = sorted.indexAt(p)
        if (seen[d] === q) shared[d]!++
        else {
          seen[d] = q
          shared[d] = 1
          candidates.push(d)
        }
      }
    }
    for (const list of bySharing) list.length = 0
    for (const d of candidates) bySharing[shared[d]!]!.push(d)
    let best = -1
    let bestSim = 0
    let verified = 0
    for (let count = bands; count >= 1 && verified < MAX_VERIFIED; count--) {
      for (const d of bySharing[count]!) {
        if (verified++ >= MAX_VERIFIED) break
        const r = ref.first[d]!
        if (!atLeast(reference, r * K, query, offset, need)) continue
        const s = similarity(reference, r * K, query, offset)
        if (s > bestSim || (s === bestSim && r < best)) {
          best = r
          bestSim = s
        }
      }
    }
    bestOf[q] = best
    bestSimilarity[q] = bestSim
  }
  const match = new Int32Array(queryCount).fill(-1)
  const sim = new Float32Array(queryCount)
  for (let i = 0; i < queryCount; i++) {
    const q = queries.of[i]!
    if (q < 0) continue
    match[i] = bestOf[q]!
    sim[i] = bestSimilarity[q]!
  }
  return { match, similarity: sim }
}
