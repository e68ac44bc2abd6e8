/**
 * Entry point of `npm run bench`: bundles bench/main.ts with esbuild and runs it.
 *
 * The benchmark is TypeScript that imports the app's own query builders; Node 20 cannot run
 * TypeScript, and esbuild (already a dev dependency) bundles it in well under a second. Packages
 * stay external, so they load from node_modules as usual.
 */
/* global process */
import { build } from 'esbuild'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// Beside the generated data (bench/generate.ts, `dataFolder`): node_modules/.cache is ignored by
// git, ESLint and Prettier.
const bundle = join(root, 'node_modules', '.cache', 'rewardlens-bench', 'bench.mjs')

await build({
  entryPoints: [join(root, 'bench', 'main.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
})

// The bundle runs as a script of its own (it also starts itself again for each native case).
const child = spawn(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0)
})
