/**
 * What `npm start` runs after the builds: the desktop app in Electron when Electron's binary is
 * here or can be downloaded, and otherwise the browser build on a local port, so the command
 * always ends with a working app.
 *
 * Electron's npm package (45) downloads its binary from GitHub the first time it runs. Without
 * GitHub, its own launcher prints "Electron failed to install correctly … delete
 * node_modules/electron", which blames an install that is fine. So this looks first (as
 * node_modules/electron/index.js does), asks the download's host once, briefly, whether it
 * answers, and only then lets Electron's installer fetch the binary.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type StaticServer, serveFolder } from './webServer'

/** The port the browser build is served on when it is free (another free port otherwise). */
export const WEB_PORT = 5190

/** Where @electron/get downloads Electron from unless a mirror is set. */
export const ELECTRON_DOWNLOAD_HOST = 'https://github.com/'

/** How long the download host may take to answer before it counts as unreachable. */
export const REACH_TIMEOUT_MS = 5_000

/**
 * The Electron executable that node_modules/electron would run, or null when it has not been
 * downloaded yet. Mirrors that package's index.js: `path.txt` names the executable inside `dist/`
 * (or inside ELECTRON_OVERRIDE_DIST_PATH), and it is missing until the first download.
 */
export function electronBinary(
  electronDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const pathFile = join(electronDir, 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : ''
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const overridden = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron')
    return existsSync(overridden) ? overridden : null
  }
  if (!executable) return null
  const binary = join(electronDir, 'dist', executable)
  return existsSync(binary) ? binary : null
}

/** The origin Electron's installer will download from: a mirror when one is set, else GitHub. */
export function downloadOrigin(env: NodeJS.ProcessEnv = process.env): string {
  const mirror = env.ELECTRON_MIRROR ?? env.npm_config_electron_mirror
  try {
    return new URL(mirror ?? ELECTRON_DOWNLOAD_HOST).origin
  } catch {
    return new URL(ELECTRON_DOWNLOAD_HOST).origin
  }
}

/** Whether `url` answers an HTTP request (any status) within `timeoutMs`. */
export async function canReach(url: string, timeoutMs = REACH_TIMEOUT_MS): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
    return true
  } catch {
    return false
  }
}

/** What `npm start` does. */
export type Launch =
  | { readonly kind: 'electron' }
  | { readonly kind: 'download-electron' }
  | { readonly kind: 'browser' }

/**
 * Chooses how to start: Electron when its binary is here; a download first when it is not but
 * its download host answers (a proxy set for @electron/get counts as an answer: Node's own
 * requests would not go through it); the browser build otherwise.
 */
export function chooseLaunch(
  binary: string | null,
  downloadHostAnswers: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Launch {
  if (binary) return { kind: 'electron' }
  if (downloadHostAnswers || env.ELECTRON_GET_USE_PROXY) return { kind: 'download-electron' }
  return { kind: 'browser' }
}

/** The lines `npm start` prints when it serves the browser build instead of the desktop app. */
export function browserFallbackMessage(why: string, url: string): string {
  return [
    `RewardLens cannot open its desktop window here: ${why}`,
    'Run `npm start` once on a machine with internet (or set ELECTRON_MIRROR to a mirror of ' +
      "Electron's releases) to get it. Until then, the browser build runs on this machine:",
    '',
    `  RewardLens: ${url}`,
    '',
    'Open that address in Chrome, Edge or Chromium. Ctrl+C stops it.',
  ].join('\n')
}

/** What `startApp` needs from the outside world; tests give it fakes. */
export interface StartDeps {
  /** The repository root (package.json, dist/web). */
  readonly root: string
  /** node_modules/electron. */
  readonly electronDir: string
  /** Arguments for the app (a dataset path), after `npm start --`. */
  readonly args: readonly string[]
  readonly env: NodeJS.ProcessEnv
  readonly log: (line: string) => void
  readonly reach: (url: string) => Promise<boolean>
  /** Runs a Node script as a child process with the given output handling. */
  readonly runNode: (script: string, args: readonly string[], quiet: boolean) => ChildProcess
  readonly port?: number
}

/** How a start ended: Electron's exit code, or the browser build being served. */
export type Started =
  | { readonly kind: 'electron'; readonly exitCode: number }
  | { readonly kind: 'browser'; readonly server: StaticServer }

/** Starts the desktop app, or serves the browser build when Electron cannot be had. */
export async function startApp(deps: StartDeps): Promise<Started> {
  const { electronDir, env, log } = deps
  const origin = downloadOrigin(env)
  const binary = electronBinary(electronDir, env)
  // Asked only when the binary is missing: a start with Electron here never touches the network.
  let launch = chooseLaunch(binary, !binary && (await deps.reach(origin)), env)
  let why = `the Electron binary is downloaded on first use from ${origin}, which cannot be reached from here.`
  if (launch.kind === 'download-electron') {
    log(`Downloading Electron's binary once from ${origin} (about 100 MB)…`)
    const installer = deps.runNode(join(electronDir, 'install.js'), [], true)
    const output: string[] = []
    installer.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    installer.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    const code = await exitOf(installer)
    if (code === 0 && electronBinary(electronDir, env)) launch = { kind: 'electron' }
    else {
      const reason = firstErrorLine(output.join('')) ?? `its installer exited with ${code}`
      why = `downloading the Electron binary from ${origin} failed (${reason}).`
      launch = { kind: 'browser' }
    }
  }
  if (launch.kind === 'electron') {
    const electron = deps.runNode(join(electronDir, 'cli.js'), ['.', ...deps.args], false)
    return { kind: 'electron', exitCode: await exitOf(electron) }
  }
  const webRoot = join(deps.root, 'dist', 'web')
  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new Error('dist/web is missing: build it with `npm run build:web` (npm start does).')
  }
  const server = await serveFolder(webRoot, { port: deps.port ?? WEB_PORT })
  log(browserFallbackMessage(why, server.url))
  return { kind: 'browser', server }
}

/** The exit code of a child process (1 when a signal ended it or it could not start). */
function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('error', () => resolve(1))
    child.once('close', (code) => resolve(code ?? 1))
  })
}

/** The first line of an installer's output that names an error, for a one-line reason. */
function firstErrorLine(output: string): string | null {
  const line = output.split('\n').find((l) => /error|failed|ENOTFOUND|ECONN|ETIMEDOUT/i.test(l))
  return line ? line.trim().slice(0, 160) : null
}

/** Runs a Node script with this Node, its output shown (`quiet` false) or piped to the caller. */
export function runNodeScript(
  root: string,
): (script: string, args: readonly string[], quiet: boolean) => ChildProcess {
  return (script, args, quiet) =>
    spawn(process.execPath, [script, ...args], {
      cwd: root,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    })
}
