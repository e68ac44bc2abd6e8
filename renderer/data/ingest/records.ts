/**
 * Splits the bytes of a JSON Lines file or a JSON array file into records, chunk by chunk.
 *
 * Splitting works on bytes, not text: UTF-8 never uses ASCII byte values inside a multi-byte
 * character, so newlines, quotes and brackets can be found without decoding, and every record
 * keeps its exact byte offset in the file (used to read full text and to export original lines).
 */

/** One record's bytes and where they are in the file. */
export interface RawRecord {
  /** The record's bytes, without the line ending. Valid only until the next `push`. */
  readonly bytes: Uint8Array
  /** Byte offset of the record in the file. */
  readonly offset: number
  /** 1-based line number where the record starts. */
  readonly line: number
}

/** Splits a byte stream into records. */
export interface RecordSplitter {
  /** Feeds the next chunk; calls `emit` for every record completed by it. */
  push(chunk: Uint8Array, emit: (record: RawRecord) => void): void
  /** Ends the stream; emits the last record if it had no line ending. */
  finish(emit: (record: RawRecord) => void): void
}

const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const TAB = 0x09
const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

/** True for the bytes JSON treats as whitespace. */
function isJsonSpace(byte: number): boolean {
  return byte === SPACE || byte === LF || byte === CR || byte === TAB
}

/** True when the bytes could still turn out to be a UTF-8 byte order mark once more arrive. */
function maybeBomPrefix(bytes: Uint8Array): boolean {
  const bom = [0xef, 0xbb, 0xbf]
  return bytes.length < 3 && bytes.every((b, i) => b === bom[i])
}

/** Length of a UTF-8 byte order mark at the start of the bytes, or 0. */
export function bomLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

/** True when the bytes hold nothing but JSON whitespace. */
export function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (!isJsonSpace(byte)) return false
  return true
}

/**
 * Splits JSON Lines: one record per line, LF or CRLF, with or without a final newline.
 * Blank lines are skipped silently; a UTF-8 BOM at the start of the file is ignored.
 */
export class JsonLinesSplitter implements RecordSplitter {
  private carry: Uint8Array = new Uint8Array(0)
  private carryOffset = 0
  private line = 1
  private started = false

  push(chunk: Uint8Array, emit: (record: RawRecord) => void): void {
    let bytes = concat(this.carry, chunk)
    let base = this.carryOffset
    if (!this.started) {
      if (maybeBomPrefix(bytes)) {
        this.carry = bytes.slice()
        return
      }
      this.started = true
      const bom = bomLength(bytes)
      bytes = bytes.subarray(bom)
      base += bom
    }
    let start = 0
    for (let nl = bytes.indexOf(LF); nl >= 0; nl = bytes.indexOf(LF, start)) {
      this.emitLine(bytes, start, nl, base, emit)
      start = nl + 1
    }
    // Copy the tail so the caller's chunk buffer can be reused or released.
    this.carry = bytes.slice(start)
    this.carryOffset = base + start
  }

  finish(emit: (record: RawRecord) => void): void {
    if (this.carry.length > 0)
      this.emitLine(this.carry, 0, this.carry.length, this.carryOffset, emit)
    this.carry = new Uint8Array(0)
  }

  private emitLine(
    bytes: Uint8Array,
    start: number,
    end: number,
    base: number,
    emit: (record: RawRecord) => void,
  ): void {
    const line = this.line++
    const stop = end > start && bytes[end - 1] === CR ? end - 1 : end
    const record = bytes.subarray(start, stop)
    if (isBlank(record)) return
    emit({ bytes: record, offset: base + start, line })
  }
}

