/**
 * The static server `npm start` falls back to and the end-to-end tests use, against a real folder
 * on a real port.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { type AddressInfo, createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOOPBACK, contentTypeOf, fileInside, serveFolder } from '../../../scripts/webServer'

let dir: string
let web: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-web-'))
  web = path.join(dir, 'web')
  await mkdir(path.join(web, 'assets'), { recursive: true })
  await writeFile(path.join(web, 'index.html'), '<!doctype html><title>RewardLens</title>')
  await writeFile(path.join(web, 'assets', 'duckdb-eh.wasm'), new Uint8Array([0, 97, 115, 109]))
  await writeFile(path.join(web, 'assets', 'index.js'), 'export {}')
  await writeFile(path.join(web, 'assets', 'index.css'), 'body{}')
  await writeFile(path.join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  // Beside the served folder, where no request may reach.
  await writeFile(path.join(dir, 'secret.txt'), 'not for the page')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A GET with the request target sent exactly as written (fetch would resolve `..` first). */
function rawGet(url: string, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: target, method: 'GET' }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('serveFolder', () => {
  it('serves index.html at / and each file with its content type, wasm as application/wasm', async () => {
    const server = await serveFolder(web)
    try {
      const expected: [string, string][] = [
        ['', 'text/html; charset=utf-8'],
        ['index.html', 'text/html; charset=utf-8'],
        ['assets/duckdb-eh.wasm', 'application/wasm'],
        ['assets/index.js', 'text/javascript; charset=utf-8'],
        ['assets/index.css', 'text/css; charset=utf-8'],
        ['favicon.svg', 'image/svg+xml'],
      ]
      for (const [file, type] of expected) {
        const response = await fetch(new URL(file, server.url))
        expect(response.status, file).toBe(200)
        expect(response.headers.get('content-type'), file).toBe(type)
      }
      const wasm = new Uint8Array(
        await (await fetch(new URL('assets/duckdb-eh.wasm', server.url))).arrayBuffer(),
      )
      expect([...wasm]).toEqual([0, 97, 115, 109])
      expect((await fetch(new URL('missing.js', server.url))).status).toBe(404)
      expect((await fetch(new URL('assets', server.url))).status).toBe(404)
    } finally {
      await server.close()
    }
  })

  it('refuses paths that climb out of the folder, plain or encoded', async () => {
    const server = await serveFolder(web)
    try {
      for (const target of [
        '/..%2fsecret.txt',
        '/assets/..%2f..%2fsecret.txt',
        '/%2e%2e%2fsecret.txt',
      ]) {
        const { status, body } = await rawGet(server.url, target)
        expect(body, target).not.toContain('not for the page')
        expect(status, target).toBe(403)
      }
      // Dot segments the URL itself resolves stay inside the folder; a backslash is a separator
      // on Windows only, and elsewhere names a file in the folder.
      for (const target of ['/../../secret.txt', '/..%5csecret.txt']) {
        const { status, body } = await rawGet(server.url, target)
        expect(body, target).not.toContain('not for the page')
        expect([403, 404], target).toContain(status)
      }
    } finally {
      await server.close()
    }
  })

  it('listens on 127.0.0.1 only', async () => {
    const server = await serveFolder(web)
    try {
      expect(new URL(server.url).hostname).toBe(LOOPBACK)
      const other = os.networkInterfaces()
      const outside = Object.values(other)
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal)
      if (outside) {
        await expect(fetch(`http://${outside.address}:${server.port}/`)).rejects.toThrow()
      }
    } finally {
      await server.close()
    }
  })

  it('takes another free port when the one asked for is busy', async () => {
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, LOOPBACK, resolve))
    const taken = (busy.address() as AddressInfo).port
    try {
      const server = await serveFolder(web, { port: taken })
      try {
        expect(server.port).not.toBe(taken)
        expect(server.url).toBe(`http://127.0.0.1:${server.port}/`)
        expect((await fetch(server.url)).status).toBe(200)
      } finally {
        await server.close()
      }
    } finally {
      await new Promise((resolve) => busy.close(resolve))
    }
  })
})

describe('fileInside', () => {
  it('maps request paths to files in the folder and nothing outside it', () => {
    expect(fileInside('/srv/web', '/')).toBe(path.normalize('/srv/web/index.html'))
    expect(fileInside('/srv/web', '/assets/a%20b.js?v=1')).toBe(
      path.normalize('/srv/web/assets/a b.js'),
    )
    expect(fileInside('/srv/web', '/..%2f..%2fetc/passwd')).toBeNull()
    expect(fileInside('/srv/web', '/%E0%A4%A')).toBeNull()
    expect(fileInside('/srv/web', '/a%00.js')).toBeNull()
  })
})

describe('contentTypeOf', () => {
  it('knows the build’s file types and sends anything else as bytes', () => {
    expect(contentTypeOf('x/duckdb-eh.WASM')).toBe('application/wasm')
    expect(contentTypeOf('demo/code-rlaif-demo.jsonl')).toBe('application/x-ndjson; charset=utf-8')
    expect(contentTypeOf('blob.bin')).toBe('application/octet-stream')
  })
})
