/**
 * Entry point of `npm start` (after `build:web` and `build:electron`): bundles scripts/start.ts
 * with esbuild and runs it, as bench/run.mjs does for the benchmark (Node 20 cannot run
 * TypeScript; the bundle takes well under a second).
 *
 * Usage: node scripts/start.mjs [dataset path…]
 */
import { pathToFileURL } from 'node:url'
import { bundleTs, root } from './bundleTs.mjs'

const bundle = await bundleTs('scripts/start.ts', 'rewardlens-start', 'start.mjs')

// Its top level starts the app from the working folder; the arguments after `npm start --` stay
// in process.argv.
process.chdir(root)
await import(pathToFileURL(bundle).href)
