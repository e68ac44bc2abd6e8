/** Paths of the team's real data samples, which live beside the repo and are never copied into it. */
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

/** The folder holding ../shared/realdata. */
export const REALDATA = fileURLToPath(new URL('../../../shared/realdata/', import.meta.url))

/** Every real dataset file with the number of rows it holds. */
export const REAL_FILES: readonly { readonly path: string; readonly rows: number }[] = [
  { path: 'code-rlaif/train.jsonl', rows: 600 },
  { path: 'code-rlaif/train_head_prompt_language_only.jsonl', rows: 1000 },
  { path: 'acecode-87k/acecode_sample.jsonl', rows: 1 },
  { path: 'vizhub-rlhf/training-dataset-v1.0.jsonl', rows: 9 },
  { path: 'vizhub-rlhf/grades/ej-fox.csv', rows: 15 },
  { path: 'vizhub-rlhf/results.csv', rows: 90 },
  { path: 'kodcode/KodCode_algorithm_100_1741212598.json', rows: 31 },
  { path: 'kodcode/KodCode_leetcode_100_1741214688.json', rows: 29 },
  { path: 'kodcode/KodCode_prefill_200_1741214325.json', rows: 172 },
  { path: 'kodcode/SFT_KodCode_algorithm_100_1741212598.json', rows: 31 },
]

/** The absolute path of a real data file. */
export function realPath(relative: string): string {
  return join(REALDATA, relative)
}
