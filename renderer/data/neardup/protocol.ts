/**
 * The messages between the page and the near-duplicate worker (`neardup.worker.ts`). Every
 * request carries an id its response repeats; typed arrays in responses are transferred.
 */
import type { NearDupKind } from './core'

/** What the page asks of the worker. */
export type NearDupRequest =
  | {
      readonly id: number
      readonly op: 'signatures'
      readonly kind: NearDupKind
      readonly texts: readonly string[]
      readonly languages: readonly (string | null)[] | null
    }
  | {
      readonly id: number
      readonly op: 'group'
      readonly signatures: Uint32Array
      readonly count: number
      readonly threshold: number
    }
  | {
      readonly id: number
      readonly op: 'match'
      readonly reference: Uint32Array
      readonly referenceCount: number
      readonly query: Uint32Array
      readonly queryCount: number
      readonly threshold: number
    }

/** The worker's answer to one request. */
export type NearDupResponse =
  | { readonly id: number; readonly op: 'signatures'; readonly signatures: Uint32Array }
  | {
      readonly id: number
      readonly op: 'group'
      readonly group: Int32Array
      readonly similarity: Float32Array
    }
  | {
      readonly id: number
      readonly op: 'match'
      readonly match: Int32Array
      readonly similarity: Float32Array
    }
  | { readonly id: number; readonly error: string }
