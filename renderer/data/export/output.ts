/**
 * The bytes of an export on their way to the Host: gathered into chunks of a few megabytes, each
 * sent with `writeExport` while the next one fills (one write in flight at a time).
 */
import type { Host } from '../../../shared/host'

/** Bytes gathered before a chunk is sent. */
export const CHUNK_BYTES = 4 * 1024 * 1024

/** Characters of text gathered before they are encoded. */
const TEXT_BYTES = 64 * 1024

const encoder = new TextEncoder()

/** Collects parts of an export and sends them to the Host in large chunks. */
export class ExportOutput {
  private parts: Uint8Array[] = []
  private text = ''
  private size = 0
  private written = 0
  private inFlight: Promise<void> = Promise.resolve()

  constructor(
    private readonly host: Pick<Host, 'writeExport'>,
    private readonly exportId: string,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  /** Bytes handed to the Host so far, and gathered for it. */
  get bytes(): number {
    return this.written + this.size + this.text.length
  }

  /** Adds bytes (kept by reference until the chunk is sent) or text. */
  async add(part: Uint8Array | string): Promise<void> {
    if (typeof part === 'string') {
      this.text += part
      // Text is mostly ASCII: its length is close enough to its size to decide when to send.
      if (this.text.length >= Math.min(TEXT_BYTES, this.chunkBytes)) this.encodeText()
    } else {
      this.encodeText()
      this.parts.push(part)
      this.size += part.length
    }
    if (this.size >= this.chunkBytes) await this.send()
  }

  /** Sends what is gathered and waits until the Host has written everything. */
  async flush(): Promise<void> {
    this.encodeText()
    if (this.size > 0) await this.send()
    await this.inFlight
  }

  private encodeText(): void {
    if (this.text === '') return
    const bytes = encoder.encode(this.text)
    this.text = ''
    this.parts.push(bytes)
    this.size += bytes.length
  }

  private async send(): Promise<void> {
    const chunk = new Uint8Array(this.size)
    let at = 0
    for (const part of this.parts) {
      chunk.set(part, at)
      at += part.length
    }
    this.parts = []
    this.size = 0
    await this.inFlight
    this.written += chunk.length
    this.inFlight = this.host.writeExport(this.exportId, chunk)
    // A failed write is reported by the next send or by flush; never left unhandled meanwhile.
    this.inFlight.catch(() => undefined)
  }
}
