/**
 * Exporting from the browser build: the rust rows of code-rlaif/train.jsonl as JSON Lines (each
 * line the source's own) and as Parquet, both downloaded with their provenance record.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import type { Download, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Session, openFiles, screenshot, startSession } from '../support/browser'
import { describeRealdata, realPath } from '../support/realdata'

const require = createRequire(import.meta.url)
const RLAIF = realPath('code-rlaif/train.jsonl')

let session: Session
let page: Page
const downloads: Download[] = []

beforeAll(async () => {
  session = await startSession()
  page = await session.newPage()
  page.on('download', (download) => downloads.push(download))
  await openFiles(page, RLAIF)
})
afterAll(async () => {
  await session?.close()
})

const dialog = () => page.getByTestId('export-dialog')

/** The downloads that arrive after `action`, once `count` of them have. */
async function downloadsOf(action: () => Promise<void>, count: number): Promise<Download[]> {
  const before = downloads.length
  await action()
  await expect.poll(() => downloads.length - before, { timeout: 60_000 }).toBe(count)
  return downloads.slice(before)
}

async function bytesOf(download: Download): Promise<Buffer> {
  return readFile(await download.path())
}

/** The source's non-blank lines, without their line endings. */
function lines(bytes: Buffer): string[] {
  return bytes
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
}

