/**
 * The packaging configuration (electron-builder.yml), checked with electron-builder's own loader and
 * schema, and run as far as this machine allows: `--dir --linux` with a stand-in Electron, because the
 * real binary cannot be downloaded here (docs: ../shared/docs/ENVIRONMENT.md).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { FileMatcher } from 'app-builder-lib/out/fileMatcher'
import { DebugLogger } from 'builder-util'
import type { Configuration, FileAssociation, FileSet } from 'electron-builder'
import { beforeAll, describe, expect, it } from 'vitest'
import { DATASET_EXTENSIONS } from '../../shared/host'

const root = fileURLToPath(new URL('../../', import.meta.url))
let config: Configuration

beforeAll(async () => {
  config = await getConfig(root, null, null)
})

/** Width and height from a PNG's IHDR chunk. */
async function pngSize(file: string): Promise<{ width: number; height: number }> {
  const bytes = await readFile(file)
  expect(bytes.subarray(1, 4).toString('latin1'), `${file} is a PNG`).toBe('PNG')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

/** Resolves a resource path the way electron-builder does: build resources first, then the project. */
function resource(name: string): string {
  const inResources = path.resolve(root, config.directories?.buildResources ?? 'build', name)
  return existsSync(inResources) ? inResources : path.resolve(root, name)
}

/** The target names configured for one platform. */
function targetNames(target: unknown): string[] {
  const list = Array.isArray(target) ? (target as unknown[]) : [target]
  return list.map((item) =>
    typeof item === 'string' ? item : String((item as { target: string }).target),
  )
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('would be refused by the same validation with a misspelt option', async () => {
    const misspelt = { ...config, fileAsociations: config.fileAssociations } as Configuration
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(
      /fileAsociations/,
    )
  })

  it('names the app', () => {
    expect(config.appId).toBe('dev.rewardlens.app')
    expect(config.productName).toBe('RewardLens')
    expect(config.extraMetadata).toMatchObject({ desktopName: 'rewardlens.desktop' })
  })

  it('associates exactly the four dataset formats, each a format the app opens', () => {
    const associations = (
      Array.isArray(config.fileAssociations) ? config.fileAssociations : [config.fileAssociations]
    ) as FileAssociation[]
    expect(associations.map((item) => item.ext)).toEqual(['jsonl', 'json', 'parquet', 'csv'])
    for (const association of associations) {
      expect(DATASET_EXTENSIONS).toContain(association.ext)
      // Linux needs the MIME type for the desktop file, Windows the name and description.
      expect(association.mimeType, String(association.ext)).toMatch(/^[a-z]+\/[\w.+-]+$/)
      expect(association.name, String(association.ext)).toBeTruthy()
      expect(association.description, String(association.ext)).toBeTruthy()
    }
  })

  it('builds AppImage and deb on Linux, a dmg on macOS and an NSIS installer on Windows', () => {
    expect(targetNames(config.linux?.target)).toEqual(['AppImage', 'deb'])
    expect(targetNames(config.mac?.target)).toEqual(['dmg'])
    expect(targetNames(config.win?.target)).toEqual(['nsis'])
  })

  it('writes installers beside the app build, never into what it packages', () => {
    const output = path.resolve(root, config.directories?.output ?? '')
    for (const packaged of ['dist/electron', 'dist/web'])
      expect(path.relative(path.resolve(root, packaged), output)).toMatch(/^\.\./)
  })

  it('packages the built app and nothing else', async () => {
    const files = config.files as FileSet[]
    expect(files).toHaveLength(1)
    const matcher = new FileMatcher(root, root, (pattern) => pattern, files[0]?.filter)
    const included = matcher.createFilter()
    const file = { isDirectory: () => false } as Parameters<typeof included>[1]
    const packs = (relative: string) => included(path.join(root, relative), file)

    const packageJson = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      main: string
    }
    for (const wanted of [
      'package.json',
      packageJson.main,
      'dist/electron/preload.cjs',
      'dist/electron/engine.cjs',
      'dist/electron/duckdb/duckdb.node',
      'dist/web/index.html',
      'dist/web/assets/duckdb-eh.wasm',
      'dist/web/demo/code-rlaif-demo.jsonl',
    ])
      expect(packs(wanted), wanted).toBe(true)
    for (const unwanted of [
      'electron/main/index.ts',
      'renderer/main.tsx',
      'shared/host.ts',
      'test/unit/packaging.test.ts',
      'scripts/build-electron.mjs',
      'node_modules/react/index.js',
      'dist/installers/RewardLens-0.1.0-linux-x86_64.AppImage',
      'README.md',
    ])
      expect(packs(unwanted), unwanted).toBe(false)
  })

  it('has the icon files it names, at the sizes the platforms need', async () => {
    for (const platform of [config.mac, config.win]) {
      const icon = platform?.icon
      expect(icon).toBeTruthy()
      expect(await pngSize(resource(String(icon)))).toEqual({ width: 1024, height: 1024 })
    }
    const linuxIcons = resource(String(config.linux?.icon))
    const names = (await readdir(linuxIcons)).filter((name) => name.endsWith('.png'))
    expect(names).toEqual(
      expect.arrayContaining(['16x16.png', '48x48.png', '256x256.png', '512x512.png']),
    )
    for (const name of names) {
      const side = Number(name.split('x')[0])
      expect(await pngSize(path.join(linuxIcons, name)), name).toEqual({
        width: side,
        height: side,
      })
    }
  })

  it('has what the deb target requires of package.json', async () => {
    const packageJson = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      homepage?: string
      author?: { email?: string }
      scripts: Record<string, string>
    }
    expect(packageJson.homepage).toMatch(/^https:\/\//)
    expect(packageJson.author?.email).toMatch(/@/)
    expect(packageJson.scripts.dist).toMatch(/electron-builder/)
  })

  it('lists what the app ships as dependencies, so audits see it (native DuckDB among them)', async () => {
    const packageJson = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
      devDependencies: Record<string, string>
    }
    const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>
    }
    expect(packageJson.dependencies['@duckdb/node-api']).toBeDefined()
    expect(packageJson.devDependencies['@duckdb/node-api']).toBeUndefined()
    const duckdb = Object.entries(lock.packages).filter(([name]) =>
      name.startsWith('node_modules/@duckdb/node-'),
    )
    expect(duckdb.length).toBeGreaterThan(2)
    expect(duckdb.filter(([, entry]) => entry.dev === true)).toEqual([])
  })
})

