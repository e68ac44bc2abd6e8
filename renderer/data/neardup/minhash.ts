/**
 * MinHash signatures of texts; `core.ts` is the module the rest of the app imports.
 */
import { codeTokens } from './tokens'

/** Hashes (bins) per text. */
export const SIGNATURE_SIZE = 128

/** What a text is: a prompt (prose) or code. */
export type NearDupKind = 'prompt' | 'code'

/** Every bin of the signature of a text without shingles. */
export const EMPTY = 0xffffffff

const K = SIGNATURE_SIZE
const BIN_BITS = 7 // log2(K)
const PROMPT_SHINGLE = 5
const CODE_SHINGLE = 4

/** Murmur3's finaliser: spreads every input bit over the 32 output bits. */
export function mix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** FNV-1a over the UTF-16 code units of `text[start, end)`, mixed. */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return mix(h)
}

/** A prompt as it is compared: lower case, runs of punctuation, symbols and spaces one space. */
export function normalisePrompt(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim()
}

/** The shingle hashes of a text: prompt character 5-grams or code token 4-grams. */
export function textShingles(
  kind: NearDupKind,
  text: string,
  language: string | null,
): Uint32Array {
  if (kind === 'prompt') {
    const t = normalisePrompt(text)
    if (t.length === 0) return new Uint32Array(0)
    if (t.length < PROMPT_SHINGLE) return Uint32Array.of(hashRange(t, 0, t.length))
    const out = new Uint32Array(t.length - PROMPT_SHINGLE + 1)
    for (let i = 0; i < out.length; i++) out[i] = hashRange(t, i, i + PROMPT_SHINGLE)
    return out
  }
  const tokens = codeTokens(text, language)
  if (tokens.length === 0) return new Uint32Array(0)
  const hashes = tokens.map((token) => hashRange(token, 0, token.length))
  const width = Math.min(CODE_SHINGLE, hashes.length)
  const out = new Uint32Array(hashes.length - width + 1)
  for (let i = 0; i < out.length; i++) {
    let h = 0x811c9dc5
    for (let j = 0; j < width; j++) h = Math.imul(h ^ hashes[i + j]!, 0x01000193)
    out[i] = mix(h)
  }
  return out
}

/** The exact Jaccard similarity of two shingle sets (for checks; signatures estimate it). */
export function shingleJaccard(a: Uint32Array, b: Uint32Array): number {
  const sa = new Set(a)
  const sb = new Set(b)
  if (sa.size === 0 || sb.size === 0) return 0
  let both = 0
  for (const h of sa) if (sb.has(h)) both++
  return both / (sa.size + sb.size - both)
}

/**
 * The bins an empty bin borrows from, in order (`PROBES[bin * MAX_PROBES + attempt]`): a fixed
 * pseudo-random sequence per bin, the same for every text, so two texts whose sets agree borrow
 * the same values. After MAX_PROBES misses the next filled bin to the right is taken.
 */
const MAX_PROBES = 512
const PROBES = (() => {
  const probes = new Uint8Array(K * MAX_PROBES)
  for (let bin = 0; bin < K; bin++) {
    for (let attempt = 0; attempt < MAX_PROBES; attempt++) {
      probes[bin * MAX_PROBES + attempt] =
        mix(Math.imul(bin + 1, 0x9e3779b1) ^ mix(attempt + 1)) & (K - 1)
    }
  }
  return probes
})()
const SIGNATURE_SEED = 0x5bd1e995
const filled = new Uint8Array(K)

/** The MinHash signature of a shingle set (SIGNATURE_SIZE values; all EMPTY for no shingles). */
export function signature(shingles: Uint32Array, out?: Uint32Array): Uint32Array {
  const sig = out ?? new Uint32Array(K)
  sig.fill(EMPTY, 0, K)
  if (shingles.length === 0) return sig
  for (let i = 0; i < shingles.length; i++) {
    const h = mix(shingles[i]! ^ SIGNATURE_SEED)
    const bin = h & (K - 1)
    const value = h >>> BIN_BITS
    if (value < sig[bin]!) sig[bin] = value
  }
  let empty = 0
  for (let bin = 0; bin < K; bin++) {
    filled[bin] = sig[bin] === EMPTY ? 0 : 1
    if (!filled[bin]) empty++
  }
  if (empty === 0) return sig
  for (let bin = 0; bin < K; bin++) {
    if (filled[bin]) continue
    let from = -1
    for (let attempt = 0; attempt < MAX_PROBES && from < 0; attempt++) {
      const probe = PROBES[bin * MAX_PROBES + attempt]!
      if (filled[probe]) from = probe
    }
    for (let step = 1; from < 0; step++) {
      const probe = (bin + step) & (K - 1)
      if (filled[probe]) from = probe
    }
    sig[bin] = sig[from]!
  }
  return sig
}

/** Whether the signature at `offset` is that of a text without shingles. */
export function isEmptySignature(sig: Uint32Array, offset = 0): boolean {
  return sig[offset] === EMPTY
}

/** The estimated Jaccard similarity of two signatures: the share of equal bins (0 if one is empty). */
export function similarity(
  a: Uint32Array,
  aOffset: number,
  b: Uint32Array,
  bOffset: number,
): number {
  if (a[aOffset] === EMPTY || b[bOffset] === EMPTY) return 0
  let equal = 0
  for (let i = 0; i < K; i++) if (a[aOffset + i] === b[bOffset + i]) equal++
  return equal / K
}

/** Whether two non-empty signatures have at least `need` equal bins; stops once they cannot. */
export function atLeast(
  a: Uint32Array,
  aOffset: number,
  b: Uint32Array,
  bOffset: number,
  need: number,
): boolean {
  let misses = K - need
  for (let i = 0; i < K; i++) {
    if (a[aOffset + i] !== b[bOffset + i] && --misses < 0) return false
  }
  return true
}

/** The equal bins a similarity of `threshold` needs. */
export const binsNeeded = (threshold: number) => Math.max(1, Math.ceil(threshold * K - 1e-9))

/** The signatures of many texts, SIGNATURE_SIZE per text, in order. */
export function textSignatures(
  kind: NearDupKind,
  texts: readonly string[],
  languages: readonly (string | null)[] | null,
): Uint32Array {
  const out = new Uint32Array(texts.length * K)
  for (let i = 0; i < texts.length; i++) {
    const shingles = textShingles(kind, texts[i] ?? '', languages?.[i] ?? null)
    signature(shingles, out.subarray(i * K, (i + 1) * K))
  }
  return out
}
