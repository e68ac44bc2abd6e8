/**
 * Entry point of `npm run bench`: bundles bench/main.ts with esbuild and runs it.
 *
 * The benchmark is TypeScript that imports the app's own query builders; Node 20 cannot run
 * TypeScript, and esbuild (already a dev dependency) bundles it in well under a second. Packages
 * stay external, so they load from node_modules as usual.
 */
/* global process */
import { spawn } from 'node:child_process'
import { bundleTs } from '../scripts/bundleTs.mjs'

// Beside the generated data (bench/generate.ts, `dataFolder`).
const bundle = await bundleTs('bench/main.ts', 'rewardlens-bench', 'bench.mjs', { sourcemap: true })

// The bundle runs as a script of its own (it also starts itself again for each native case).
const child = spawn(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0)
})
