/**
 * Bundles the Electron main process and preload into dist/electron with esbuild.
 *
 * Usage: node scripts/build-electron.mjs
 * The preload must come out as one self-contained file: a sandboxed preload can require 'electron'
 * but no local module, so the build fails if anything else is left as an import.
 */
import { build } from 'esbuild'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outDir = path.join(root, 'dist', 'electron')

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  absWorkingDir: root,
}

const [main, preload] = await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main/index.ts'],
    outfile: path.join(outDir, 'main.cjs'),
  }),
  build({
    ...common,
    entryPoints: ['electron/preload/index.ts'],
    outfile: path.join(outDir, 'preload.cjs'),
  }),
])

/** The outputs esbuild reports; metafile is always set because the options ask for it. */
const outputsOf = (/** @type {import('esbuild').BuildResult} */ result) =>
  result.metafile?.outputs ?? {}

const preloadImports = Object.values(outputsOf(preload)).flatMap((output) =>
  output.imports.filter((imported) => imported.external).map((imported) => imported.path),
)
const stray = preloadImports.filter((imported) => imported !== 'electron')
if (stray.length > 0) {
  console.error(`preload.cjs must be self-contained but requires: ${stray.join(', ')}`)
  process.exit(1)
}

for (const result of [main, preload]) {
  for (const [file, output] of Object.entries(outputsOf(result))) {
    if (!file.endsWith('.map')) console.log(`${file}  ${(output.bytes / 1024).toFixed(1)} KB`)
  }
}
