/**
 * Contamination: the units of the open dataset whose prompt or code is a near-duplicate of a row of
 * a reference set (a benchmark's problems, a test split). The reference file is opened beside the
 * dataset with its own roles, its texts signed like the dataset's, each of the dataset's texts
 * matched to its most similar reference text through the reference's LSH index, and the matches
 * written to the dataset's reference work tables (`nearDupWork(...).ref`) with the reference row
 * and its text, so the reference file can be closed again.
 */
import type { Profile } from '../../../shared/profile'
import { quoteIdent } from '../../../shared/sql'
import type { LoadedDataset } from '../dataset'
import type { Engine } from '../engine'
import { rowsIPC } from '../ingest/ipc'
import { UNIT_COLUMNS as U } from '../profile/units'
import { nearDupWork } from '../relations'
import { type NearDupProgress, type NearDupSignatures, signDataset } from './build'
import type { NearDupService } from './service'

/** How many of the dataset's texts matched a reference text, by kind. */
export interface ReferenceCounts {
  readonly prompt: number | null
  readonly code: number | null
}

/** Forgets the reference matches of a dataset: its reference work tables are emptied. */
export async function clearReference(engine: Engine, table: string): Promise<void> {
  for (const kind of ['prompt', 'code'] as const) {
    await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(nearDupWork(table, kind).ref)}`, 'later')
  }
}

/**
 * Matches a dataset's signed texts against a reference dataset (loaded, with its roles) at
 * `threshold`, replacing the dataset's reference work tables. Answers null when `current` turned
 * false on the way. The reference's own work tables are left for `closeDataset` to drop.
 */
export async function matchReference(
  engine: Engine,
  dataset: LoadedDataset,
  signed: NearDupSignatures,
  reference: { readonly dataset: LoadedDataset; readonly profile: Profile },
  service: NearDupService,
  threshold: number,
  options: { onProgress?: (p: NearDupProgress) => void; current?: () => boolean } = {},
): Promise<ReferenceCounts | null> {
  const current = options.current ?? (() => true)
  const refSigned = await signDataset(engine, reference.dataset, reference.profile, service, {
    ...options,
    keepTexts: true,
  })
  if (!refSigned || !current()) return null
  await clearReference(engine, dataset.table)
  const counts: { prompt: number | null; code: number | null } = { prompt: null, code: null }
  for (const kind of ['prompt', 'code'] as const) {
    const mine = signed[kind]
    const theirs = refSigned[kind]
    if (!mine || !theirs) continue
    const found = await service.match(
      theirs.signatures,
      theirs.count,
      mine.signatures,
      mine.count,
      threshold,
    )
    const hits: number[] = []
    for (let i = 0; i < mine.count; i++) if (found.match[i]! >= 0) hits.push(i)
    const staged = nearDupWork(dataset.table, kind).hits
    await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(staged)}`, 'later')
    await engine.insertArrowIPC(
      staged,
      rowsIPC(
        [
          ['id', 'int'],
          ['ref_id', 'int'],
          ['sim', 'float'],
        ],
        hits.length,
        (k) => [hits[k], found.match[hits[k]!], found.similarity[hits[k]!]],
      ),
      true,
    )
    const refWork = nearDupWork(reference.dataset.table, kind)
    // The reference row shown for a match is the first row holding the matched text.
    await engine.exec(
      `CREATE OR REPLACE TABLE ${quoteIdent(nearDupWork(dataset.table, kind).ref)} AS
         SELECT h.id::INTEGER AS id, r.row::BIGINT AS ref_row, h.sim::FLOAT AS ref_sim, t.t AS ref_text
           FROM ${quoteIdent(staged)} h
           JOIN ${quoteIdent(refWork.texts)} t ON t.id = h.ref_id
           JOIN (SELECT h, min(${U.row}) AS row FROM ${quoteIdent(refWork.units)} GROUP BY h) r
             ON r.h = t.h`,
      'later',
    )
    await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(staged)}`, 'later')
    counts[kind] = hits.length
  }
  return counts
}
