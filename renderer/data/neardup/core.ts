/**
 * Near-duplicate detection: texts reduced to MinHash signatures, and signatures grouped by LSH.
 *
 * - A text becomes a set of 32-bit shingle hashes (`textShingles`): character 5-grams of the
 *   normalised prompt, or token 4-grams of the code's tokens (`tokens.ts`).
 * - `signature` is one-permutation MinHash: each shingle is hashed once and lands in one of
 *   `SIGNATURE_SIZE` bins, which keep their minimum; the empty bins of a short text borrow the
 *   value of a bin picked by a fixed probe sequence (optimal densification, Shrivastava 2017), so
 *   the fraction of equal bins of two signatures estimates the Jaccard similarity of their sets.
 * - `groupSignatures` and `matchSignatures` (`lsh.ts`) find candidate pairs by LSH banding
 *   (`lshBands`) and keep those whose estimated similarity reaches the threshold.
 *
 * Only signatures are kept (SIGNATURE_SIZE × 4 bytes per text), never shingle sets, so memory
 * grows with the number of texts, not with their length. Pure: no DOM, no Node.
 */
export { codeTokens, stripFences } from './tokens'
export {
  EMPTY,
  SIGNATURE_SIZE,
  type NearDupKind,
  isEmptySignature,
  normalisePrompt,
  shingleJaccard,
  signature,
  similarity,
  textShingles,
  textSignatures,
} from './minhash'
export {
  LSH_RECALL,
  type Groups,
  type Matches,
  groupSignatures,
  lshBands,
  matchSignatures,
} from './lsh'
