/**
 * Compressed dataset files (`train.jsonl.gz`, `train.jsonl.zst`): streaming decompression with
 * fflate (gzip) and fzstd (Zstandard), one slice of the file at a time, so neither the compressed
 * file nor its text is ever held whole.
 *
 * Every record keeps its offset in the decompressed text (`__rl_offset`), so an export copies the
 * records as the decompressed lines have them: `DecompressedReader` serves those ranges by
 * decompressing forward from the start, once per pass over the file.
 *
 * Bad input is named with what and where: a corrupt stream (fflate's or fzstd's reason, and the
 * compressed bytes it was in), a gzip checksum that does not match, a file cut off before its
 * compressed data ends.
 */
import { Gunzip } from 'fflate'
import { Decompress } from 'fzstd'
import type { Compression } from '../../../shared/host'

/** A compressed file that cannot be decompressed, with what is wrong and where. */
export class CompressedDataError extends Error {
  override readonly name = 'CompressedDataError'
}

const GZIP_MAGIC = [0x1f, 0x8b]
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd]

/** The compression the first bytes show (gzip `1f 8b`, Zstandard `28 b5 2f fd`), or null. */
export function compressionOf(head: Uint8Array): Compression | null {
  if (GZIP_MAGIC.every((b, i) => head[i] === b)) return 'gzip'
  if (ZSTD_MAGIC.every((b, i) => head[i] === b)) return 'zstd'
  return null
}

/** What the compression is called in messages. */
export function compressionName(kind: Compression): string {
  return kind === 'gzip' ? 'gzip' : 'Zstandard'
}

/** Compressed bytes fed to the decompressor at once: an error is placed within this many bytes. */
const SLICE_BYTES = 64 * 1024
/** Decompressed output is handed on in pieces of at least this size (the last one may be less). */
const PIECE_BYTES = 1024 * 1024

const CRC_TABLE = (() => {
  const table = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
})()

/** The CRC-32 of gzip, continued over `bytes` from `crc` (0 to start). */
function crc32(crc: number, bytes: Uint8Array): number {
  let c = ~crc
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

function le32(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
  )
}

const count = (n: number) => n.toLocaleString('en-US')

/** Which file a decompressor reads, for its messages. */
export interface CompressedFile {
  readonly name: string
  /** The compressed file's size in bytes. */
  readonly size: number
  readonly compression: Compression
}

/**
 * Decompresses one file pushed slice by slice. `push` and `finish` return the decompressed text in
 * pieces of about a megabyte, in order; they throw `CompressedDataError` on bad input.
 */
export class Inflater {
  /** Compressed bytes pushed so far. */
  private inBytes = 0
  /** Decompressed bytes produced so far. */
  private outBytes = 0
  /** Line feeds in the decompressed text so far. */
  private lines = 0
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private readonly stream: GzipStream | ZstdStream

  constructor(private readonly file: CompressedFile) {
    const emit = (data: Uint8Array) => this.emit(data)
    this.stream =
      file.compression === 'gzip'
        ? new GzipStream(emit, (reason, at) => this.corrupt(reason, at))
        : new ZstdStream(emit)
  }

