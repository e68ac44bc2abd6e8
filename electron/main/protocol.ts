/**
 * Serves the renderer from `rewardlens://app/...`, mapped onto the files in dist/web.
 *
 * A custom scheme (rather than file://) gives the page a real origin, so the CSP's 'self', fetch of
 * the wasm files and the IPC sender check all have something precise to match against.
 * Nothing here imports Electron: Node's own Request/Response are the same web types.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from '../../shared/ipc'

/** The page the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * The policy sent with every response, workers included (a worker takes its CSP from its own response).
 * 'wasm-unsafe-eval' lets DuckDB, parquet-wasm and hash-wasm (the export's SHA-256, its wasm embedded
 * as base64) compile WebAssembly without allowing eval().
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** The Content-Type for a file; WebAssembly.instantiateStreaming refuses wasm without application/wasm. */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream'
}

/** True for URLs on the app's own origin; everything else is foreign content. */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  )
}

/** Where an app URL leads: a file inside the web root, or the HTTP status that refuses it. */
export type AppPathResolution =
  | { readonly ok: true; readonly filePath: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string }

/**
 * Maps a URL path (still percent-encoded) to a file under webRoot, refusing anything that could leave it.
 *
 * The URL parser already folds literal `..` and `%2e%2e` segments, but `..%2f..%2f` survives parsing and
 * only becomes a traversal after decoding, so every decoded segment is checked again here.
 */
export function resolveAppPath(encodedPath: string, webRoot: string): AppPathResolution {
  const trimmed = encodedPath.replace(/^\/+/, '')
  const segments: string[] = []
  for (const raw of (trimmed === '' ? 'index.html' : trimmed).split('/')) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' }
    }
    if (segment === '..' || segment === '.')
      return { ok: false, status: 403, reason: 'path traversal' }
    if (/[/\\\0]/.test(segment)) return { ok: false, status: 403, reason: 'path traversal' }
    if (segment !== '') segments.push(segment)
  }
  const root = path.resolve(webRoot)
  const filePath = path.resolve(root, ...segments)
  if (!isInside(root, filePath)) return { ok: false, status: 403, reason: 'outside the app' }
  return { ok: true, filePath }
}

/** Resolves a full `rewardlens://app/...` URL; any other origin is not ours to serve. */
export function resolveAppUrl(url: string, webRoot: string): AppPathResolution {
  if (!isAppUrl(url)) return { ok: false, status: 404, reason: 'not an app URL' }
  return resolveAppPath(new URL(url).pathname, webRoot)
}

/** Answers one request to the app scheme from the files in webRoot. */
export async function serveAppRequest(
  request: { readonly url: string; readonly method: string },
  webRoot: string,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return refusal(405, 'method not allowed')
  const resolved = resolveAppUrl(request.url, webRoot)
  if (!resolved.ok) return refusal(resolved.status, resolved.reason)
  try {
    // A symlink inside dist/web must not lead outside it either.
    const [realRoot, realFile] = await Promise.all([realpath(webRoot), realpath(resolved.filePath)])
    if (!isInside(realRoot, realFile)) return refusal(403, 'outside the app')
    if (!(await stat(realFile)).isFile()) return refusal(404, 'not found')
    // readFile rather than a stream: it also reads from inside app.asar, where Electron patches fs.
    const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(realFile))
    return new Response(body, { status: 200, headers: appHeaders(mimeTypeFor(realFile)) })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return refusal(404, 'not found')
    return refusal(500, 'cannot read the file')
  }
}

function appHeaders(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  })
}

function refusal(status: number, reason: string): Response {
  return new Response(`${status} ${reason}`, {
    status,
    headers: appHeaders('text/plain; charset=utf-8'),
  })
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate)
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  )
}
