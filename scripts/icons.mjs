/**
 * Renders build/icon.svg into the PNG files electron-builder packages: build/icon.png (1024 px, for
 * macOS and Windows, which electron-builder converts to .icns and .ico) and build/icons/<n>x<n>.png
 * (the Linux icon set).
 *
 * Usage: node scripts/icons.mjs. The PNGs are committed; run this again after changing the SVG.
 * Chromium is the system one (/usr/bin/chromium, or CHROME_PATH), driven by playwright-core.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const buildDir = path.join(root, 'build')

/** The sizes of the Linux icon set (hicolor theme sizes). */
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]

const executablePath = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].find((candidate) => candidate !== undefined && candidate !== '' && existsSync(candidate))
if (executablePath === undefined) {
  console.error(
    'No Chromium found: install it (Debian: apt-get install -y chromium) or set CHROME_PATH.',
  )
  process.exit(1)
}

const svg = await readFile(path.join(buildDir, 'icon.svg'), 'utf8')
const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
  ],
})
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 })
  /** The icon drawn at `size` pixels square, on a transparent background. */
  const render = async (/** @type {number} */ size) => {
    await page.setViewportSize({ width: size, height: size })
    await page.setContent(
      `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
    )
    return page.screenshot({
      omitBackground: true,
      clip: { x: 0, y: 0, width: size, height: size },
    })
  }

  await mkdir(path.join(buildDir, 'icons'), { recursive: true })
  await writeFile(path.join(buildDir, 'icon.png'), await render(1024))
  console.log('build/icon.png  1024x1024')
  for (const size of LINUX_SIZES) {
    await writeFile(path.join(buildDir, 'icons', `${size}x${size}.png`), await render(size))
    console.log(`build/icons/${size}x${size}.png`)
  }
} finally {
  await browser.close()
}
