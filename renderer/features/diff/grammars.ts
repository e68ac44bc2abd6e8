/**
 * Which shiki grammar highlights a language. Languages arrive folded (`cpp`, `python`: see
 * data/profile/languages.ts) or as a file labels them (`c++`, `py`); both map to the same grammar.
 */
import { foldLanguage, looksLikeCode } from '../../data/profile/languages'

/** The grammars bundled with the app, by the folded language they highlight. */
export const GRAMMARS = {
  python: 'python',
  cpp: 'cpp',
  c: 'c',
  rust: 'rust',
  java: 'java',
  go: 'go',
  javascript: 'javascript',
  typescript: 'typescript',
  html: 'html',
  css: 'css',
  json: 'json',
  bash: 'shellscript',
  sql: 'sql',
  markdown: 'markdown',
  csharp: 'csharp',
  kotlin: 'kotlin',
  swift: 'swift',
  ruby: 'ruby',
  php: 'php',
  scala: 'scala',
  haskell: 'haskell',
  lua: 'lua',
  r: 'r',
  julia: 'julia',
} as const

/** A grammar the app bundles. */
export type GrammarId = (typeof GRAMMARS)[keyof typeof GRAMMARS]

/** The grammar for a language or a label, or null for plain text. */
export function grammarFor(language: string | null | undefined): GrammarId | null {
  if (!language) return null
  const folded = foldLanguage(language) ?? language.trim().toLowerCase()
  return Object.hasOwn(GRAMMARS, folded) ? GRAMMARS[folded as keyof typeof GRAMMARS] : null
}

/**
 * The grammar for one answer: none for prose (no fence and no sign of code in it), whatever the
 * pair's language, so the words of a sentence are not painted as keywords (`is`, `in`, `for`).
 */
export function grammarForAnswer(
  language: string | null | undefined,
  answer: string,
): GrammarId | null {
  return looksLikeCode(answer) ? grammarFor(language) : null
}

/** The two themes, matching the app's light and dark modes. */
export const CODE_THEMES = { light: 'github-light', dark: 'github-dark' } as const

/** `light` or `dark`, as the document shows it. */
export type Mode = keyof typeof CODE_THEMES
