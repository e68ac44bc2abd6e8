/**
 * `npm start`'s choice between Electron and the browser build, against a stand-in for
 * node_modules/electron in a real folder: its binary present, missing, or downloadable.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type StartDeps,
  browserFallbackMessage,
  canReach,
  chooseLaunch,
  downloadOrigin,
  electronBinary,
  startApp,
} from '../../../scripts/launch'
import { serveFolder } from '../../../scripts/webServer'

let dir: string
let root: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-launch-'))
  root = path.join(dir, 'repo')
  await mkdir(path.join(root, 'dist', 'web'), { recursive: true })
  await writeFile(path.join(root, 'dist', 'web', 'index.html'), '<title>RewardLens</title>')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A stand-in node_modules/electron: as npm installs it, and optionally with its binary. */
async function electronPackage(name: string, withBinary: boolean): Promise<string> {
  const electronDir = path.join(dir, name)
  await mkdir(electronDir, { recursive: true })
  await writeFile(path.join(electronDir, 'install.js'), 'process.exit(0)\n')
  await writeFile(path.join(electronDir, 'cli.js'), 'process.exit(0)\n')
  if (withBinary) await installBinary(electronDir)
  return electronDir
}

/** What Electron's installer leaves after a download: dist/electron and path.txt naming it. */
async function installBinary(electronDir: string): Promise<void> {
  await mkdir(path.join(electronDir, 'dist'), { recursive: true })
  await writeFile(path.join(electronDir, 'dist', 'electron'), '#!/bin/sh\n')
  await chmod(path.join(electronDir, 'dist', 'electron'), 0o755)
  await writeFile(path.join(electronDir, 'path.txt'), 'electron')
}

/** Deps whose child processes are recorded and run as `node -e <behaviour of that script>`. */
function fakeDeps(
  electronDir: string,
  options: { reachable: boolean; installer?: string; env?: NodeJS.ProcessEnv },
) {
  const ran: { script: string; args: readonly string[] }[] = []
  const reached: string[] = []
  const lines: string[] = []
  const deps: StartDeps = {
    root,
    electronDir,
    args: ['data/train.jsonl'],
    env: options.env ?? {},
    log: (line) => lines.push(line),
    reach: (url) => {
      reached.push(url)
      return Promise.resolve(options.reachable)
    },
    runNode: (script, args, quiet): ChildProcess => {
      ran.push({ script: path.basename(script), args })
      const code =
        path.basename(script) === 'install.js'
          ? (options.installer ?? 'process.exit(0)')
          : 'process.exit(0)'
      return spawn(process.execPath, ['-e', code], { stdio: quiet ? 'pipe' : 'ignore' })
    },
    port: 0,
  }
  return { deps, ran, reached, lines }
}

describe('electronBinary', () => {
  it('finds the binary named in path.txt under dist/, and nothing before the first download', async () => {
    const electronDir = await electronPackage('binary', false)
    expect(electronBinary(electronDir, {})).toBeNull()
    await writeFile(path.join(electronDir, 'path.txt'), 'electron')
    expect(electronBinary(electronDir, {})).toBeNull()
    await installBinary(electronDir)
    expect(electronBinary(electronDir, {})).toBe(path.join(electronDir, 'dist', 'electron'))
  })

  it('looks in ELECTRON_OVERRIDE_DIST_PATH when it is set, as Electron does', async () => {
    const electronDir = await electronPackage('override', false)
    const unpacked = path.join(dir, 'electron-v45-linux-x64')
    expect(electronBinary(electronDir, { ELECTRON_OVERRIDE_DIST_PATH: unpacked })).toBeNull()
    await mkdir(unpacked, { recursive: true })
    await writeFile(path.join(unpacked, 'electron'), '')
    expect(electronBinary(electronDir, { ELECTRON_OVERRIDE_DIST_PATH: unpacked })).toBe(
      path.join(unpacked, 'electron'),
    )
  })
})

