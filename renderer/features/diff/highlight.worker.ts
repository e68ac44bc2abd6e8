/**
 * Syntax highlighting off the main thread: shiki with the Oniguruma (WASM) engine, which tokenises
 * C++ completely and several times faster than the JavaScript regex engine (ENVIRONMENT.md).
 * Grammars and themes are bundled and loaded on first use; nothing is fetched from the network.
 */
import { createHighlighterCore } from 'shiki/core'
import type { HighlighterCore, LanguageRegistration, ThemeRegistration } from 'shiki/core'
import { createOnigurumaEngine } from 'shiki/engine/oniguruma'
import {
  FIRST_LINES,
  type HighlightRequest,
  type HighlightResponse,
  type Token,
} from './highlightProtocol'

type Loader<T> = () => Promise<{ default: T }>

const LANGUAGES: Record<string, Loader<LanguageRegistration[]>> = {
  python: () => import('shiki/dist/langs/python.mjs'),
  cpp: () => import('shiki/dist/langs/cpp.mjs'),
  c: () => import('shiki/dist/langs/c.mjs'),
  rust: () => import('shiki/dist/langs/rust.mjs'),
  java: () => import('shiki/dist/langs/java.mjs'),
  go: () => import('shiki/dist/langs/go.mjs'),
  javascript: () => import('shiki/dist/langs/javascript.mjs'),
  typescript: () => import('shiki/dist/langs/typescript.mjs'),
  html: () => import('shiki/dist/langs/html.mjs'),
  css: () => import('shiki/dist/langs/css.mjs'),
  json: () => import('shiki/dist/langs/json.mjs'),
  shellscript: () => import('shiki/dist/langs/shellscript.mjs'),
  sql: () => import('shiki/dist/langs/sql.mjs'),
  markdown: () => import('shiki/dist/langs/markdown.mjs'),
  csharp: () => import('shiki/dist/langs/csharp.mjs'),
  kotlin: () => import('shiki/dist/langs/kotlin.mjs'),
  swift: () => import('shiki/dist/langs/swift.mjs'),
  ruby: () => import('shiki/dist/langs/ruby.mjs'),
  php: () => import('shiki/dist/langs/php.mjs'),
  scala: () => import('shiki/dist/langs/scala.mjs'),
  haskell: () => import('shiki/dist/langs/haskell.mjs'),
  lua: () => import('shiki/dist/langs/lua.mjs'),
  r: () => import('shiki/dist/langs/r.mjs'),
  julia: () => import('shiki/dist/langs/julia.mjs'),
}

const THEMES: Record<string, Loader<ThemeRegistration>> = {
  'github-light': () => import('shiki/dist/themes/github-light.mjs'),
  'github-dark': () => import('shiki/dist/themes/github-dark.mjs'),
}

/** Lines longer than this are not tokenised. */
const MAX_LINE_LENGTH = 2000

let highlighter: Promise<HighlighterCore> | null = null
const loading = new Map<string, Promise<void>>()

function core(): Promise<HighlighterCore> {
  highlighter ??= createHighlighterCore({
    themes: [],
    langs: [],
    engine: createOnigurumaEngine(import('shiki/wasm')),
  })
  return highlighter
}

/** Loads a grammar or theme once, however many requests ask for it at the same time. */
function ensure(key: string, load: (h: HighlighterCore) => Promise<void>): Promise<void> {
  let pending = loading.get(key)
  if (!pending) {
    pending = core().then(load)
    loading.set(key, pending)
  }
  return pending
}

type TokenizeRequest = Extract<HighlightRequest, { code: string }>

async function tokenize(request: TokenizeRequest, code: string): Promise<Token[][]> {
  const h = await core()
  const theme = THEMES[request.theme]
  if (!theme) throw new Error(`No theme ${request.theme}`)
  await ensure(`theme:${request.theme}`, async (x) => x.loadTheme((await theme()).default))
  const language = LANGUAGES[request.grammar]
  if (!language) throw new Error(`No grammar ${request.grammar}`)
  await ensure(`lang:${request.grammar}`, async (x) => x.loadLanguage((await language()).default))
  const lines = h.codeToTokensBase(code, {
    lang: request.grammar,
    theme: request.theme,
    // A longer line (minified code, a 44k-character trace) is left plain rather than stall.
    tokenizeMaxLineLength: MAX_LINE_LENGTH,
  })
  return lines.map((line) => line.map((t) => [t.content, t.color ?? '', t.fontStyle ?? 0] as Token))
}

/**
 * Work waiting, run one job at a time: every request's first lines before any request's whole
 * code, so both sides of a diff get the colours of their top at once. A cancelled request's jobs
 * are dropped.
 */
interface Job {
  readonly request: TokenizeRequest
  /** The first lines only (`FIRST_LINES`), or the whole code. */
  readonly first: boolean
}

const jobs: Job[] = []
let running = false

function post(response: HighlightResponse): void {
  self.postMessage(response)
}

async function pump(): Promise<void> {
  if (running) return
  running = true
  try {
    while (jobs.length > 0) {
      const at = Math.max(
        0,
        jobs.findIndex((job) => job.first),
      )
      const [job] = jobs.splice(at, 1)
      const { request, first } = job!
      try {
        const code = first ? firstLines(request.code) : request.code
        const lines = await tokenize(request, code)
        post(first ? { id: request.id, lines, partial: true } : { id: request.id, lines })
      } catch (error) {
        // Only the whole code's answer is awaited: a failure is said once, there.
        if (!first)
          post({ id: request.id, error: error instanceof Error ? error.message : String(error) })
      }
      // Let requests and cancellations that arrived meanwhile in before choosing the next job.
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
  } finally {
    running = false
  }
}

/** The code's first `FIRST_LINES` lines. */
function firstLines(code: string): string {
  let end = -1
  for (let n = 0; n < FIRST_LINES; n++) {
    end = code.indexOf('\n', end + 1)
    if (end === -1) return code
  }
  return code.slice(0, end)
}

function hasMoreLines(code: string): boolean {
  return firstLines(code).length < code.length
}

self.onmessage = (event: MessageEvent<HighlightRequest>) => {
  const request = event.data
  if ('cancel' in request) {
    for (let i = jobs.length - 1; i >= 0; i--)
      if (jobs[i]!.request.id === request.id) jobs.splice(i, 1)
    return
  }
  if (hasMoreLines(request.code)) jobs.push({ request, first: true })
  jobs.push({ request, first: false })
  void pump()
}
