/** Messages between the loader and the ingest worker. */
import type { Decoder } from './decoder'

/**
 * A call of one `Decoder` method. `openParquet` sends the file's size in place of its byte source:
 * the worker asks for the ranges it needs with `ReadRequest`s.
 */
export interface DecoderRequest {
  readonly id: number
  readonly method: keyof Decoder
  readonly args: readonly unknown[]
}

/** The answer to a `DecoderRequest`: its result or an error message. */
export type DecoderResponse =
  | { readonly id: number; readonly result: unknown; readonly error?: undefined }
  | { readonly id: number; readonly error: string; readonly result?: undefined }

/** The worker asks for bytes [start, end) of the open Parquet file. */
export interface ReadRequest {
  readonly readId: number
  readonly start: number
  readonly end: number
}

/** The loader's answer to a `ReadRequest`: the bytes, or why they could not be read. */
export type ReadReply =
  | { readonly readId: number; readonly bytes: Uint8Array; readonly error?: undefined }
  | { readonly readId: number; readonly error: string; readonly bytes?: undefined }

/** What the loader posts to the worker. */
export type ToWorker = DecoderRequest | ReadReply

/** What the worker posts to the loader. */
export type FromWorker = DecoderResponse | ReadRequest

/** The buffers of the byte arrays in a message, so they move instead of being copied. */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const out: ArrayBuffer[] = []
  const visit = (v: unknown) => {
    if (v instanceof Uint8Array) {
      // Only whole buffers can move; a view into a larger buffer is copied instead.
      if (
        v.byteOffset === 0 &&
        v.byteLength === v.buffer.byteLength &&
        v.buffer instanceof ArrayBuffer
      ) {
        if (!out.includes(v.buffer)) out.push(v.buffer)
      }
    } else if (Array.isArray(v)) v.forEach(visit)
    else if (v !== null && typeof v === 'object' && !(v instanceof Blob))
      Object.values(v).forEach(visit)
  }
  visit(value)
  return out
}
