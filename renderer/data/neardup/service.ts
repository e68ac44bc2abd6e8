/**
 * Near-duplicate detection as a service: the page runs it in a worker (`client.ts`), Node tests
 * and the benchmark in the calling thread (`inProcessNearDupService`). Same core, same answers.
 */
import {
  type Groups,
  type Matches,
  type NearDupKind,
  groupSignatures,
  matchSignatures,
  textSignatures,
} from './core'

/** Signatures, groups and reference matches of texts. */
export interface NearDupService {
  /** Signatures of the texts, SIGNATURE_SIZE per text, in order. */
  signatures(
    kind: NearDupKind,
    texts: readonly string[],
    languages: readonly (string | null)[] | null,
  ): Promise<Uint32Array>
  /** Groups of near-duplicates among `count` signatures at `threshold` (estimated Jaccard). */
  group(signatures: Uint32Array, count: number, threshold: number): Promise<Groups>
  /** For each query signature, its most similar reference signature at `threshold` or above. */
  match(
    reference: Uint32Array,
    referenceCount: number,
    query: Uint32Array,
    queryCount: number,
    threshold: number,
  ): Promise<Matches>
}

/** The core in the calling thread (Node tests, the benchmark). */
export const inProcessNearDupService: NearDupService = {
  signatures: (kind, texts, languages) =>
    Promise.resolve().then(() => textSignatures(kind, texts, languages)),
  group: (signatures, count, threshold) =>
    Promise.resolve().then(() => groupSignatures(signatures, count, threshold)),
  match: (reference, referenceCount, query, queryCount, threshold) =>
    Promise.resolve().then(() =>
      matchSignatures(reference, referenceCount, query, queryCount, threshold),
    ),
}
