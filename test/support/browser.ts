/**
 * Real Chromium driving the real web build, for end-to-end tests and screenshots.
 *
 * Chromium is the system one (/usr/bin/chromium, or CHROME_PATH); playwright-core never downloads
 * a browser. Without one the tests fail at once with a message saying how to install it.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core'
import { type StaticServer, serveFolder } from '../../scripts/webServer'

/** The web build the tests drive; `npm test` builds it first. */
export const WEB_BUILD = fileURLToPath(new URL('../../dist/web/', import.meta.url))
/** Where screenshots go (kept by CI as artifacts). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

/** The Chromium executable, or a clear error saying how to get one. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  const found = candidates.find((p): p is string => !!p && existsSync(p))
  if (!found) {
    throw new Error(
      'No Chromium found for the end-to-end tests. Install it (Debian: apt-get install -y chromium) ' +
        'or set CHROME_PATH to a Chromium or Chrome executable.',
    )
  }
  return found
}

/** Chromium's switches for the tests and the bench: headless, quiet, never reaching the network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * A Chromium of its own with a profile on disk, as a person's browser has (a context from
 * `Session.newPage` is a private window, which keeps the browser's storage in memory). Closing
 * the context ends that browser and removes the profile.
 */
export async function launchWithProfile(
  args: readonly string[] = [],
  options: { acceptDownloads?: boolean } = {},
): Promise<BrowserContext> {
  const profile = await mkdtemp(join(tmpdir(), 'rewardlens-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS, ...args],
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    ...options,
  })
  context.on('close', () => {
    // Chromium may still be writing as it quits.
    rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch(
      () => undefined,
    )
  })
  return context
}

/** A browser serving the web build. */
export interface Session {
  readonly browser: Browser
  /** A switch on this browser's command line that tells its processes from other browsers'. */
  readonly marker: string
  readonly server: StaticServer
  newPage(options?: {
    colorScheme?: 'light' | 'dark'
    width?: number
    height?: number
  }): Promise<Page>
  close(): Promise<void>
}

/** Starts the static server and Chromium. */
export async function startSession(): Promise<Session> {
  if (!existsSync(`${WEB_BUILD}index.html`)) {
    throw new Error('dist/web is missing: run `npm run build:web` first (npm test does).')
  }
  const server = await serveFolder(WEB_BUILD)
  const marker = `--rewardlens-test-session=${process.pid}-${Date.now()}`
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS, marker],
  })
  await mkdir(ARTIFACTS, { recursive: true })
  return {
    browser,
    marker,
    server,
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
        colorScheme: options.colorScheme ?? 'light',
      })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      await page.goto(server.url)
      return page
    },
    async close() {
      await browser.close()
      await server.close()
    },
  }
}

/** Opens files through the `open-file-input` hook and waits until the dataset or an error shows. */
export async function openFiles(page: Page, ...paths: string[]): Promise<void> {
  await page.getByTestId('open-file-input').first().setInputFiles(paths)
  // Both waits together stay under the test timeout, so a load that hangs fails saying where.
  await page
    .locator('[data-testid="row-count"], [data-testid="load-error"]')
    .first()
    .waitFor({ timeout: 80_000 })
  await page.getByTestId('load-progress').waitFor({ state: 'detached', timeout: 80_000 })
}

/** Saves a screenshot of the page under test-artifacts/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = `${ARTIFACTS}${name}.png`
  await page.screenshot({ path })
  return path
}
