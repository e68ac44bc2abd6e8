/**
 * Test re-run results in the browser build: one local-storage entry per dataset, keyed by its
 * path. A cache: an entry that cannot be read is ignored; one too big for the storage is refused
 * with a message, and the results stay in the page until it closes.
 */
import { HostError } from '../../shared/host'
import { type RerunDocument, parseRerunDocument } from '../../shared/rerun'

const KEY_PREFIX = 'rewardlens.rerun:'

/** The results saved in this browser for a dataset, or null. */
export function loadStoredRerun(datasetPath: string): RerunDocument | null {
  try {
    const text = localStorage.getItem(KEY_PREFIX + datasetPath)
    return text === null ? null : parseRerunDocument(JSON.parse(text))
  } catch {
    return null
  }
}

/** Saves a dataset's results in this browser. */
export function storeRerun(datasetPath: string, document: RerunDocument): void {
  try {
    localStorage.setItem(KEY_PREFIX + datasetPath, JSON.stringify(document))
  } catch (error) {
    throw new HostError(
      `this browser's storage refused them (${error instanceof Error ? error.message : String(error)}); they are kept until the page closes`,
    )
  }
}