describe('chooseLaunch', () => {
  it('runs Electron when its binary is here, downloads it when GitHub answers, serves the browser build otherwise', () => {
    expect(chooseLaunch('/x/electron', false, {})).toEqual({ kind: 'electron' })
    expect(chooseLaunch(null, true, {})).toEqual({ kind: 'download-electron' })
    expect(chooseLaunch(null, false, {})).toEqual({ kind: 'browser' })
    // Node's own requests ignore the proxy @electron/get is told to use: let the installer try.
    expect(chooseLaunch(null, false, { ELECTRON_GET_USE_PROXY: '1' })).toEqual({
      kind: 'download-electron',
    })
  })

  it('asks the mirror Electron would download from', () => {
    expect(downloadOrigin({})).toBe('https://github.com')
    expect(downloadOrigin({ ELECTRON_MIRROR: 'https://mirror.example/electron/' })).toBe(
      'https://mirror.example',
    )
    expect(downloadOrigin({ npm_config_electron_mirror: 'http://10.0.0.5:8080/e/' })).toBe(
      'http://10.0.0.5:8080',
    )
  })
})

describe('canReach', () => {
  it('is true for any HTTP answer and false when nothing answers in time', async () => {
    const server = await serveFolder(path.join(root, 'dist', 'web'))
    const { port } = server
    try {
      expect(await canReach(new URL('missing', server.url).href, 2_000)).toBe(true)
    } finally {
      await server.close()
    }
    expect(await canReach(`http://127.0.0.1:${port}/`, 2_000)).toBe(false)
  })
})

describe('startApp', () => {
  it('starts Electron with the app and its arguments, without asking the network, when the binary is here', async () => {
    const { deps, ran, reached, lines } = fakeDeps(await electronPackage('installed', true), {
      reachable: false,
    })
    const started = await startApp(deps)
    expect(started).toEqual({ kind: 'electron', exitCode: 0 })
    expect(ran).toEqual([{ script: 'cli.js', args: ['.', 'data/train.jsonl'] }])
    expect(reached).toEqual([])
    expect(lines).toEqual([])
  })

  it('downloads the binary first when it is missing and its host answers, then starts Electron', async () => {
    const electronDir = await electronPackage('downloadable', false)
    const binary = path.join(electronDir, 'dist', 'electron')
    const installer = `const fs = require('fs'); fs.mkdirSync(${JSON.stringify(path.dirname(binary))}); fs.writeFileSync(${JSON.stringify(binary)}, ''); fs.writeFileSync(${JSON.stringify(path.join(electronDir, 'path.txt'))}, 'electron')`
    const { deps, ran, reached } = fakeDeps(electronDir, { reachable: true, installer })
    expect(await startApp(deps)).toEqual({ kind: 'electron', exitCode: 0 })
    expect(reached).toEqual(['https://github.com'])
    expect(ran.map((r) => r.script)).toEqual(['install.js', 'cli.js'])
  })

  it('serves the browser build and says why, without running Electron, when GitHub cannot be reached', async () => {
    const { deps, ran, lines } = fakeDeps(await electronPackage('offline', false), {
      reachable: false,
    })
    const started = await startApp(deps)
    if (started.kind !== 'browser') throw new Error(`started ${started.kind}`)
    try {
      expect(ran).toEqual([])
      const text = lines.join('\n')
      expect(text).toContain('downloaded on first use from https://github.com')
      expect(text).toContain(`RewardLens: ${started.server.url}`)
      expect(text).not.toMatch(/failed to install correctly|delete/i)
      const page = await fetch(started.server.url)
      expect(await page.text()).toContain('<title>RewardLens</title>')
    } finally {
      await started.server.close()
    }
  })

  it('falls back to the browser build with the installer’s reason when the download fails', async () => {
    const { deps, ran, lines } = fakeDeps(await electronPackage('failing', false), {
      reachable: true,
      installer: "console.error('TypeError: fetch failed'); process.exit(1)",
    })
    const started = await startApp(deps)
    if (started.kind !== 'browser') throw new Error(`started ${started.kind}`)
    try {
      expect(ran.map((r) => r.script)).toEqual(['install.js'])
      expect(lines.join('\n')).toContain('failed (TypeError: fetch failed)')
    } finally {
      await started.server.close()
    }
  })
})

describe('browserFallbackMessage', () => {
  it('says why, what to do with internet, and where the app is', () => {
    const text = browserFallbackMessage('GitHub cannot be reached.', 'http://127.0.0.1:5190/')
    expect(text.split('\n')[0]).toBe(
      'RewardLens cannot open its desktop window here: GitHub cannot be reached.',
    )
    expect(text).toContain('Run `npm start` once on a machine with internet')
    expect(text).toContain('  RewardLens: http://127.0.0.1:5190/')
  })
})