/**
 * A stand-in for the Electron binary: a script that refuses to run, carrying the fuse wire (sentinel,
 * version 1, eight fuses in Electron's default states) that @electron/fuses flips in a real binary.
 */
async function standInElectron(dir: string, version: string): Promise<void> {
  await mkdir(path.join(dir, 'resources'), { recursive: true })
  const fuseWire = Buffer.concat([
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX', 'latin1'),
    Buffer.from([1, 8]),
    Buffer.from('10110001', 'latin1'),
  ])
  const script = '#!/bin/sh\necho "a stand-in for Electron: it cannot run the app" >&2\nexit 1\n# '
  await writeFile(
    path.join(dir, 'electron'),
    Buffer.concat([Buffer.from(script), fuseWire, Buffer.from('\n')]),
  )
  await chmod(path.join(dir, 'electron'), 0o755)
  await writeFile(path.join(dir, 'version'), version)
}

describe('electron-builder --dir --linux with a stand-in Electron', () => {
  it('packs dist/electron and dist/web into app.asar, DuckDB beside it, and flips the fuses', async () => {
    for (const built of ['dist/electron/main.cjs', 'dist/web/index.html']) {
      if (!existsSync(path.join(root, built)))
        throw new Error(
          `${built} is missing: run npm run build:web && npm run build:electron first (npm test does).`,
        )
    }
    const work = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-pack-'))
    try {
      const electronVersion = (
        JSON.parse(
          await readFile(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
        ) as { version: string }
      ).version
      const electronDist = path.join(work, 'electron')
      await standInElectron(electronDist, electronVersion)
      const output = path.join(work, 'out')
      await promisify(execFile)(
        process.execPath,
        [
          path.join(root, 'node_modules/electron-builder/cli.js'),
          '--dir',
          '--linux',
          `-c.electronDist=${electronDist}`,
          `-c.directories.output=${output}`,
        ],
        { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      )

      const unpacked = path.join(output, 'linux-unpacked')
      expect((await stat(path.join(unpacked, 'rewardlens'))).isFile()).toBe(true)
      const { listPackage, extractFile } = await import('@electron/asar')
      const asar = path.join(unpacked, 'resources', 'app.asar')
      const entries = listPackage(asar, { isPack: false }).map((entry) =>
        entry.split(path.sep).join('/'),
      )
      expect(entries).toEqual(
        expect.arrayContaining([
          '/package.json',
          '/dist/electron/main.cjs',
          '/dist/electron/preload.cjs',
          '/dist/electron/engine.cjs',
          '/dist/web/index.html',
          '/dist/web/demo/code-rlaif-demo.jsonl',
        ]),
      )
      const outside = entries.filter(
        (entry) => !/^\/(package\.json|dist|dist\/electron(\/.*)?|dist\/web(\/.*)?)$/.test(entry),
      )
      expect(outside).toEqual([])
      // DuckDB's native binding is loaded by the OS from a real file: outside the archive, where
      // Electron redirects engine.cjs's require of ./duckdb/duckdb.node.
      const native = path.join(
        unpacked,
        'resources',
        'app.asar.unpacked',
        'dist',
        'electron',
        'duckdb',
      )
      expect((await readdir(native)).sort()).toEqual(
        expect.arrayContaining(['duckdb.node', expect.stringMatching(/^libduckdb\./)]),
      )
      const packaged = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as {
        main: string
        desktopName: string
      }
      expect(packaged).toMatchObject({
        main: 'dist/electron/main.cjs',
        desktopName: 'rewardlens.desktop',
      })

      // Each fuse as electron-builder.yml asks: '0' off, '1' on, in @electron/fuses' V1 order.
      const binary = await readFile(path.join(unpacked, 'rewardlens'))
      const wire = binary.indexOf('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX') + 32
      expect(binary.subarray(wire + 2, wire + 10).toString('latin1')).toBe('01001100')
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  }, 180_000)
})

describe('the lock file', () => {
  it('lists every optional dependency of a locked package, so `npm ci` accepts it', async () => {
    // `npm install` here leaves out optional packages the registry mirror lacks (other platforms'
    // native builds); `npm ci` on a clean checkout then refuses the lock as out of sync.
    const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { optionalDependencies?: Record<string, string> }>
    }
    const missing = Object.entries(lock.packages).flatMap(([at, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter(
          (name) =>
            !lock.packages[`node_modules/${name}`] && !lock.packages[`${at}/node_modules/${name}`],
        )
        .map((name) => `${at || 'the project'} -> ${name}`),
    )
    expect(missing).toEqual([])
  })
})
