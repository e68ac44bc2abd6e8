/** Messages between the page and the parse worker. */
import type { ParseFacts, ParseRequest } from './types'

/** A batch of answers to parse. */
export interface ParseBatchRequest {
  readonly id: number
  readonly items: readonly ParseRequest[]
}

/** The facts of a batch, in the order asked, or why the worker could not parse it. */
export type ParseBatchResponse =
  | { readonly id: number; readonly facts: readonly ParseFacts[]; readonly cached: number }
  | { readonly id: number; readonly error: string }
