/**
 * Exports in the browser build: chunks gather as Blob parts and become two downloads when the
 * export finishes, the file and then its `.meta.json`.
 *
 * Chromium keeps such blobs in memory and cancels the download of one past about 500 MB, silently
 * (measured: 480 MiB downloads, 568 MiB is cancelled; reading the blob back fails the same way). An
 * export that grows past `MAX_DOWNLOAD_BYTES` stops with a message instead.
 *
 * Nothing is downloaded before the export is complete, so a cancelled export leaves nothing
 * behind; the browser itself never overwrites a download (it asks, or adds a number).
 */
import { type ExportResult, type ExportTarget, HostError } from '../../shared/host'

interface PendingDownload {
  readonly name: string
  readonly parts: BlobPart[]
  bytes: number
}

/** The largest download the browser build hands over (see above). */
export const MAX_DOWNLOAD_BYTES = 480 * 1024 * 1024

/** How long a finished download's object URL stays valid; the browser has read it by then. */
const REVOKE_AFTER_MS = 60_000

/** The type a download gets from its name. */
function mimeType(name: string): string {
  if (name.endsWith('.jsonl')) return 'application/x-ndjson'
  if (name.endsWith('.json')) return 'application/json'
  if (name.endsWith('.csv')) return 'text/csv'
  if (name.endsWith('.parquet')) return 'application/vnd.apache.parquet'
  return 'application/octet-stream'
}

/** Starts a download of a blob under a name, with a temporary `<a download>`. */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS)
}

/** The exports under way in this page, by id. */
export class Downloads {
  private readonly pending = new Map<string, PendingDownload>()
  private nextId = 1

  constructor(private readonly maxBytes = MAX_DOWNLOAD_BYTES) {}

  /** Starts an export that will be downloaded as `name`. */
  begin(name: string): ExportTarget | null {
    const id = `download-${this.nextId++}`
    this.pending.set(id, { name, parts: [], bytes: 0 })
    return { id, name, path: name }
  }

  /**
   * Appends a chunk as a Blob of its own, so the browser can keep the bytes outside the page's heap
   * (and on disk when they grow) instead of the page holding every chunk until the end.
   */
  write(id: string, chunk: Uint8Array): void {
    const pending = this.get(id)
    if (pending.bytes + chunk.length > this.maxBytes) {
      this.pending.delete(id)
      const mb = Math.round(this.maxBytes / 1e6)
      throw new HostError(
        `${pending.name} would be larger than ${mb} MB, more than the browser can download in one piece, so nothing was downloaded. Narrow the filter, choose fewer columns or Parquet (smaller), or export from the desktop app, which writes straight to disk.`,
      )
    }
    pending.parts.push(new Blob([chunk as BlobPart]))
    pending.bytes += chunk.length
  }

  /** Downloads the export and then its provenance record. */
  finish(id: string, meta: string): ExportResult {
    const pending = this.get(id)
    this.pending.delete(id)
    const metaName = `${pending.name}.meta.json`
    download(new Blob(pending.parts, { type: mimeType(pending.name) }), pending.name)
    download(new Blob([meta], { type: 'application/json' }), metaName)
    return { path: pending.name, metaPath: metaName, bytes: pending.bytes }
  }

  /** Drops an export's chunks; nothing is downloaded. Unknown ids are ignored (already dropped). */
  abort(id: string): void {
    this.pending.delete(id)
  }

  private get(id: string): PendingDownload {
    const pending = this.pending.get(id)
    if (!pending)
      throw new HostError(`No export ${id} is in progress: it was finished or cancelled.`)
    return pending
  }
}
