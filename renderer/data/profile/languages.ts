/**
 * Programming languages: the names files use for them, folded to one, and how to tell them from
 * code when the file does not say. Each rule exists once here and is turned into SQL, so the
 * engine computes languages for any number of rows without pulling code into JavaScript.
 */
import { quoteString } from '../../../shared/sql'

/** The canonical language names and every spelling of each seen in datasets and fence labels. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  python: ['python', 'py', 'python3', 'python2', 'py3', 'ipython', 'pycon'],
  cpp: ['cpp', 'c++', 'cxx', 'cc', 'hpp', 'c plus plus', 'cplusplus'],
  c: ['c', 'h', 'ansi c'],
  rust: ['rust', 'rs'],
  java: ['java'],
  go: ['go', 'golang'],
  javascript: ['javascript', 'js', 'node', 'nodejs', 'jsx', 'mjs', 'cjs', 'ecmascript'],
  typescript: ['typescript', 'ts', 'tsx'],
  html: ['html', 'htm', 'xhtml'],
  css: ['css', 'scss', 'less'],
  json: ['json', 'jsonc', 'json5'],
  bash: ['bash', 'sh', 'shell', 'zsh', 'console', 'shellscript'],
  sql: ['sql', 'postgresql', 'mysql', 'sqlite', 'plsql'],
  markdown: ['markdown', 'md'],
  csharp: ['csharp', 'c#', 'cs'],
  kotlin: ['kotlin', 'kt'],
  swift: ['swift'],
  ruby: ['ruby', 'rb'],
  php: ['php'],
  scala: ['scala'],
  haskell: ['haskell', 'hs'],
  lua: ['lua'],
  r: ['r'],
  julia: ['julia', 'jl'],
}

const CANONICAL = new Map<string, string>(
  Object.entries(ALIASES).flatMap(([name, spellings]) => spellings.map((s) => [s, name] as const)),
)

/** The language a label means (`C++` -> `cpp`), or null for a label that names no known language. */
export function foldLanguage(label: string): string | null {
  return CANONICAL.get(label.trim().toLowerCase()) ?? null
}

/** A DuckDB MAP literal from every spelling to its language, for constant-time lookups in SQL. */
function aliasMapSql(): string {
  return `MAP {${[...CANONICAL].map(([alias, name]) => `${quoteString(alias)}: ${quoteString(name)}`).join(', ')}}`
}

/**
 * SQL folding a language label: known spellings to their canonical name, anything else lower-cased
 * as the file wrote it (it is still the file's own word), empty to NULL. A MAP lookup, not a CASE
 * chain: the CASE re-evaluates the label once per spelling and costs a hundred times more.
 */
export function foldLanguageSql(expr: string): string {
  const key = `lower(trim(${expr}))`
  return `coalesce(${aliasMapSql()}[${key}], nullif(${key}, ''))`
}

/** SQL for the info string of the first code fence (```python -> python), folded; NULL if none. */
export function fenceLanguageSql(textExpr: string): string {
  const info = `lower(regexp_extract(${textExpr}, '\`\`\`[ \t]*([A-Za-z0-9_+#.-]+)', 1))`
  return `${aliasMapSql()}[${info}]`
}

/**
 * Signs of a language in code, tried in order (the first that matches wins). Regular expressions
 * in RE2 syntax, as DuckDB runs them; `(?m)` makes ^ match at line starts.
 */
