/**
 * The parser: web-tree-sitter with the prebuilt grammars of `@vscode/tree-sitter-wasm`, loaded
 * from wherever the runtime keeps them (bundled URLs in the browser, package files in Node), and
 * a cache of facts by a hash of (language, code, tests). The same code runs in the parse worker
 * and in Node tests.
 */
import { Language, Parser, type Tree } from 'web-tree-sitter'
import { codeToParse, compatible } from './blocks'
import { expectedOutputs, hackFact, stubFact, syntaxFacts } from './analyze'
import {
  type Evidence,
  GRAMMAR_FILES,
  PARSED_LANGUAGES,
  type ParseFacts,
  type ParseRequest,
  type ParsedLanguage,
  textHash,
} from './types'

/** Where a wasm file is: `web-tree-sitter.wasm` or a grammar file name, to a URL or path. */
export type LocateWasm = (file: string) => string

/** Answers whose facts are kept (most recently used last). */
const CACHE_ENTRIES = 200_000

/** Code longer than this (characters) is parsed no further: nothing in a training answer is. */
export const MAX_PARSED_CHARS = 200_000

/** Parses answers into facts; one per worker. */
export class ParseCore {
  private readonly parser: Parser
  private readonly languages = new Map<string, Promise<Language>>()
  private readonly cache = new Map<string, ParseFacts>()

  private constructor(private readonly locate: LocateWasm) {
    this.parser = new Parser()
  }

  /** Starts tree-sitter; grammars load on first use. */
  static async create(locate: LocateWasm): Promise<ParseCore> {
    await Parser.init({ locateFile: () => locate('web-tree-sitter.wasm') })
    return new ParseCore(locate)
  }

  /** Facts kept in the cache. */
  get cached(): number {
    return this.cache.size
  }

  private language(language: ParsedLanguage): Promise<Language> {
    const file = GRAMMAR_FILES[language]
    let loaded = this.languages.get(file)
    if (!loaded) {
      loaded = Language.load(this.locate(file))
      this.languages.set(file, loaded)
    }
    return loaded
  }

  private async parseWith(language: ParsedLanguage, code: string): Promise<Tree> {
    this.parser.setLanguage(await this.language(language))
    const tree = this.parser.parse(code)
    if (!tree) throw new Error(`tree-sitter gave no tree for ${language}`)
    return tree
  }

  /** The facts of one answer, from the cache when the same (language, code, tests) was parsed. */
  async facts(request: ParseRequest): Promise<ParseFacts> {
    const key = textHash(`${request.language ?? ''}\0${request.tests ?? ''}\0${request.text}`)
    const hit = this.cache.get(key)
    if (hit) {
      this.cache.delete(key)
      this.cache.set(key, hit)
      return hit
    }
    const facts = await this.compute(request)
    this.cache.set(key, facts)
    if (this.cache.size > CACHE_ENTRIES) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
    return facts
  }

  private async compute(request: ParseRequest): Promise<ParseFacts> {
    const target = codeToParse(request.text.slice(0, MAX_PARSED_CHARS), request.language)
    if (!target) {
      return {
        grammar: null,
        error: null,
        errorAtEnd: false,
        stub: null,
        hack: null,
        otherLanguage: null,
        codeKey: null,
      }
    }
    const { language, blocks } = target
    const expected =
      language === 'python' && request.tests
        ? await this.withTree('python', request.tests, expectedOutputs)
        : new Set<string>()
    let error: Evidence | null = null
    let errorAtEnd = false
    let stub: Evidence | null = null
    let stubs = 0
    let hack: ParseFacts['hack'] = null
    // The answer's code is its longest block: a short snippet beside it (`struct S { ... }` in a
    // usage note, program output in a bare fence) is illustration, and its errors are no defect.
    // The last block says whether the answer was cut off.
    const main = blocks.reduce((a, b) => (b.code.length > a.code.length ? b : a))
    for (const [i, block] of blocks.entries()) {
      // Lines are counted in the code, as the review's diff shows it (the code without its fence).
      const firstLine = 0
      const tree = await this.parseWith(language, block.code)
      try {
        const syntax = syntaxFacts(tree, block.code, firstLine, language)
        if (i === blocks.length - 1) {
          // Inside a fence never closed, any error is where the answer was cut.
          errorAtEnd = syntax.errorAtEnd || (block.open && syntax.error !== null)
          if (errorAtEnd) error ??= syntax.error
        }
        if (block === main) error ??= syntax.error
        const blockStub = stubFact(tree, block.code, firstLine, language)
        if (blockStub) {
          stub ??= blockStub
          stubs++
        }
        if (language === 'python') hack ??= hackFact(tree, block.code, firstLine, expected)
      } finally {
        tree.delete()
      }
    }
    // A stub block beside a block of real code (a usage example under the solution) is no stub.
    if (stubs < blocks.length) stub = null
    const code = blocks.map((b) => b.code).join('\n')
    // Code cut off inside its fence parses nowhere: only finished code is tried in other grammars.
    const cut = blocks.at(-1)?.open ?? false
    const otherLanguage = error && !cut ? await this.cleanElsewhere(language, code) : null
    return {
      grammar: language,
      error,
      // Code another grammar parses whole was not cut off: it is in that language.
      errorAtEnd: errorAtEnd && otherLanguage === null,
      stub,
      hack,
      otherLanguage,
      codeKey: code.trim() ? textHash(code.replace(/\s+/g, '')) : null,
    }
  }

  /** Another language whose grammar parses the code without error, when the code is long enough to tell. */
  private async cleanElsewhere(
    language: ParsedLanguage,
    code: string,
  ): Promise<ParsedLanguage | null> {
    if (code.trim().split('\n').length < 3) return null
    for (const other of PARSED_LANGUAGES) {
      if (other === 'c' || compatible(other, language)) continue
      const clean = await this.withTree(other, code, (tree) => !tree.rootNode.hasError)
      if (clean) return other
    }
    return null
  }

  private async withTree<T>(
    language: ParsedLanguage,
    code: string,
    read: (tree: Tree) => T,
  ): Promise<T> {
    const tree = await this.parseWith(language, code)
    try {
      return read(tree)
    } finally {
      tree.delete()
    }
  }
}
