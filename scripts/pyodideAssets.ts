/**
 * Pyodide's runtime files (interpreter, wasm, standard library), served by the dev server and
 * emitted into the build under `pyodide/`, so test re-runs load Python offline from the app itself,
 * never from a CDN. The re-run worker loads them with `indexURL` pointing there.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Plugin } from 'vite'

/** Where the files go in dist/web, relative to index.html. */
export const PYODIDE_FOLDER = 'pyodide'

/** The files loadPyodide reads: its module, the wasm, the standard library and the lock file. */
export const PYODIDE_FILES = [
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
] as const

const TYPES: Readonly<Record<string, string>> = {
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json',
}

function pyodideDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json'))
}

/** The Vite plugin serving and emitting Pyodide's files. */
export function pyodideAssets(): Plugin {
  return {
    name: 'rewardlens-pyodide-assets',
    configureServer(server) {
      for (const file of PYODIDE_FILES) {
        server.middlewares.use(`/${PYODIDE_FOLDER}/${file}`, (_req, res) => {
          res.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream')
          res.end(readFileSync(path.join(pyodideDir(), file)))
        })
      }
    },
    generateBundle() {
      for (const file of PYODIDE_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `${PYODIDE_FOLDER}/${file}`,
          source: readFileSync(path.join(pyodideDir(), file)),
        })
      }
    },
  }
}