export const CODE_SIGNS: readonly (readonly [language: string, pattern: string])[] = [
  // A whole HTML document first (at the start of any line: it may follow markdown): its scripts
  // would otherwise read as JavaScript.
  ['html', String.raw`(?im)^\s*(<!DOCTYPE\s+html|<html[\s>])`],
  [
    'rust',
    String.raw`\bfn\s+\w+\s*(<[^>]*>)?\s*\(|\blet\s+mut\b|\bimpl\b.*\{|println!\(|\bVec<|\buse\s+(std|crate|super)::`,
  ],
  [
    'cpp',
    String.raw`#include\s*<(iostream|vector|string|map|unordered_map|algorithm|memory|set|queue|cstdio|cstdlib|cmath|cassert|sstream|fstream|utility|array|functional|numeric|stdexcept)>|\bstd::|\btemplate\s*<|\bcout\s*<<`,
  ],
  ['c', String.raw`#include\s*<(stdio|stdlib|string|math|stdbool|stdint)\.h>`],
  // C# before Java: both declare `public class`, only C# says `using System` or `Console.Write`.
  ['csharp', String.raw`\busing\s+System\b|Console\.Write`],
  [
    'java',
    String.raw`\bpublic\s+(static\s+)?(final\s+)?(class|void|int|String)\b|System\.out\.print`,
  ],
  [
    'go',
    String.raw`(?m)^package\s+\w+|\bfunc\s+(\(\w+\s+\*?\w+\)\s*)?\w+\s*\(.*\)\s*[\w\[\]*]*\s*\{|\bfmt\.Print`,
  ],
  [
    'python',
    String.raw`(?m)^\s*def\s+\w+\s*\(.*\)\s*(->.*)?:|^\s*(from\s+[\w.]+\s+)?import\s+\w+|^\s*class\s+\w+(\(.*\))?:|\bprint\(`,
  ],
  [
    'typescript',
    String.raw`\b(interface|type)\s+\w+\s*(=|\{)|:\s*(string|number|boolean)(\[\])?\s*[,)=;]`,
  ],
  [
    'javascript',
    String.raw`\bfunction\s+\w*\s*\(|\bconsole\.log\(|\b(const|let|var)\s+\w+\s*=|=>\s*\{`,
  ],
  ['sql', String.raw`(?is)^\s*(SELECT\s+.+\s+FROM|CREATE\s+TABLE|INSERT\s+INTO)\b`],
]

/** SQL guessing the language of code from its signs; NULL when nothing matches. */
export function codeLanguageSql(codeExpr: string): string {
  const cases = CODE_SIGNS.map(
    ([language, pattern]) =>
      `WHEN regexp_matches(${codeExpr}, ${quoteString(pattern)}) THEN ${quoteString(language)}`,
  )
  return `(CASE ${cases.join(' ')} ELSE NULL END)`
}

/** The label shown for a language nobody could tell. */
export const UNKNOWN_LANGUAGE = 'unknown'

/** A pattern of CODE_SIGNS as a JavaScript regular expression: RE2's leading `(?ims)` become flags. */
function signRegExp(pattern: string): RegExp {
  const flags = /^\(\?([ims]+)\)/.exec(pattern)
  return flags ? new RegExp(pattern.slice(flags[0].length), flags[1]) : new RegExp(pattern)
}

const SIGN_REGEXPS = CODE_SIGNS.map(([, pattern]) => signRegExp(pattern))

/**
 * Lines shaped like code in any language, and rarely like a sentence: a statement's or a block's
 * end, a call alone on its line, an assignment, an indented line that is not a list item, an
 * operator prose does not use, a markup tag, a keyword that opens a definition.
 */
const CODE_LINE = [
  /[;{}]\s*$/,
  /^\s*[\w.$]+\(.*\)\s*;?\s*$/,
  /^\s*[A-Za-z_$][\w.$[\]'"]*\s*([-+*/%|&^]|\/\/|\*\*)?=\s*[^=\s]/,
  /^( {2,}|\t)(?![-*+•]\s|\d+[.)]\s)\S/,
  /==|!=|&&|\|\||->|=>|::/,
  /<\/?[a-z][\w-]*(\s[^<>]*)?\/?>/i,
  /^\s*(def|class|struct|enum|impl|fn|func|function|fun|import|#include|#define|package|using|public|private|protected|static|return|async|await|elif|else|try|except|finally|catch|throw|raise|assert|lambda|yield)\b/,
]

/** The share of a text's non-empty lines shaped like code at or above which it reads as code. */
const CODE_LINE_SHARE = 0.25

/**
 * True when a text reads as code: a fence, a docstring, a sign of a known language, or enough
 * lines shaped like code. An answer in sentences (no fence, no such line) is prose, and colouring
 * it as a language paints its words `is`, `in`, `for` as keywords.
 */
export function looksLikeCode(text: string): boolean {
  // A fence, or a docstring opened at a line start (completions cut off inside one).
  if (/```|^\s*("""|''')/m.test(text)) return true
  if (SIGN_REGEXPS.some((sign) => sign.test(text))) return true
  const lines = text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '')
  if (lines.length === 0) return false
  const shaped = lines.filter((line) => CODE_LINE.some((shape) => shape.test(line))).length
  return shaped / lines.length >= CODE_LINE_SHARE
}
