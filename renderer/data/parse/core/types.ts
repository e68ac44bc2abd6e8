/**
 * What parsing an answer tells the reward checks, and what is asked of the parser. Plain data:
 * it crosses the worker boundary and is written to the engine's parse-facts table.
 */

/** The languages with a grammar, by the app's folded language names. */
export const PARSED_LANGUAGES = [
  'python',
  'cpp',
  'c',
  'rust',
  'java',
  'javascript',
  'typescript',
  'go',
  'csharp',
] as const

export type ParsedLanguage = (typeof PARSED_LANGUAGES)[number]

/** The grammar file (in `@vscode/tree-sitter-wasm/wasm`) of each language; C is parsed as C++. */
export const GRAMMAR_FILES: Readonly<Record<ParsedLanguage, string>> = {
  python: 'tree-sitter-python.wasm',
  cpp: 'tree-sitter-cpp.wasm',
  c: 'tree-sitter-cpp.wasm',
  rust: 'tree-sitter-rust.wasm',
  java: 'tree-sitter-java.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  go: 'tree-sitter-go.wasm',
  csharp: 'tree-sitter-c-sharp.wasm',
}

/** True for a language the parser has a grammar for. */
export function isParsedLanguage(language: string | null): language is ParsedLanguage {
  return (PARSED_LANGUAGES as readonly string[]).includes(language ?? '')
}

/** One answer to parse. */
export interface ParseRequest {
  /** The unit's language (folded: `cpp`, `python`), or null when the file does not say. */
  readonly language: string | null
  /** The answer as the file holds it: bare code, or prose with fenced code. */
  readonly text: string
  /** The tests the answer is judged by, as text (Python asserts), or null. */
  readonly tests: string | null
}

/** A place in the code (1-based, lines counted inside its fence), with its line (trimmed, cut to 120 chars). */
export interface Evidence {
  readonly line: number
  readonly column: number
  readonly text: string
}

/** What parsing one answer found. */
export interface ParseFacts {
  /** The grammar used, or null when no grammar fits (no language, or one without a grammar). */
  readonly grammar: ParsedLanguage | null
  /** The first syntax error (an ERROR or MISSING node), or null when the code parses cleanly. */
  readonly error: Evidence | null
  /** True when an error reaches the end of the code: the answer was cut off. */
  readonly errorAtEnd: boolean
  /** A function left unwritten (`pass`, `...`, `raise NotImplementedError`, `todo!()`, only a TODO) in code with no other real code. */
  readonly stub: Evidence | null
  /** Code that games the tests, with what it does (`sys.exit(0) before the asserts run: …`). */
  readonly hack: (Evidence & { readonly kind: string }) | null
  /** Another language whose grammar parses the code cleanly where the labelled one fails. */
  readonly otherLanguage: ParsedLanguage | null
  /** A hash of the code parsed, whitespace removed: equal for the same code however it is fenced or spaced. */
  readonly codeKey: string | null
}

/** A 64-bit hash of text as 16 hex digits (two 32-bit FNV-1a variants): for cache keys, not security. */
export function textHash(text: string): string {
  let h1 = 0x811c9dc5
  let h2 = 0x9747b28c
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0')
}