  /** Decompresses the next bytes of the file. */
  push(chunk: Uint8Array): Uint8Array[] {
    for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
      this.feed(chunk.subarray(at, Math.min(chunk.length, at + SLICE_BYTES)), false)
    }
    return this.take(false)
  }

  /** Ends the file: checks that the compressed data is complete and returns the last pieces. */
  finish(): Uint8Array[] {
    this.feed(new Uint8Array(0), true)
    return this.take(true)
  }

  private feed(slice: Uint8Array, final: boolean): void {
    const from = this.inBytes
    this.inBytes += slice.length
    try {
      this.stream.push(slice, final, this.inBytes)
    } catch (error) {
      if (error instanceof CompressedDataError) throw error
      const reason = error instanceof Error ? error.message : String(error)
      if (/unexpected EOF/i.test(reason)) throw this.truncated()
      throw this.corrupt(reason, [from, this.inBytes])
    }
  }

  private emit(data: Uint8Array): void {
    if (data.length === 0) return
    for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) this.lines++
    this.outBytes += data.length
    this.pending.push(data)
    this.pendingBytes += data.length
  }

  /** The pending output as pieces of at least PIECE_BYTES (all of it when `final`). */
  private take(final: boolean): Uint8Array[] {
    if (this.pendingBytes === 0 || (!final && this.pendingBytes < PIECE_BYTES)) return []
    const parts = this.pending
    const total = this.pendingBytes
    this.pending = []
    this.pendingBytes = 0
    // Copied into one new buffer: the decompressors may reuse theirs, and a whole buffer can be
    // transferred between threads instead of copied again.
    if (parts.length === 1 && parts[0]!.byteLength === parts[0]!.buffer.byteLength) return parts
    const piece = new Uint8Array(total)
    let at = 0
    for (const part of parts) {
      piece.set(part, at)
      at += part.length
    }
    return [piece]
  }

  private where(): string {
    return `${count(this.outBytes)} bytes decompressed, ${count(this.lines)} complete lines`
  }

  private truncated(): CompressedDataError {
    const { name, size, compression } = this.file
    return new CompressedDataError(
      `${name} ends before its ${compressionName(compression)} data does: the file stops at byte ` +
        `${count(size)} in the middle of the compressed stream (${this.where()} by then). It was ` +
        'probably cut off while being downloaded or copied; fetch it again.',
    )
  }

  private corrupt(reason: string, [from, to]: readonly [number, number]): CompressedDataError {
    const { name, size, compression } = this.file
    return new CompressedDataError(
      `${name} is corrupt: its ${compressionName(compression)} data is invalid (${reason}) in ` +
        `bytes ${count(from)}–${count(to)} of ${count(size)} (${this.where()} before it).`,
    )
  }
}

/**
 * gzip through fflate's streaming Gunzip, which reads one member after another but checks neither
 * the CRC-32 nor the length in each member's trailer: this does, so damage that still inflates is
 * found too. The last 16 compressed bytes seen are kept to read the trailers from.
 */
class GzipStream {
  private readonly gunzip: Gunzip
  private crc = 0
  private size = 0
  /** Where the current member starts in the compressed file. */
  private memberStart = 0
  /** The last compressed bytes pushed, ending at `tailEnd`. */
  private tail = new Uint8Array(0)
  private tailEnd = 0

  constructor(
    private readonly emit: (data: Uint8Array) => void,
    private readonly corrupt: (reason: string, at: [number, number]) => CompressedDataError,
  ) {
    this.gunzip = new Gunzip((data) => {
      this.crc = crc32(this.crc, data)
      this.size += data.length
      emit(data)
    })
    // A new member starts at `offset`: the one before it ends with its trailer.
    this.gunzip.onmember = (offset) => {
      this.checkTrailer(offset)
      this.memberStart = offset
      this.crc = 0
      this.size = 0
    }
  }

  push(slice: Uint8Array, final: boolean, end: number): void {
    const kept = this.tail.subarray(
      Math.max(0, this.tail.length - (SLICE_BYTES * 2 - slice.length)),
    )
    const tail = new Uint8Array(kept.length + slice.length)
    tail.set(kept)
    tail.set(slice, kept.length)
    this.tail = tail
    this.tailEnd = end
    this.gunzip.push(slice, final)
    if (final) this.checkTrailer(end)
  }

  /** Checks the CRC-32 and length of the member that ends at `end` against its trailer. */
  private checkTrailer(end: number): void {
    const at = this.tail.length - (this.tailEnd - end) - 8
    if (at < 0) return
    const crc = le32(this.tail, at)
    const size = le32(this.tail, at + 4)
    if (crc !== this.crc || size !== this.size % 2 ** 32) {
      throw this.corrupt(
        `the checksum in its trailer does not match the ${count(this.size)} bytes it decompresses to`,
        [this.memberStart, end],
      )
    }
  }
}

/** Zstandard through fzstd's streaming decompressor (frames one after another, skippable ones too). */
class ZstdStream {
  private readonly zstd: Decompress

  constructor(emit: (data: Uint8Array) => void) {
    this.zstd = new Decompress((data) => emit(data))
  }

  push(slice: Uint8Array, final: boolean): void {
    this.zstd.push(slice, final)
  }
}

