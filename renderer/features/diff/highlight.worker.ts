/**
 * Syntax highlighting off the main thread: shiki with the Oniguruma (WASM) engine, which tokenises
 * C++ completely and several times faster than the JavaScript regex engine (ENVIRONMENT.md).
 * Grammars and themes are bundled and loaded on first use; nothing is fetched from the network.
 */
import { createHighlighterCore } from 'shiki/core'
import type { HighlighterCore, LanguageRegistration, ThemeRegistration } from 'shiki/core'
import { createOnigurumaEngine } from 'shiki/engine/oniguruma'
import type { HighlightRequest, HighlightResponse, Token } from './highlightProtocol'

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

async function tokenize(request: HighlightRequest): Promise<Token[][]> {
  const h = await core()
  const theme = THEMES[request.theme]
  if (!theme) throw new Error(`No theme ${request.theme}`)
  await ensure(`theme:${request.theme}`, async (x) => x.loadTheme((await theme()).default))
  const language = LANGUAGES[request.grammar]
  if (!language) throw new Error(`No grammar ${request.grammar}`)
  await ensure(`lang:${request.grammar}`, async (x) => x.loadLanguage((await language()).default))
  const lines = h.codeToTokensBase(request.code, {
    lang: request.grammar,
    theme: request.theme,
    // A longer line (minified code, a 44k-character trace) is left plain rather than stall.
    tokenizeMaxLineLength: MAX_LINE_LENGTH,
  })
  return lines.map((line) => line.map((t) => [t.content, t.color ?? '', t.fontStyle ?? 0] as Token))
}

self.onmessage = (event: MessageEvent<HighlightRequest>) => {
  const request = event.data
  tokenize(request).then(
    (lines) => self.postMessage({ id: request.id, lines } satisfies HighlightResponse),
    (error: unknown) =>
      self.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies HighlightResponse),
  )
}
