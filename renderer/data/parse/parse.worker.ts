/**
 * The parse worker: tree-sitter off the main thread, so parsing a million answers never blocks
 * the window. The runtime and grammars are bundled (Vite `?url`), so nothing is fetched from the
 * network; each grammar loads on first use.
 */
import runtimeUrl from 'web-tree-sitter/web-tree-sitter.wasm?url'
import pythonUrl from '@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm?url'
import cppUrl from '@vscode/tree-sitter-wasm/wasm/tree-sitter-cpp.wasm?url'
import rustUrl from '@vscode/tree-sitter-wasm/wasm/tree-sitter-rust.wasm?url'
import javaUrl from '@vscode/tree-sitter-wasm/wasm/tree-sitter-java.wasm?url'
import javascriptUrl from '@vscode/tree-sitter-wasm/wasm/tree-sitter-javascript.wasm?url'
import typescriptUrl from '@vscode/tree-sitter-wasm/wasm/tree-sitter-typescript.wasm?url'
import goUrl from '@vscode/tree-sitter-wasm/wasm/tree-sitter-go.wasm?url'
import csharpUrl from '@vscode/tree-sitter-wasm/wasm/tree-sitter-c-sharp.wasm?url'
import { ParseCore } from './core/parser'
import type { ParseBatchRequest, ParseBatchResponse } from './core/protocol'

const URLS: Readonly<Record<string, string>> = {
  'web-tree-sitter.wasm': runtimeUrl,
  'tree-sitter-python.wasm': pythonUrl,
  'tree-sitter-cpp.wasm': cppUrl,
  'tree-sitter-rust.wasm': rustUrl,
  'tree-sitter-java.wasm': javaUrl,
  'tree-sitter-javascript.wasm': javascriptUrl,
  'tree-sitter-typescript.wasm': typescriptUrl,
  'tree-sitter-go.wasm': goUrl,
  'tree-sitter-c-sharp.wasm': csharpUrl,
}

let core: Promise<ParseCore> | null = null

function parser(): Promise<ParseCore> {
  core ??= ParseCore.create((file) => {
    const url = URLS[file]
    if (!url) throw new Error(`No bundled grammar file ${file}`)
    return new URL(url, self.location.href).href
  })
  return core
}

/** Batches one after another: the parser is one object with one tree at a time. */
let queue: Promise<void> = Promise.resolve()

self.onmessage = (event: MessageEvent<ParseBatchRequest>) => {
  const { id, items } = event.data
  queue = queue.then(async () => {
    let response: ParseBatchResponse
    try {
      const p = await parser()
      const facts = []
      for (const item of items) facts.push(await p.facts(item))
      response = { id, facts, cached: p.cached }
    } catch (error) {
      response = { id, error: error instanceof Error ? error.message : String(error) }
    }
    self.postMessage(response)
  })
}
