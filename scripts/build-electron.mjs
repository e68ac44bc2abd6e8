/**
 * Bundles the Electron main process, the preload and the engine's utility process into
 * dist/electron with esbuild.
 *
 * Usage: node scripts/build-electron.mjs
 * The preload must come out as one self-contained file: a sandboxed preload can require 'electron'
 * but no local module, so the build fails if anything else is left as an import.
 *
 * The engine bundles @duckdb/node-api's JavaScript; its native part (duckdb.node and the DuckDB
 * library beside it, for the platform building) is copied to dist/electron/duckdb/, which
 * electron-builder leaves outside the asar archive so the OS can load it.
 */
import { build } from 'esbuild'
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
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

/** The folder, beside engine.cjs, that holds DuckDB's native binding for this platform. */
const NATIVE_DIR = 'duckdb'

/** Copies this platform's DuckDB binding (duckdb.node and its shared library) into dist/electron. */
function copyNativeBinding() {
  const require = createRequire(path.join(root, 'package.json'))
  const platformPackage = `@duckdb/node-bindings-${process.platform}-${process.arch}`
  let from
  try {
    from = path.dirname(require.resolve(`${platformPackage}/package.json`))
  } catch {
    console.warn(`${platformPackage} is not installed: the desktop app will use DuckDB-WASM.`)
    return
  }
  const to = path.join(outDir, NATIVE_DIR)
  mkdirSync(to, { recursive: true })
  for (const name of readdirSync(from)) {
    if (/\.(node|so|dylib|dll)$/.test(name)) cpSync(path.join(from, name), path.join(to, name))
  }
}

/**
 * Points every `@duckdb/node-bindings-<platform>/duckdb.node` require at ./duckdb/duckdb.node,
 * left as a runtime require: only this platform's copy exists, and only its branch runs.
 */
const nativeBindingPlugin = {
  name: 'duckdb-native-binding',
  setup(/** @type {import('esbuild').PluginBuild} */ pluginBuild) {
    pluginBuild.onResolve({ filter: /^@duckdb\/node-bindings-[\w-]+\/duckdb\.node$/ }, () => ({
      path: `./${NATIVE_DIR}/duckdb.node`,
      external: true,
    }))
  },
}

const [main, preload, engine] = await Promise.all([
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
  build({
    ...common,
    entryPoints: ['electron/engine/index.ts'],
    outfile: path.join(outDir, 'engine.cjs'),
    plugins: [nativeBindingPlugin],
  }),
])
copyNativeBinding()
if (!existsSync(path.join(outDir, NATIVE_DIR, 'duckdb.node'))) {
  console.warn('dist/electron/duckdb/duckdb.node is missing: the desktop app will use DuckDB-WASM.')
}

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

for (const result of [main, preload, engine]) {
  for (const [file, output] of Object.entries(outputsOf(result))) {
    if (!file.endsWith('.map')) console.log(`${file}  ${(output.bytes / 1024).toFixed(1)} KB`)
  }
}
