/**
 * Runs bench/parse.ts (the parse measurement, not part of `npm run bench`):
 * `node bench/parse.mjs --rows=20000 [--workers=2]`. Bundled with esbuild as `npm run bench` is;
 * Vite's `?url` imports (the engine's wasm files) become the files' paths.
 */
/* global process */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { build } from 'esbuild'
import { root } from '../scripts/bundleTs.mjs'

const require = createRequire(import.meta.url)
const bundle = join(root, 'node_modules', '.cache', 'rewardlens-bench', 'parse.mjs')
/** @type {import('esbuild').Plugin} */
const assetPaths = {
  name: 'asset-paths',
  setup(b) {
    b.onResolve({ filter: /\?url$/ }, (args) => ({
      path: require.resolve(args.path.slice(0, -'?url'.length), { paths: [args.resolveDir] }),
      namespace: 'asset-path',
    }))
    b.onLoad({ filter: /.*/, namespace: 'asset-path' }, (args) => ({
      contents: `export default ${JSON.stringify(args.path)}`,
      loader: 'js',
    }))
  },
}
/** @type {[string, string][]} */
const entries = [
  ['bench/parse.ts', bundle],
  [
    'bench/parseThread.ts',
    join(root, 'node_modules', '.cache', 'rewardlens-bench', 'parseThread.mjs'),
  ],
]
for (const [entry, out] of entries) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    plugins: [assetPaths],
    logLevel: 'warning',
  })
}
const child = spawn(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0)
})
