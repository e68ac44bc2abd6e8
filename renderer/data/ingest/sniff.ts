/**
 * Decides how to read a file from its name and first bytes, or says plainly why it cannot be read.
 */
import {
  type Compression,
  DATASET_EXTENSIONS,
  type DatasetFormat,
  compressionFromName,
  formatFromName,
  uncompressedName,
} from '../../../shared/host'
import { compressionName, compressionOf } from './compressed'

/** How many leading bytes `sniffFormat` wants to see. */
export const SNIFF_BYTES = 64 * 1024

/** A file RewardLens will not open, with the reason in words a person understands. */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError'
}

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31] // "PAR1"

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b)
}

/** True when the bytes end with the Parquet footer magic. */
export function endsWithParquetMagic(bytes: Uint8Array): boolean {
  const n = bytes.length
  return n >= 4 && PARQUET_MAGIC.every((b, i) => bytes[n - 4 + i] === b)
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? '' : name.slice(dot).toLowerCase()
}

const FORMAT_NAMES: Readonly<Record<DatasetFormat, string>> = {
  jsonl: 'JSON Lines',
  json: 'JSON',
  parquet: 'Parquet',
  csv: 'CSV',
}

/**
 * The format to read a file as.
 *
 * Content wins over the name where it is unambiguous (a Parquet file named `.jsonl` is read as
 * Parquet); otherwise the extension decides, and text formats must look like text.
 */
export function sniffFormat(name: string, size: number, head: Uint8Array): DatasetFormat {
  if (size === 0) throw new UnreadableFileError(`${name} is empty (0 bytes).`)
  if (startsWith(head, PARQUET_MAGIC)) return 'parquet'
  const format = formatFromName(name)
  if (format === null) {
    const ext = extensionOf(name)
    const known = DATASET_EXTENSIONS.map((e) => `.${e}`).join(', ')
    throw new UnreadableFileError(
      `RewardLens cannot open ${ext ? `${ext} files` : 'files without an extension'} (${name}). ` +
        `It opens ${known}.`,
    )
  }
  if (format === 'parquet') {
    throw new UnreadableFileError(
      `${name} is not a Parquet file: it does not start with the Parquet marker "PAR1".`,
    )
  }
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    throw new UnreadableFileError(
      `${name} is UTF-16 text; RewardLens reads UTF-8. Save it as UTF-8 and open it again.`,
    )
  }
  const probe = head.subarray(0, 8192)
  if (probe.includes(0)) {
    throw new UnreadableFileError(
      `${name} is a binary file, not ${FORMAT_NAMES[format]} text (it contains NUL bytes).`,
    )
  }
  return format
}

/**
 * How a file is compressed, from its first bytes (which win over its name), or null for a plain
 * file. A name that promises compression the bytes do not have is refused.
 */
export function sniffCompression(name: string, head: Uint8Array): Compression | null {
  const found = compressionOf(head)
  if (found !== null) return found
  const named = compressionFromName(name)
  if (named === null) return null
  const marker = named === 'gzip' ? '1f 8b' : '28 b5 2f fd'
  throw new UnreadableFileError(
    `${name} is named as ${compressionName(named)}-compressed but is not: it does not start with ` +
      `the ${compressionName(named)} marker (${marker}).`,
  )
}

const TEXT_FORMAT_NAMES: Readonly<Record<string, DatasetFormat>> = { '[': 'json', '{': 'jsonl' }

/**
 * The format of a compressed file's content, from its name without the compression extension
 * (`train.jsonl.gz` → JSON Lines) or, for a bare `data.gz`, from the decompressed text itself.
 * Says plainly when it holds something RewardLens does not read.
 */
export function sniffCompressedFormat(
  name: string,
  compression: Compression,
  head: Uint8Array,
): DatasetFormat {
  const kind = compressionName(compression)
  if (head.length === 0) throw new UnreadableFileError(`${name} is empty once decompressed.`)
  if (startsWith(head, PARQUET_MAGIC) || formatFromName(name) === 'parquet') {
    throw new UnreadableFileError(
      `${name} is a ${kind}-compressed Parquet file, which cannot be read by range. Parquet ` +
        'compresses its own pages: decompress the file and open the .parquet inside.',
    )
  }
  const inner = uncompressedName(name)
  const what = innerKind(head)
  if (what !== null) {
    throw new UnreadableFileError(
      `${name} holds ${what}, not a dataset file; RewardLens opens one compressed .jsonl, .json ` +
        'or .csv file. Unpack it and open the dataset inside.',
    )
  }
  if (formatFromName(name) === null && extensionOf(inner) === '') {
    // A bare `data.gz`: the text decides between JSON and JSON Lines.
    const first = new TextDecoder().decode(head.subarray(0, 4096)).trimStart()[0] ?? ''
    const format = TEXT_FORMAT_NAMES[first]
    if (format === undefined || head.subarray(0, 8192).includes(0)) {
      throw new UnreadableFileError(
        `${name} holds ${kind}-compressed data that is neither JSON nor JSON Lines; name it ` +
          'after what it holds (data.csv.gz, data.jsonl.gz) if it is a dataset.',
      )
    }
    return format
  }
  if (formatFromName(name) === null) {
    throw new UnreadableFileError(
      `${name} holds a ${extensionOf(inner)} file (${inner}), which RewardLens cannot open; ` +
        `compressed, it opens .jsonl, .json and .csv.`,
    )
  }
  return sniffFormat(name, head.length, head)
}

/** What an archive or a doubly compressed file holds, in words, or null for anything else. */
function innerKind(head: Uint8Array): string | null {
  const ustar = [0x75, 0x73, 0x74, 0x61, 0x72] // "ustar" at byte 257 of a tar header
  if (ustar.every((b, i) => head[257 + i] === b)) return 'a tar archive'
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'a zip archive'
  const nested = compressionOf(head)
  if (nested !== null) return `another ${compressionName(nested)}-compressed file`
  return null
}

/** The format's name for messages, e.g. "JSON Lines". */
export function formatName(format: DatasetFormat): string {
  return FORMAT_NAMES[format]
}