/** What went wrong with the shape of a JSON array file. */
export class JsonShapeError extends Error {
  override readonly name = 'JsonShapeError'
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

/**
 * Splits a JSON array (`[ {...}, {...} ]`, pretty-printed or not) into its elements.
 * Tracks strings and nesting depth byte by byte so elements can span any number of chunks.
 *
 * With `bare`, there is no enclosing array: the file is one or more JSON objects one after the
 * other, each possibly spread over many lines (a pretty-printed object, or concatenated JSON).
 */
export class JsonArraySplitter implements RecordSplitter {
  private carry: Uint8Array = new Uint8Array(0)
  private carryOffset = 0
  private state: 'before' | 'between' | 'element' | 'after'
  private depth = 0
  private inString = false
  private escaped = false
  private line = 1
  private elementLine = 1
  /** Index in the current buffer where the element being read starts. */
  private elementStart = -1
  private sawBom = false

  constructor(private readonly bare = false) {
    this.state = bare ? 'between' : 'before'
  }

  push(chunk: Uint8Array, emit: (record: RawRecord) => void): void {
    let bytes = concat(this.carry, chunk)
    let base = this.carryOffset
    let i = this.carry.length
    if (!this.sawBom) {
      if (maybeBomPrefix(bytes)) {
        this.carry = bytes.slice()
        return
      }
      this.sawBom = true
      const bom = bomLength(bytes)
      bytes = bytes.subarray(bom)
      base += bom
      i = 0
    }
    const length = bytes.length
    for (; i < length; i++) {
      const byte = bytes[i]!
      if (byte === LF) this.line++
      if (this.state === 'element') {
        if (this.inString) {
          if (this.escaped) this.escaped = false
          else if (byte === BACKSLASH) this.escaped = true
          else if (byte === QUOTE) this.inString = false
          continue
        }
        if (byte === QUOTE) this.inString = true
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth++
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          if (this.depth === 0) {
            // The closing bracket of the array ends a scalar element.
            this.emitElement(bytes, i, base, emit)
            this.state = 'after'
          } else if (--this.depth === 0 && this.bare) {
            this.emitElement(bytes, i + 1, base, emit)
            this.state = 'between'
          }
        } else if (byte === COMMA && this.depth === 0) {
          this.emitElement(bytes, i, base, emit)
          this.state = 'between'
        }
        continue
      }
      if (isJsonSpace(byte)) continue
      if (this.state === 'before') {
        if (byte !== OPEN_BRACKET) {
          throw new JsonShapeError('expected a JSON array of objects ([ {...}, {...} ])', this.line)
        }
        this.state = 'between'
      } else if (this.state === 'between') {
        if (this.bare && byte !== OPEN_BRACE) {
          throw new JsonShapeError('expected a JSON object ({...})', this.line)
        }
        if (byte === CLOSE_BRACKET) {
          this.state = 'after'
          continue
        }
        if (byte === COMMA) continue
        this.state = 'element'
        this.elementStart = i
        this.elementLine = this.line
        this.depth = 0
        if (byte === QUOTE) this.inString = true
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth = 1
      } else {
        throw new JsonShapeError('unexpected text after the end of the JSON array', this.line)
      }
    }
    if (this.state === 'element') {
      this.carry = bytes.slice(this.elementStart)
      this.carryOffset = base + this.elementStart
      this.elementStart = 0
    } else {
      this.carry = new Uint8Array(0)
      this.carryOffset = base + length
    }
  }

  finish(emit: (record: RawRecord) => void): void {
    void emit
    if (this.bare) {
      if (this.state === 'element') {
        throw new JsonShapeError(
          'the last JSON object is not closed: the file may be truncated',
          this.elementLine,
        )
      }
      return
    }
    if (this.state === 'before') throw new JsonShapeError('the file holds no JSON array', this.line)
    if (this.state !== 'after') {
      throw new JsonShapeError('the JSON array is not closed: the file may be truncated', this.line)
    }
  }

  private emitElement(
    bytes: Uint8Array,
    end: number,
    base: number,
    emit: (record: RawRecord) => void,
  ): void {
    let stop = end
    while (stop > this.elementStart && isJsonSpace(bytes[stop - 1]!)) stop--
    emit({
      bytes: bytes.subarray(this.elementStart, stop),
      offset: base + this.elementStart,
      line: this.elementLine,
    })
    this.elementStart = -1
  }
}
