/**
 * `npm start` after the builds: the desktop app, or the browser build on 127.0.0.1 when Electron's
 * binary cannot be had (see launch.ts). Run through scripts/start.mjs, which bundles it.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { canReach, runNodeScript, startApp } from './launch'

// start.mjs runs this bundle from node_modules/.cache with the repository as the working folder.
const root = process.cwd()
const require = createRequire(join(root, 'package.json'))

const started = await startApp({
  root,
  electronDir: dirname(require.resolve('electron/package.json')),
  args: process.argv.slice(2),
  env: process.env,
  log: (line) => console.log(line),
  reach: (url) => canReach(url),
  runNode: runNodeScript(root),
})
if (started.kind === 'electron') process.exitCode = started.exitCode
