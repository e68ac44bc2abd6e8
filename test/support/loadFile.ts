/** Loads files from disk into a real DuckDB-WASM engine with the app's own loader. */
import { DecoderCore } from '../../renderer/data/ingest/decoder'
import type { LoadedDataset } from '../../renderer/data/dataset'
import { type LoadDeps, loadDataset } from '../../renderer/data/load'
import type { Engine } from '../../renderer/data/engine'
import type { DatasetSource } from '../../shared/host'
import { fileSource, readFileBytes } from './fileSource'
import { nodeParquetReader } from './parquetNode'

/** Loads a source with the in-process decoder. */
export function loadSource(
  engine: Engine,
  source: DatasetSource,
  options: Partial<LoadDeps> = {},
): Promise<LoadedDataset> {
  return loadDataset(source, {
    engine,
    decoder: new DecoderCore(nodeParquetReader()),
    readBytes: readFileBytes,
    ...options,
  })
}

/** Loads files from disk as one dataset. */
export async function loadFiles(engine: Engine, ...paths: string[]): Promise<LoadedDataset> {
  return loadSource(engine, await fileSource(...paths))
}
