/**
 * Where the built app keeps its parts, relative to the bundled main.cjs in dist/electron.
 */
import path from 'node:path'
import { DEMO_DATASET_FILE } from '../../shared/host'

/** The files the main process needs from the build. */
export interface AppPaths {
  /** dist/web: the renderer, served on rewardlens://app/. */
  readonly webRoot: string
  /** dist/electron/preload.cjs. */
  readonly preload: string
  /** dist/electron/engine.cjs: the native engine's utility process. */
  readonly engine: string
  /** The bundled demo dataset. */
  readonly demoDataset: string
}

/** Locates the build output from the folder main.cjs runs in (its __dirname). */
export function appPaths(mainDir: string): AppPaths {
  const webRoot = path.resolve(mainDir, '..', 'web')
  return {
    webRoot,
    preload: path.join(mainDir, 'preload.cjs'),
    engine: path.join(mainDir, 'engine.cjs'),
    demoDataset: path.join(webRoot, ...DEMO_DATASET_FILE.split('/')),
  }
}
