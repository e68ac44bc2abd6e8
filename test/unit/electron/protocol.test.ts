import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  mimeTypeFor,
  resolveAppPath,
  resolveAppUrl,
  serveAppRequest,
} from '../../../electron/main/protocol'

describe('CONTENT_SECURITY_POLICY', () => {
  it('is the strict policy the design asks for, allowing wasm but not eval', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self' blob: data:; object-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'",
    )
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'")
  })
})

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['assets/duckdb-eh.wasm', 'application/wasm'],
    ['demo/code-rlaif-demo.jsonl', 'application/x-ndjson'],
    ['assets/index.css', 'text/css; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['icon.png', 'image/png'],
    ['manifest.json', 'application/json; charset=utf-8'],
    ['BIG.WASM', 'application/wasm'],
    ['blob.bin', 'application/octet-stream'],
    ['no-extension', 'application/octet-stream'],
  ])('serves %s as %s', (file, type) => {
    expect(mimeTypeFor(file)).toBe(type)
  })
})

describe('isAppUrl', () => {
  it('accepts the app origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true)
    expect(isAppUrl('rewardlens://app/assets/x.js?v=1#top')).toBe(true)
  })

  it.each([
    'https://app/index.html',
    'rewardlens://other/index.html',
    'rewardlens://app:8080/index.html',
    'rewardlens://user@app/index.html',
    'file:///etc/passwd',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false)
  })

  it('refuses a missing URL', () => {
    expect(isAppUrl(null)).toBe(false)
    expect(isAppUrl(undefined)).toBe(false)
  })
})

describe('resolveAppPath', () => {
  const root = path.resolve('/srv/web')

  it('maps the root to index.html', () => {
    expect(resolveAppPath('/', root)).toEqual({ ok: true, filePath: path.join(root, 'index.html') })
    expect(resolveAppPath('', root)).toEqual({ ok: true, filePath: path.join(root, 'index.html') })
  })

  it('maps nested, percent-encoded paths into the web root', () => {
    expect(resolveAppPath('/assets/my%20chunk.js', root)).toEqual({
      ok: true,
      filePath: path.join(root, 'assets', 'my chunk.js'),
    })
  })

  it.each([
    '/../../etc/passwd',
    '/assets/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E/secret',
    '/..%2f..%2fetc/passwd',
    '/assets%2f..%2f..%2fsecret',
    '/..%5c..%5cwindows%5csystem32',
    '/index.html%00.png',
    '/./index.html',
  ])('refuses the traversal %s', (encoded) => {
    expect(resolveAppPath(encoded, root)).toMatchObject({ ok: false, status: 403 })
  })

  it('refuses malformed percent-encoding', () => {
    expect(resolveAppPath('/%E0%A4%A', root)).toMatchObject({ ok: false, status: 400 })
  })
})

describe('resolveAppUrl', () => {
  const root = path.resolve('/srv/web')

  it('keeps URLs whose dot segments the URL parser already folded inside the root', () => {
    const resolved = resolveAppUrl('rewardlens://app/../../etc/passwd', root)
    expect(resolved).toEqual({ ok: true, filePath: path.join(root, 'etc', 'passwd') })
  })

  it('refuses an encoded slash traversal in a full URL', () => {
    expect(resolveAppUrl('rewardlens://app/..%2f..%2fetc%2fpasswd', root)).toMatchObject({
      ok: false,
      status: 403,
    })
  })

  it('serves nothing for another host or scheme', () => {
    expect(resolveAppUrl('rewardlens://evil/index.html', root)).toMatchObject({
      ok: false,
      status: 404,
    })
    expect(resolveAppUrl('https://app/index.html', root)).toMatchObject({ ok: false, status: 404 })
  })
})

describe('serveAppRequest', () => {
  let dir: string
  let webRoot: string

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-protocol-'))
    webRoot = path.join(dir, 'web')
    await mkdir(path.join(webRoot, 'assets'), { recursive: true })
    await mkdir(path.join(webRoot, 'demo'))
    await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>RewardLens</title>')
    await writeFile(
      path.join(webRoot, 'assets', 'engine.wasm'),
      new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]),
    )
    await writeFile(path.join(webRoot, 'demo', 'code-rlaif-demo.jsonl'), '{"reward":1}\n')
    await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET')
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, webRoot)

  it('serves index.html for the app root with the CSP', async () => {
    const response = await get('rewardlens://app/')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toContain('<title>RewardLens</title>')
  })

  it('serves wasm byte for byte as application/wasm', async () => {
    const response = await get('rewardlens://app/assets/engine.wasm')
    expect(response.headers.get('content-type')).toBe('application/wasm')
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 97, 115, 109, 1, 0, 0, 0])
  })

  it('serves the demo dataset as NDJSON', async () => {
    const response = await get('rewardlens://app/demo/code-rlaif-demo.jsonl')
    expect(response.headers.get('content-type')).toBe('application/x-ndjson')
    expect(await response.text()).toBe('{"reward":1}\n')
  })

  it('answers 404 for an unknown file and for a folder, still with the CSP', async () => {
    const missing = await get('rewardlens://app/assets/missing.js')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect((await get('rewardlens://app/assets')).status).toBe(404)
    expect((await get('rewardlens://app/index.html/x')).status).toBe(404)
  })

  it('never serves a file outside the web root', async () => {
    for (const url of [
      'rewardlens://app/..%2fsecret.txt',
      'rewardlens://app/assets/..%2f..%2fsecret.txt',
    ]) {
      const response = await get(url)
      expect(response.status).toBe(403)
      expect(await response.text()).not.toContain('TOP SECRET')
    }
    const folded = await get('rewardlens://app/../secret.txt')
    expect(folded.status).toBe(404)
  })

  it('refuses a symlink that leads out of the web root', async () => {
    await symlink(path.join(dir, 'secret.txt'), path.join(webRoot, 'leak.txt'))
    const response = await get('rewardlens://app/leak.txt')
    expect(response.status).toBe(403)
    expect(await response.text()).not.toContain('TOP SECRET')
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('rewardlens://app/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBeNull()
    expect((await get('rewardlens://app/index.html', 'POST')).status).toBe(405)
  })
})
