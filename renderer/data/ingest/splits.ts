/**
 * Hugging Face dataset folders: a snapshot holds its splits as shards (`data/train-00000-of-00004.parquet`,
 * `data/test-00000-of-00001.parquet`), as files named after the split (`train.jsonl`), or as
 * folders named after it (`train/0000.parquet`). Opening such a folder offers its splits: one of
 * them, or all of them with a `split` column saying where each row came from.
 */
import type { DatasetFile, DatasetSource } from '../../../shared/host'

/** One split of a folder: its name and its files, in the folder's order. */
export interface SplitInfo {
  readonly name: string
  readonly files: readonly DatasetFile[]
  readonly bytes: number
}

/** Split names a bare file or folder name is taken as (`train.jsonl`, `validation/`). */
const SPLIT_WORDS = new Set(['train', 'test', 'validation', 'valid', 'dev', 'eval', 'evaluation'])

/** `train-00000-of-00004.parquet`, `test-00000-of-00001-5f2c….parquet`: the split before the shard number. */
const SHARD_NAME = /^(.+?)-\d{5}-of-\d{5}(?:-[0-9a-f]+)?\./i

/** The usual order of splits; others follow in the order the folder lists them. */
const ORDER = ['train', 'validation', 'valid', 'dev', 'eval', 'evaluation', 'test']

/** The split one file belongs to, from its name or its folder; null when neither says. */
export function splitOfPath(filePath: string): string | null {
  const parts = filePath.split(/[\\/]/)
  const name = parts.at(-1) ?? ''
  const shard = SHARD_NAME.exec(name)
  if (shard) return shard[1]!
  const stem = name.split('.')[0]!.toLowerCase()
  if (SPLIT_WORDS.has(stem)) return stem
  const folder = (parts.at(-2) ?? '').toLowerCase()
  if (SPLIT_WORDS.has(folder)) return folder
  return null
}

/**
 * The splits of a folder source, or an empty list when it is not laid out in splits: a single
 * file, a folder where some file names no split, or one with a single split.
 */
export function findSplits(source: DatasetSource): SplitInfo[] {
  if (!source.isFolder || source.files.length < 2) return []
  const bySplit = new Map<string, DatasetFile[]>()
  for (const file of source.files) {
    const split = splitOfPath(file.path)
    if (split === null) return []
    bySplit.set(split, [...(bySplit.get(split) ?? []), file])
  }
  if (bySplit.size < 2) return []
  const rank = (name: string) => {
    const at = ORDER.indexOf(name.toLowerCase())
    return at < 0 ? ORDER.length : at
  }
  return [...bySplit.entries()]
    .map(([name, files]) => ({
      name,
      files,
      bytes: files.reduce((sum, file) => sum + file.size, 0),
    }))
    .sort((a, b) => rank(a.name) - rank(b.name))
}

/** True when the person has already chosen among the source's splits. */
export function splitChosen(source: DatasetSource): boolean {
  return source.files.some((file) => file.split !== undefined)
}

/** The choice of every split at once (no split is named `*`). */
export const ALL_SPLITS = '*'

/**
 * The source to load for a choice: one split's files (named `folder · train`), or with
 * `ALL_SPLITS`, every split's files marked with their split, so the loader adds a `split` column.
 */
export function sourceForSplit(
  source: DatasetSource,
  splits: readonly SplitInfo[],
  choice: string,
): DatasetSource {
  if (choice === ALL_SPLITS) {
    const files = splits.flatMap((split) =>
      split.files.map((file) => ({ ...file, split: split.name })),
    )
    return { ...source, files }
  }
  const split = splits.find((s) => s.name === choice)
  if (!split) throw new Error(`${source.name} has no split named ${choice}`)
  return {
    ...source,
    name: `${source.name} · ${split.name}`,
    files: split.files.map((file) => ({ ...file, split: split.name })),
  }
}
