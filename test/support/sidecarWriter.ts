/**
 * A child process for the sidecar tests: writes flags sidecars the way the app does, so a test can
 * kill it mid-write or run it as another user. The tests bundle it with esbuild first.
 *
 * Usage: node sidecarWriter.mjs <once|loop> <DatasetSource as JSON> <dataDir>
 * - `once` writes one document and prints the path it went to;
 * - `loop` writes documents 0, 1, 2, ... until it is killed, printing each number once written.
 *
 * Document n is easy to check whole: `dataset.name` is `write <n>`, `dataset.size` the number of
 * flags, and every note starts with the name. Documents run to megabytes, so most of the writer's
 * time is spent writing and a kill tends to land mid-write.
 */
import { writeSidecar } from '../../electron/main/sidecar'
import type { FlagsDocument } from '../../shared/flags'
import type { DatasetSource } from '../../shared/host'

function numbered(n: number): FlagsDocument {
  const name = `write ${n}`
  const count = 100 + (n % 7) * 50
  const note = `${name}|${'x'.repeat(8000)}`
  const flags = Array.from({ length: count }, (_, row) => ({
    row,
    hash: `h${row}`,
    note,
    at: '2026-11-21T12:00:00.000Z',
  }))
  return { version: 1, dataset: { name, size: count }, flags }
}

const [mode, sourceJson = '', dataDir = ''] = process.argv.slice(2)
const source = JSON.parse(sourceJson) as DatasetSource
if (mode === 'once') {
  process.stdout.write((await writeSidecar(source, dataDir, numbered(0))).location)
} else {
  for (let n = 0; ; n++) {
    await writeSidecar(source, dataDir, numbered(n))
    process.stdout.write(`${n}\n`)
  }
}
