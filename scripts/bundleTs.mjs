/**
 * Bundles a TypeScript entry point for Node with esbuild (Node 20 cannot run TypeScript), into
 * node_modules/.cache (ignored by git, ESLint and Prettier); packages stay external, so they load
 * from node_modules as usual. Used by `npm start` and `npm run bench`; well under a second.
 */
import { build } from 'esbuild'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root folder. */
export const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * Bundles `entry` (a path from the root) to `node_modules/.cache/<folder>/<name>`; resolves to
 * the bundle's path. `sourcemap` inlines a source map (for stack traces into the TypeScript).
 *
 * @param {string} entry
 * @param {string} folder
 * @param {string} name
 * @param {{ sourcemap?: boolean }} [options]
 * @returns {Promise<string>}
 */
export async function bundleTs(entry, folder, name, { sourcemap = false } = {}) {
  const bundle = join(root, 'node_modules', '.cache', folder, name)
  await build({
    entryPoints: [join(root, entry)],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    ...(sourcemap ? { sourcemap: 'inline' } : {}),
    logLevel: 'warning',
  })
  return bundle
}
