/**
 * Highlighted code for the views: one worker shared by every view, and a cache of recent results,
 * so moving back and forth between rows does not tokenise the same code twice.
 */
import { useEffect, useState } from 'react'
import { CODE_THEMES, type GrammarId, type Mode, grammarFor } from './grammars'
import type { HighlightRequest, HighlightResponse, Token } from './highlightProtocol'

/** Characters of code whose tokens are kept (the most recently used first): about a hundred pairs of 200-line files. */
const CACHE_CHARS = 4_000_000

type Pending = {
  resolve: (lines: Token[][]) => void
  reject: (error: Error) => void
  firstLines?: (lines: Token[][]) => void
}

let worker: Worker | null = null
let nextId = 1
const pending = new Map<number, Pending>()
const cache = new Map<string, Token[][]>()
/** Characters of code in the cache (its keys' length, near enough). */
let cachedChars = 0

function highlightWorker(): Worker {
  if (worker) return worker
  const created = new Worker(new URL('./highlight.worker.ts', import.meta.url), { type: 'module' })
  created.onmessage = (event: MessageEvent<HighlightResponse>) => {
    const response = event.data
    const waiting = pending.get(response.id)
    if (!waiting) return
    if ('lines' in response && response.partial) {
      waiting.firstLines?.(response.lines)
      return
    }
    pending.delete(response.id)
    if ('error' in response) waiting.reject(new Error(response.error))
    else waiting.resolve(response.lines)
  }
  created.onerror = (event) => {
    // A worker that cannot start fails every request; the views show plain text.
    for (const waiting of pending.values()) waiting.reject(new Error(event.message))
    pending.clear()
    worker = null
  }
  worker = created
  return created
}

/**
 * Tokens for each line of `code` (lines split on `\n` only: normalise line ends first).
 * `firstLines` gets the tokens of the first lines of long code before the whole is done; an abort
 * drops the request from the worker's queue (the promise then never settles).
 */
export function highlight(
  code: string,
  grammar: GrammarId,
  mode: Mode,
  options: { firstLines?: (lines: Token[][]) => void; signal?: AbortSignal } = {},
): Promise<Token[][]> {
  const theme = CODE_THEMES[mode]
  const key = `${theme}\0${grammar}\0${code}`
  const hit = cache.get(key)
  if (hit) {
    cache.delete(key)
    cache.set(key, hit)
    return Promise.resolve(hit)
  }
  const id = nextId++
  return new Promise<Token[][]>((resolve, reject) => {
    pending.set(id, { resolve, reject, firstLines: options.firstLines })
    const target = highlightWorker()
    target.postMessage({ id, code, grammar, theme } satisfies HighlightRequest)
    options.signal?.addEventListener('abort', () => {
      if (!pending.delete(id)) return
      target.postMessage({ id, cancel: true } satisfies HighlightRequest)
    })
  }).then((lines) => {
    cache.set(key, lines)
    cachedChars += key.length
    for (const [oldKey] of cache) {
      if (cachedChars <= CACHE_CHARS || oldKey === key) break
      cache.delete(oldKey)
      cachedChars -= oldKey.length
    }
    return lines
  })
}

/** Grammars already asked to load, by theme. */
const warmed = new Set<string>()

/**
 * Loads the highlighter and the grammars of these languages in its worker now, while nothing waits
 * for them, so the first diff of the open dataset is coloured at once. Each grammar loads once.
 */
export function warmHighlighting(languages: readonly string[], mode: Mode): void {
  const theme = CODE_THEMES[mode]
  const grammars = [...new Set(languages.flatMap((l) => grammarFor(l) ?? []))].filter(
    (g) => !warmed.has(`${theme}\0${g}`),
  )
  if (grammars.length === 0) return
  for (const grammar of grammars) warmed.add(`${theme}\0${grammar}`)
  highlightWorker().postMessage({ warm: grammars, theme } satisfies HighlightRequest)
}

/**
 * Warms the grammars of the languages a view lists (the language facet of the open dataset), once
 * the page is idle: the views of a dataset just opened come first.
 */
export function useWarmGrammars(languages: readonly string[]): void {
  const mode = useMode()
  const key = languages.join('\0')
  useEffect(() => {
    if (key === '') return
    const run = () => warmHighlighting(key.split('\0'), mode)
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(run, { timeout: 2000 })
      return () => cancelIdleCallback(handle)
    }
    const timer = setTimeout(run, 200)
    return () => clearTimeout(timer)
  }, [key, mode])
}

/** The document's current mode, following theme changes. */
export function useMode(): Mode {
  const read = (): Mode => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light')
  const [mode, setMode] = useState<Mode>(read)
  useEffect(() => {
    const observer = new MutationObserver(() => setMode(read()))
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    })
    return () => observer.disconnect()
  }, [])
  return mode
}

/** Tokens of the lines of some code: every line once `complete`, else its first lines. */
export interface Highlighted {
  readonly lines: Token[][]
  readonly complete: boolean
}

/**
 * The tokens of `code`: its first lines as soon as they are ready, then every line; null while
 * none are ready (show plain text meanwhile), when there is no grammar, or when highlighting
 * failed. Code that is no longer shown is dropped from the worker's queue.
 */
export function useHighlight(
  code: string,
  grammar: GrammarId | null,
  mode: Mode,
): Highlighted | null {
  const [result, setResult] = useState<(Highlighted & { key: string }) | null>(null)
  const key = grammar === null ? '' : `${mode}\0${grammar}\0${code}`
  useEffect(() => {
    if (grammar === null) return
    const controller = new AbortController()
    const live = () => !controller.signal.aborted
    highlight(code, grammar, mode, {
      signal: controller.signal,
      firstLines: (lines) => live() && setResult({ key, lines, complete: false }),
    }).then(
      (lines) => live() && setResult({ key, lines, complete: true }),
      () => live() && setResult(null),
    )
    return () => controller.abort()
  }, [code, grammar, mode, key])
  return result !== null && result.key === key ? result : null
}
