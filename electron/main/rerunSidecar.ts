/**
 * Test re-run results on disk: `train.jsonl` keeps them in `train.jsonl.rewardlens-rerun.json`
 * beside it (a folder inside it, as `.rewardlens-rerun.json`), or, when that folder cannot be
 * written, in the app's data folder under a hash of the dataset's path, as flags do
 * (`sidecar.ts`). They are a cache: a file that cannot be read is ignored (and logged), never an
 * error, and the next run writes a good one.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { HostError } from '../../shared/host'
import type { DatasetSource } from '../../shared/host'
import { RERUN_SIDECAR_SUFFIX, type RerunDocument, parseRerunDocument } from '../../shared/rerun'
import { writeFileAtomic } from './atomicFile'
import { describeFsError } from './grants'

/** Where a dataset's re-run results go, and where they go when its folder cannot be written. */
export function rerunSidecarPaths(
  source: DatasetSource,
  dataDir: string,
): { readonly beside: string; readonly fallback: string } {
  const key = createHash('sha256').update(source.path).digest('hex').slice(0, 32)
  return {
    beside: source.isFolder
      ? path.join(source.path, RERUN_SIDECAR_SUFFIX)
      : `${source.path}${RERUN_SIDECAR_SUFFIX}`,
    fallback: path.join(dataDir, `${key}${RERUN_SIDECAR_SUFFIX}`),
  }
}

async function modifiedAt(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mtimeMs
  } catch {
    return null
  }
}

/** The results saved for a dataset (the newer of the two places), or null. */
export async function readRerunSidecar(
  source: DatasetSource,
  dataDir: string,
): Promise<RerunDocument | null> {
  const paths = rerunSidecarPaths(source, dataDir)
  const [beside, fallback] = await Promise.all([
    modifiedAt(paths.beside),
    modifiedAt(paths.fallback),
  ])
  const file =
    beside === null && fallback === null
      ? null
      : (fallback ?? -1) > (beside ?? -1)
        ? paths.fallback
        : paths.beside
  if (file === null) return null
  try {
    const parsed = parseRerunDocument(JSON.parse(await readFile(file, 'utf8')))
    if (parsed === null) console.warn(`RewardLens: ignored the test results at ${file}: not valid`)
    return parsed
  } catch (error) {
    console.warn(`RewardLens: ignored the test results at ${file}: ${describeFsError(error)}`)
    return null
  }
}

/** Saves a dataset's results atomically, beside it or in the app's data folder. */
export async function writeRerunSidecar(
  source: DatasetSource,
  dataDir: string,
  document: RerunDocument,
): Promise<string> {
  const paths = rerunSidecarPaths(source, dataDir)
  const text = `${JSON.stringify(document)}\n`
  try {
    await writeFileAtomic(paths.beside, text)
    return paths.beside
  } catch (besideError) {
    try {
      await mkdir(path.dirname(paths.fallback), { recursive: true })
      await writeFileAtomic(paths.fallback, text)
      return paths.fallback
    } catch (fallbackError) {
      throw new HostError(
        `Cannot save the test results of ${source.name}: not at ${paths.beside} (${describeFsError(besideError)}) ` +
          `and not at ${paths.fallback} (${describeFsError(fallbackError)})`,
      )
    }
  }
}
