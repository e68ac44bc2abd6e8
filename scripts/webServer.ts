/**
 * A small static file server for the browser build (dist/web): what `npm start` serves when
 * Electron cannot run, and what the end-to-end tests and the benchmark drive Chromium against.
 *
 * Plain Node with no dependencies. It listens on 127.0.0.1 only (the app reads local files, and
 * nothing else on the network should reach it) and answers only with files inside its folder.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { type Server, createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

/** The address the server listens on: this machine only. */
export const LOOPBACK = '127.0.0.1'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  // Chromium compiles WebAssembly while it streams in only when it is served as application/wasm.
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** The Content-Type a file is served with, from its extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file a request path names inside `root`, or null when it would lie outside it (`..`,
 * encoded or not) or cannot be decoded. A path ending in `/` names that folder's index.html.
 */
export function fileInside(root: string, requestPath: string): string | null {
  let path: string
  try {
    path = decodeURIComponent(new URL(requestPath, 'http://localhost').pathname)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  const base = normalize(root + sep)
  const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path))
  return file.startsWith(base) ? file : null
}

/** A running server. */
export interface StaticServer {
  /** Its base URL, ending in `/`. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/** Options of `serveFolder`. */
export interface ServeOptions {
  /** The port to try first; another free port is taken when it is busy. 0 (the default): any. */
  readonly port?: number
}

/** Serves a folder on 127.0.0.1, on `options.port` when free and on another free port otherwise. */
export async function serveFolder(root: string, options: ServeOptions = {}): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    // req.url is the raw request target: `..` in it has not been resolved by anyone yet.
    const file = fileInside(root, req.url ?? '/')
    if (!file) {
      res.writeHead(403).end()
      return
    }
    stat(file)
      .then((info) => {
        if (!info.isFile()) throw new Error('not a file')
        res.writeHead(200, {
          'Content-Type': contentTypeOf(file),
          'Content-Length': info.size,
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-cache',
        })
        if (req.method === 'HEAD') res.end()
        else createReadStream(file).pipe(res)
      })
      .catch(() => res.writeHead(404).end())
  })
  const port = await listen(server, options.port ?? 0).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.port) throw error
    return listen(server, 0)
  })
  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Starts listening on 127.0.0.1 and resolves to the port, or rejects with the listen error. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    server.once('error', onError)
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}