/** Reads bytes [start, end) of a file (the Host's `readBytes`). */
export type ReadRange = (fileId: string, start: number, end: number) => Promise<Uint8Array>

/** A compressed file the loader or an export reads. */
export interface CompressedSource extends CompressedFile {
  readonly id: string
}

/** Compressed bytes read at a time: decompressed, they stay a few megabytes. */
export const COMPRESSED_READ_BYTES = 1024 * 1024

/**
 * The decompressed text of a file, piece by piece, from the start; reading stops when the caller
 * stops asking (the next compressed read overlaps the decompression of the current one).
 */
export async function* decompressedPieces(
  file: CompressedSource,
  read: ReadRange,
): AsyncGenerator<Uint8Array> {
  const inflater = new Inflater(file)
  const readAt = (start: number) =>
    read(file.id, start, Math.min(file.size, start + COMPRESSED_READ_BYTES))
  let next: Promise<Uint8Array> | null = file.size > 0 ? readAt(0) : null
  try {
    for (let start = 0; start < file.size; start += COMPRESSED_READ_BYTES) {
      const chunk = await next!
      const end = Math.min(file.size, start + COMPRESSED_READ_BYTES)
      next = end < file.size ? readAt(end) : null
      if (chunk.length < end - start)
        throw new Error(`${file.name} is shorter than when it was opened; it has changed since`)
      yield* inflater.push(chunk)
    }
    yield* inflater.finish()
  } finally {
    next?.catch(() => undefined)
  }
}

/** The first `bytes` of a compressed file's text (fewer when the text is shorter). */
export async function decompressedHead(
  file: CompressedSource,
  read: ReadRange,
  bytes: number,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let have = 0
  for await (const piece of decompressedPieces(file, read)) {
    parts.push(piece)
    have += piece.length
    if (have >= bytes) break
  }
  const head = new Uint8Array(Math.min(have, bytes))
  let at = 0
  for (const part of parts) {
    if (at >= head.length) break
    head.set(part.subarray(0, head.length - at), at)
    at += part.length
  }
  return head
}

/**
 * Ranges of a compressed file's decompressed text, for exports that copy records as the file has
 * them. Ranges asked in increasing order (an export's are) cost one pass over the file; a range
 * before the last one starts the decompression again from the beginning.
 */
export class DecompressedReader {
  private pieces: AsyncGenerator<Uint8Array> | null = null
  /** Decompressed text kept, starting at `keptStart`. */
  private kept: Uint8Array[] = []
  private keptStart = 0
  private keptEnd = 0
  private done = false

  constructor(
    private readonly file: CompressedSource,
    private readonly read: ReadRange,
  ) {}

  /** Bytes [start, end) of the decompressed text; shorter when the text ends first. */
  async range(start: number, end: number): Promise<Uint8Array> {
    if (this.pieces === null || start < this.keptStart) await this.restart()
    // Drop what lies wholly before `start`.
    while (this.kept.length > 0 && this.keptStart + this.kept[0]!.length <= start) {
      this.keptStart += this.kept.shift()!.length
    }
    while (this.keptEnd < end && !this.done) {
      const next = await this.pieces!.next()
      if (next.done) {
        this.done = true
        break
      }
      if (this.keptEnd + next.value.length <= start) {
        this.keptStart = this.keptEnd += next.value.length
        continue
      }
      this.kept.push(next.value)
      this.keptEnd += next.value.length
    }
    const stop = Math.min(end, this.keptEnd)
    const out = new Uint8Array(Math.max(0, stop - start))
    let at = this.keptStart
    for (const piece of this.kept) {
      const from = Math.max(start, at)
      const to = Math.min(stop, at + piece.length)
      if (to > from) out.set(piece.subarray(from - at, to - at), from - start)
      at += piece.length
      if (at >= stop) break
    }
    return out
  }

  /** Stops reading the file. */
  async close(): Promise<void> {
    await this.pieces?.return(undefined)
    this.pieces = null
  }

  private async restart(): Promise<void> {
    await this.close()
    this.pieces = decompressedPieces(this.file, this.read)
    this.kept = []
    this.keptStart = 0
    this.keptEnd = 0
    this.done = false
  }
}