describeRealdata('exporting the rust rows of code-rlaif/train.jsonl', () => {
  it('shows what will be exported: 180 rows of 600, filter language = rust', async () => {
    await page.locator('[data-testid="language-facet"] [data-value="rust"] input').check()
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe('180 of 600 rows')
    await page.getByTestId('export-button').click()
    await expect
      .poll(() => dialog().getByTestId('export-summary').textContent())
      .toBe('180 rows of 600, filter: language = rust')
    await expect
      .poll(() => dialog().locator('input[name="export-format"]:checked').getAttribute('value'))
      .toBe('jsonl')
    await expect(dialog().getByTestId('export-start').textContent()).resolves.toBe(
      'Export 180 rows…',
    )
    await screenshot(page, 'export-dialog')
  })

  it('downloads 180 lines, each identical to its source line, and the provenance record', async () => {
    const [file, meta] = await downloadsOf(() => dialog().getByTestId('export-start').click(), 2)
    expect(file!.suggestedFilename()).toBe('train.rust.jsonl')
    expect(meta!.suggestedFilename()).toBe('train.rust.jsonl.meta.json')
    const source = await readFile(RLAIF)
    const rust = lines(source).filter(
      (line) => (JSON.parse(line) as { language: string }).language === 'rust',
    )
    const exported = await bytesOf(file!)
    expect(exported.at(-1)).toBe(0x0a)
    const exportedLines = lines(exported)
    expect(exportedLines.length).toBe(180)
    expect(exportedLines).toEqual(rust)
    expect(exported.equals(Buffer.from(`${rust.join('\n')}\n`))).toBe(true)

    const record = JSON.parse((await bytesOf(meta!)).toString('utf8')) as {
      source: { name: string; size: number; files: { sha256: string }[] }
      filter: { description: string; sql: string }
      rows: { exported: number; shown: number; total: number }
      export: { format: string; bytes: number }
      app: { version: string }
    }
    expect(record.source).toMatchObject({ name: 'train.jsonl' })
    expect(record.source.files[0]!.sha256).toBe(createHash('sha256').update(source).digest('hex'))
    expect(record.filter.description).toBe('language = rust')
    expect(record.rows).toEqual({ exported: 180, shown: 180, total: 600 })
    expect(record.export).toMatchObject({ format: 'jsonl', bytes: exported.length })
    expect(record.app.version).toMatch(/^\d+\.\d+\.\d+/)

    const done = dialog().getByTestId('export-done')
    await expect
      .poll(() => done.getByTestId('export-done-path').textContent())
      .toBe('train.rust.jsonl')
    expect(await done.getByTestId('export-done-meta').textContent()).toBe(
      'train.rust.jsonl.meta.json',
    )
    expect(await done.textContent()).toMatch(/Downloaded 180 rows/)
    await screenshot(page, 'export-done')
    await done.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => dialog().count()).toBe(0)
  })

  it('downloads the same rows as ZSTD Parquet with their types', async () => {
    await page.getByTestId('export-button').click()
    await dialog().locator('input[name="export-format"][value="parquet"]').check()
    const [file, meta] = await downloadsOf(() => dialog().getByTestId('export-start').click(), 2)
    expect(file!.suggestedFilename()).toBe('train.rust.parquet')
    expect(meta!.suggestedFilename()).toBe('train.rust.parquet.meta.json')
    const bytes = await bytesOf(file!)
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1')
    const parquet = require('parquet-wasm') as {
      ParquetFile: {
        fromFile(blob: Blob): Promise<{
          metadata(): {
            numRowGroups(): number
            rowGroup(i: number): {
              numRows(): number
              column(i: number): { compression(): number }
            }
          }
        }>
      }
      Compression: { ZSTD: number }
    }
    const file2 = await parquet.ParquetFile.fromFile(new Blob([new Uint8Array(bytes)]))
    const metadata = file2.metadata()
    let rows = 0
    for (let g = 0; g < metadata.numRowGroups(); g++) rows += metadata.rowGroup(g).numRows()
    expect(rows).toBe(180)
    expect(metadata.rowGroup(0).column(0).compression()).toBe(parquet.Compression.ZSTD)
    // The columns keep their types: doubles, a struct of doubles, text.
    const arrow = require('apache-arrow') as {
      tableFromIPC(ipc: Uint8Array): {
        schema: { fields: { name: string; type: { toString(): string } }[] }
      }
    }
    const read = require('parquet-wasm') as {
      readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array }
    }
    const schema = arrow.tableFromIPC(
      read.readParquet(new Uint8Array(bytes)).intoIPCStream(),
    ).schema
    expect(Object.fromEntries(schema.fields.map((f) => [f.name, f.type.toString()]))).toMatchObject(
      {
        prompt: 'Utf8',
        student_score: 'Float64',
        reward: 'Float64',
        scoring_breakdown:
          'Struct<{correctness:Float64, code_quality:Float64, efficiency:Float64, documentation:Float64}>',
      },
    )
    await dialog().getByRole('button', { name: 'Done' }).click()
  })

  it('offers preference pairs with the ties it skips', async () => {
    await page.getByTestId('export-button').click()
    await dialog().locator('input[name="export-format"][value="triplets"]').check()
    await expect
      .poll(() => dialog().getByTestId('export-summary').textContent())
      .toMatch(/^\d+ pairs from 180 units, filter: language = rust$/)
    await expect
      .poll(() => dialog().getByTestId('export-pairs-skipped').textContent())
      .toMatch(/Skipped: \d+ ties, 0 under the minimum gap/)
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog().count()).toBe(0)
  })

  it('writes CSV spreadsheet-safe by default, and as the data says when that is unticked', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'rewardlens-csv-'))
    const file = join(folder, 'formulas.jsonl')
    const rows = [
      { id: 1, note: '=HYPERLINK("http://x","click")' },
      { id: 2, note: 'fine' },
    ]
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
    try {
      await openFiles(page, file)
      await page.getByTestId('export-button').click()
      await dialog().locator('input[name="export-format"][value="csv"]').check()
      const safe = dialog().getByTestId('export-spreadsheet-safe')
      expect(await safe.isChecked()).toBe(true)
      await screenshot(page, 'export-csv-safe')
      const [csv] = await downloadsOf(() => dialog().getByTestId('export-start').click(), 2)
      expect((await bytesOf(csv!)).toString()).toBe(
        'id,note\n1,"\'=HYPERLINK(""http://x"",""click"")"\n2,fine\n',
      )
      await dialog().getByRole('button', { name: 'Done' }).click()
      await page.getByTestId('export-button').click()
      await dialog().locator('input[name="export-format"][value="csv"]').check()
      await dialog().getByTestId('export-spreadsheet-safe').uncheck()
      const [raw] = await downloadsOf(() => dialog().getByTestId('export-start').click(), 2)
      expect((await bytesOf(raw!)).toString()).toBe(
        'id,note\n1,"=HYPERLINK(""http://x"",""click"")"\n2,fine\n',
      )
      await dialog().getByRole('button', { name: 'Done' }).click()
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
