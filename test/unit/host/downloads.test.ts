/**
 * The browser build's exports become downloads. Chromium cancels the download of a blob past about
 * 500 MB without a word, so an export that grows past the limit stops with a message and nothing
 * is downloaded.
 */
import { describe, expect, it } from 'vitest'
import { Downloads, MAX_DOWNLOAD_BYTES } from '../../../renderer/host/downloads'
import { HostError } from '../../../shared/host'

describe('browser downloads', () => {
  it('keeps the limit below the 568 MiB blob Chromium was measured to refuse', () => {
    expect(MAX_DOWNLOAD_BYTES).toBeLessThanOrEqual(480 * 1024 * 1024)
  })

  it('stops an export that grows past the limit, says why, and downloads nothing', () => {
    const downloads = new Downloads(10_000)
    const target = downloads.begin('train.jsonl')!
    downloads.write(target.id, new Uint8Array(6_000))
    let error: unknown
    try {
      downloads.write(target.id, new Uint8Array(6_000))
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(HostError)
    expect((error as Error).message).toMatch(
      /^train\.jsonl would be larger than 0 MB, more than the browser can download in one piece, so nothing was downloaded\. .*desktop app/,
    )
    // The export is gone: finishing it cannot start a download.
    expect(() => downloads.finish(target.id, '{}')).toThrow(/No export download-1 is in progress/)
  })

  it('takes an export up to the limit', () => {
    const downloads = new Downloads(10_000)
    const target = downloads.begin('train.jsonl')!
    downloads.write(target.id, new Uint8Array(6_000))
    expect(() => downloads.write(target.id, new Uint8Array(4_000))).not.toThrow()
    downloads.abort(target.id)
  })
})
