/** Writes generated datasets to disk, streaming, for tests and benchmarks. */
import { createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { once } from 'node:events'
import { rlaifJsonlLines } from '../../scripts/demoData'

/** Writes `rows` synthetic RLAIF rows as JSONL; returns the file size in bytes. */
export async function writeRlaifJsonl(
  path: string,
  rows: number,
  options: { seed?: number; codeChars?: number } = {},
): Promise<number> {
  const out = createWriteStream(path)
  let buffer = ''
  for (const line of rlaifJsonlLines(rows, options)) {
    buffer += `${line}\n`
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain')
      buffer = ''
    }
  }
  out.end(buffer)
  await once(out, 'finish')
  return (await stat(path)).size
}
