/**
 * Paths of the team's real data samples, which live beside the repo and are never copied into it.
 *
 * A checkout without that folder (a fresh clone outside the team's folder layout) skips the tests
 * that read it; `realdataNotice.ts` says so once per run.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { type SuiteAPI, type TestAPI, describe, it } from 'vitest'

/** The folder holding ../shared/realdata. */
export const REALDATA = fileURLToPath(new URL('../../../shared/realdata/', import.meta.url))

/** Whether the real data folder is there; the tests that read it skip when it is not. */
export const HAS_REALDATA = existsSync(REALDATA)

/** `describe` for a suite that reads the real data: skipped when the folder is absent. */
export const describeRealdata: ReturnType<SuiteAPI['skipIf']> = describe.skipIf(!HAS_REALDATA)

/** `it` for a test that reads the real data: skipped when the folder is absent. */
export const itRealdata: ReturnType<TestAPI['skipIf']> = it.skipIf(!HAS_REALDATA)

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
  { path: 'preference-code/correctness-alignment.jsonl', rows: 660 },
  { path: 'leetcode/LeetCodeDataset-v0.3.1-test.jsonl', rows: 228 },
]

/** The absolute path of a real data file. */
export function realPath(relative: string): string {
  return join(REALDATA, relative)
}
