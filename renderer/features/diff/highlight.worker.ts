/**
 * Syntax highlighting off the main thread: shiki with the Oniguruma (WASM) engine, which tokenises
 * C++ completely and several times faster than the JavaScript regex engine (ENVIRONMENT.md).
 * Grammars and themes are bundled and loaded on first use; nothing is fetched from the network.
 */
import { createHighlighterCore } from 'shiki/core'
import type {
  GrammarState,
  HighlighterCore,
  LanguageRegistration,
  ThemeRegistration,
} from 'shiki/core'
import { createOnigurumaEngine } from 'shiki/engine/oniguruma'
import { sliceEnd, tokenizeLines } from './highlightSlices'
import { type HighlightRequest, type HighlightResponse, type Token } from './highlightProtocol'

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
type WarmRequest = Extract<HighlightRequest, { warm: readonly string[] }>

/** Loads the theme and the grammar a request needs (each once). */
async function prepare(grammar: string, themeName: string): Promise<HighlighterCore> {
  const h = await core()
  const theme = THEMES[themeName]
  if (!theme) throw new Error(`No theme ${themeName}`)
  await ensure(`theme:${themeName}`, async (x) => x.loadTheme((await theme()).default))
  const language = LANGUAGES[grammar]
  if (!language) throw new Error(`No grammar ${grammar}`)
  await ensure(`lang:${grammar}`, async (x) => x.loadLanguage((await language()).default))
  return h
}

/** Tokens of some lines, from the grammar's state after the lines before them. */
async function tokenize(
  request: TokenizeRequest,
  lines: readonly string[],
  state: GrammarState | undefined,
): Promise<{ tokens: Token[][]; state: GrammarState | undefined }> {
  const h = await prepare(request.grammar, request.theme)
  return tokenizeLines(h, request.grammar, request.theme, lines, state)
}

/** A small piece of code run through each warmed grammar, so its first patterns are compiled. */
const WARM_CODE = 'def f(x):\n  return x + 1  # note\nint main() { return "s"; }\n'

/**
 * Loads the engine, the theme and the grammars of the open dataset's languages before any diff is
 * asked for, so the first diff's top is coloured without waiting for them.
 */
async function warm(request: WarmRequest): Promise<void> {
  for (const grammar of request.warm) {
    if (!LANGUAGES[grammar]) continue
    const h = await prepare(grammar, request.theme)
    h.codeToTokensBase(WARM_CODE, { lang: grammar, theme: request.theme })
    // Requests that arrive meanwhile go first.
    await new Promise((resolve) => setTimeout(resolve, 0))
    while (running) await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * Work waiting: each request's code, tokenised a slice of lines at a time, each slice continuing
 * from the grammar's state after the one before. Every request's first lines (`FIRST_LINES`) go
 * before any request's remaining lines, so both sides of a diff get the colours of their top at
 * once, and a new request never waits for more than one slice of an older one. A cancelled
 * request's job is dropped.
 */
interface Job {
  readonly request: TokenizeRequest
  readonly lines: readonly string[]
  /** The tokens of the lines done so far, and the grammar's state after them. */
  readonly tokens: Token[][]
  state: GrammarState | undefined
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
      const fresh = jobs.findIndex((job) => job.tokens.length === 0)
      const job = jobs[Math.max(0, fresh)]!
      const { request, lines, tokens } = job
      const first = tokens.length === 0
      try {
        const end = sliceEnd(tokens.length, lines.length)
        const step = await tokenize(request, lines.slice(tokens.length, end), job.state)
        // Cancelled while its grammar loaded.
        if (!jobs.includes(job)) continue
        tokens.push(...step.tokens)
        job.state = step.state
        if (tokens.length >= lines.length) {
          jobs.splice(jobs.indexOf(job), 1)
          post({ id: request.id, lines: tokens })
        } else if (first) {
          post({ id: request.id, lines: tokens.slice(), partial: true })
        }
      } catch (error) {
        if (!jobs.includes(job)) continue
        jobs.splice(jobs.indexOf(job), 1)
        post({ id: request.id, error: error instanceof Error ? error.message : String(error) })
      }
      // Let requests and cancellations that arrived meanwhile in before choosing the next step.
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
  } finally {
    running = false
  }
}

self.onmessage = (event: MessageEvent<HighlightRequest>) => {
  const request = event.data
  if ('warm' in request) {
    void warm(request).catch(() => undefined)
    return
  }
  if ('cancel' in request) {
    for (let i = jobs.length - 1; i >= 0; i--)
      if (jobs[i]!.request.id === request.id) jobs.splice(i, 1)
    return
  }
  jobs.push({ request, lines: request.code.split('\n'), tokens: [], state: undefined })
  void pump()
}
