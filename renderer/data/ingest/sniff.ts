/**
 * Decides how to read a file from its name and first bytes, or says plainly why it cannot be read.
 */
import { DATASET_EXTENSIONS, type DatasetFormat, formatFromName } from '../../../shared/host'

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

/** The format's name for messages, e.g. "JSON Lines". */
export function formatName(format: DatasetFormat): string {
  return FORMAT_NAMES[format]
}
