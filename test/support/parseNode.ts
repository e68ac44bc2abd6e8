/**
 * The parser as Node runs it: the same `ParseCore` the parse worker runs, its wasm files read
 * from the installed packages instead of the bundle.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { ParseCore } from '../../renderer/data/parse/core/parser'
import type { ParseService } from '../../renderer/data/parse/facts'

const require = createRequire(import.meta.url)
const GRAMMARS = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm')
const RUNTIME = dirname(require.resolve('web-tree-sitter'))

let core: Promise<ParseCore> | null = null

/** The one parser of a test run. */
export function nodeParser(): Promise<ParseCore> {
  core ??= ParseCore.create((file) =>
    file === 'web-tree-sitter.wasm' ? join(RUNTIME, file) : join(GRAMMARS, file),
  )
  return core
}

/** The Node parser as the `ParseService` the facts are built with. */
export const nodeParseService: ParseService = {
  async parse(items) {
    const parser = await nodeParser()
    const facts = []
    for (const item of items) facts.push(await parser.facts(item))
    return { facts, cached: parser.cached }
  },
}
