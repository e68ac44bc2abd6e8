/**
 * Entry point of `npm start` (after `build:web` and `build:electron`): bundles scripts/start.ts
 * with esbuild and runs it, as bench/run.mjs does for the benchmark (Node 20 cannot run
 * TypeScript; the bundle takes well under a second).
 *
 * Usage: node scripts/start.mjs [dataset path…]
 */
import { build } from 'esbuild'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// node_modules/.cache is ignored by git, ESLint and Prettier.
const bundle = join(root, 'node_modules', '.cache', 'rewardlens-start', 'start.mjs')

await build({
  entryPoints: [join(root, 'scripts', 'start.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
})

// Its top level starts the app from the working folder; the arguments after `npm start --` stay
// in process.argv.
process.chdir(root)
await import(pathToFileURL(bundle).href)
