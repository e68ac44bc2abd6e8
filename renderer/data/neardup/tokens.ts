/**
 * The code lexer of near-duplicate detection: code reduced to the tokens that say what it does,
 * so renamed variables, reformatting, comments and changed literals leave the same tokens.
 *
 * A small hand-written scanner rather than a parse tree: it is fast, handles every language the
 * app names, and does not fail on the truncated answers datasets hold (an unclosed string or
 * comment simply runs to the end). Rules:
 * - a surrounding markdown fence is dropped; prose with fenced blocks keeps only the blocks;
 * - comments are dropped: `#` (python, ruby, shell, r, julia, php), `//` and block comments
 *   (C-like languages), `--` (sql, haskell, lua); an unknown language gets C-like comments, and
 *   `#` comments when the code looks like Python or shell (a line starting `def `, `import `,
 *   `from x import`, `elif ` or `#!`), so `#include` stays code elsewhere;
 * - a Python triple-quoted string that starts its line (a docstring) is dropped;
 * - string and char literals become `"S"`, numbers `"N"`, Rust lifetimes `"L"`;
 * - identifiers become `"I"`, except the language's keywords and common builtins and names right
 *   after `.`, `->` or `::` (method, attribute and path names: `.append`, `Vec::new`), kept as is;
 * - operators and punctuation are tokens of their own; whitespace is ignored.
 */

const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean))

const PYTHON = words(`False None True and as assert async await break class continue def del elif
  else except finally for from global if import in is lambda nonlocal not or pass raise return try
  while with yield match case self cls len range print sorted sum min max list dict set tuple int
  str float bool enumerate zip map filter abs any all isinstance open reversed iter next super
  object type Exception ValueError KeyError IndexError TypeError collections defaultdict Counter
  deque heapq math itertools functools re os sys json typing List Dict Set Tuple Optional`)

const C_FAMILY = `auto break case char const continue default do double else enum extern float for
  goto if inline int long register return short signed sizeof static struct switch typedef union
  unsigned void volatile while bool true false NULL nullptr printf scanf malloc free size_t
  include define ifdef ifndef endif pragma`

const CPP = words(`${C_FAMILY} class namespace template typename public private protected virtual
  override new delete this throw try catch using operator friend explicit constexpr noexcept
  static_cast dynamic_cast reinterpret_cast const_cast decltype mutable std vector string map
  unordered_map set unordered_set pair make_pair cout cin endl cerr unique_ptr shared_ptr
  make_unique make_shared move swap sort min max begin end size_t int64_t uint64_t int32_t
  mutex lock_guard thread optional function`)

const C = words(`${C_FAMILY} strlen strcmp strcpy memcpy memset calloc realloc fprintf puts
  stdin stdout stderr FILE fopen fclose`)

const JAVA = words(`abstract assert boolean break byte case catch char class const continue
  default do double else enum extends final finally float for goto if implements import
  instanceof int interface long native new package private protected public return short static
  strictfp super switch synchronized this throw throws transient try void volatile while var
  record true false null String System Math List ArrayList Map HashMap Set HashSet Integer Long
  Double Boolean Character Arrays Collections Object Optional StringBuilder Exception out println`)

const JS = `break case catch class const continue debugger default delete do else export extends
  finally for function if import in instanceof let new return super switch this throw try typeof
  var void while with yield async await of static get set true false null undefined NaN console
  Math Object Array JSON Promise Map Set String Number Boolean Symbol Error parseInt parseFloat
  require module exports length log`

const JAVASCRIPT = words(JS)

const TYPESCRIPT = words(`${JS} interface type enum implements private protected public readonly
  declare namespace abstract as keyof infer is never unknown any number string boolean object
  Record Partial Readonly`)

const RUST = words(`as async await break const continue crate dyn else enum extern false fn for if
  impl in let loop match mod move mut pub ref return self Self static struct super trait true type
  unsafe use where while i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char
  str String Vec Option Some None Result Ok Err Box Rc Arc RefCell HashMap HashSet BTreeMap std
  println print format vec panic assert assert_eq Mutex`)

const GO = words(`break case chan const continue default defer else fallthrough for func go goto if
  import interface map package range return select struct switch type var true false nil int int8
  int16 int32 int64 uint uint8 uint16 uint32 uint64 float32 float64 string bool byte rune error
  len cap make new append copy delete panic recover fmt Println Printf Sprintf errors strings sort
  sync`)

const CSHARP = words(`abstract as base bool break byte case catch char checked class const continue
  decimal default delegate do double else enum event explicit extern false finally fixed float for
  foreach goto if implicit in int interface internal is lock long namespace new null object
  operator out override params private protected public readonly ref return sbyte sealed short
  sizeof stackalloc static string struct switch this throw true try typeof uint ulong unchecked
  unsafe ushort using virtual void volatile while var async await get set Console List Dictionary
  Math String Task Linq WriteLine`)

const KOTLIN = words(`as break class continue do else false for fun if in interface is null object
  package return super this throw true try typealias val var when while override open data
  private public internal companion println listOf mapOf mutableListOf String Int Long Boolean`)

const SWIFT = words(`class deinit enum extension func import init let protocol struct subscript
  typealias var break case continue default defer do else fallthrough for guard if in repeat
  return switch where while as catch false is nil self Self super throw throws true try print
  Int String Double Bool Array Dictionary`)

const RUBY = words(`BEGIN END alias and begin break case class def defined do else elsif end
  ensure false for if in module next nil not or redo rescue retry return self super then true undef
  unless until when while yield puts print require attr_accessor each map`)

const PHP = words(`abstract and array as break callable case catch class clone const continue
  declare default do echo else elseif empty enddeclare endfor endforeach endif endswitch endwhile
  extends final finally fn for foreach function global goto if implements include instanceof
  insteadof interface isset list match namespace new or print private protected public readonly
  require return static switch throw trait try unset use var while yield true false null count
  strlen`)

const SQL = words(`select from where and or not insert into values update set delete create table
  drop alter join left right inner outer on group by order having limit as distinct count sum avg
  min max null is in like between case when then else end union all`)

const OTHER = words(`${[...CPP, ...PYTHON, ...JAVASCRIPT, ...RUST].join(' ')}`)

const KEYWORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  python: PYTHON,
  cpp: CPP,
  c: C,
  java: JAVA,
  javascript: JAVASCRIPT,
  typescript: TYPESCRIPT,
  rust: RUST,
  go: GO,
  csharp: CSHARP,
  kotlin: KOTLIN,
  swift: SWIFT,
  ruby: RUBY,
  php: PHP,
  sql: SQL,
}

interface Rules {
  readonly keywords: ReadonlySet<string>
  readonly hash: boolean
  readonly slashes: boolean
  readonly dashes: boolean
  readonly docstrings: boolean
  readonly lifetimes: boolean
  readonly backtickStrings: boolean
}

const HASH = new Set(['python', 'bash', 'ruby', 'r', 'julia', 'php'])
const DASHES = new Set(['sql', 'haskell', 'lua'])
const NOT_C_LIKE = new Set([...HASH, ...DASHES].filter((l) => l !== 'php'))

/** Whether code of an unknown language looks like Python or shell (so `#` starts a comment). */
const HASH_LOOK = /^\s*(?:def |import \w|from [\w.]+ import|elif |#!)/m

function rulesFor(language: string | null, code: string): Rules {
  const known = language !== null && language in KEYWORDS
  const lang = language ?? ''
  const unknown = language === null || (!known && !HASH.has(lang) && !DASHES.has(lang))
  const looksLikePython = unknown && HASH_LOOK.test(code)
  return {
    keywords: KEYWORDS[lang] ?? OTHER,
    hash: HASH.has(lang) || looksLikePython,
    slashes: unknown || !NOT_C_LIKE.has(lang),
    dashes: DASHES.has(lang),
    docstrings: lang === 'python' || looksLikePython,
    lifetimes: lang === 'rust',
    backtickStrings: unknown || ['javascript', 'typescript', 'go', 'kotlin'].includes(lang),
  }
}

const FENCE = /^[ \t]*(`{3,}|~{3,})[^\n]*$/gm

/** The code inside markdown fences: all fenced blocks when there are any, else the text. */
export function stripFences(text: string): string {
  const marks = [...text.matchAll(FENCE)]
  if (marks.length === 0) return text
  const blocks: string[] = []
  for (let i = 0; i < marks.length; i += 2) {
    const open = marks[i]!
    const close = marks[i + 1]
    const start = open.index + open[0].length + 1
    blocks.push(text.slice(start, close ? close.index : text.length))
  }
  return blocks.join('\n')
}

/** Operators of three and two characters, matched longest first. */
const OPERATORS_3 = new Set(['===', '!==', '**=', '>>=', '<<=', '...', '//=', '>>>', '<=>', '::='])
const OPERATORS_2 = new Set(
  `== != <= >= && || ++ -- += -= *= /= %= &= |= ^= << >> -> => ** // :: := ?. ?? .. |> <-`.split(
    ' ',
  ),
)
const MEMBER = new Set(['.', '->', '::', '?.'])

const isDigit = (c: number) => c >= 48 && c <= 57
const isIdentStart = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c > 127
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c)
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11

/** Where a quoted literal opened at `start` (quote `q`, tripled or not) ends. */
function stringEnd(code: string, start: number, quote: string, triple: boolean): number {
  const n = code.length
  const closing = triple ? quote.repeat(3) : quote
  let i = start + closing.length
  while (i < n) {
    const c = code[i]
    if (c === '\\') i += 2
    else if (code.startsWith(closing, i)) return i + closing.length
    else if (!triple && c === '\n' && quote !== '`') return i
    else i++
  }
  return n
}

/** The string prefixes a language allows right before a quote (`f"..."`, `b'...'`, `@"..."`). */
const STRING_PREFIX = /^(?:[rRbBuUfF]{1,2}|u8|u8R|LR|uR|UR|R|L|\$)$/

/** The tokens of `code` in `language` (a folded name such as `python`, or null when unknown). */
export function codeTokens(code: string, language: string | null): string[] {
  const text = stripFences(code)
  const rules = rulesFor(language, text)
  const tokens: string[] = []
  const n = text.length
  let i = 0
  let lineStart = true
  while (i < n) {
    const c = text.charCodeAt(i)
    if (isSpace(c)) {
      if (c === 10) lineStart = true
      i++
      continue
    }
    const ch = text[i]!
    const startsLine = lineStart
    lineStart = false
    // Comments.
    if ((rules.hash && ch === '#') || (rules.dashes && text.startsWith('--', i))) {
      const end = text.indexOf('\n', i)
      i = end < 0 ? n : end
      continue
    }
    if (rules.slashes && ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2)
      i = end < 0 ? n : text[i + 1] === '/' ? end : end + 2
      continue
    }
    // Strings, chars and Rust lifetimes.
    if (ch === '"' || ch === "'" || (ch === '`' && rules.backtickStrings)) {
      if (ch === "'" && rules.lifetimes && isIdentStart(text.charCodeAt(i + 1))) {
        if (text[i + 2] !== "'") {
          let j = i + 1
          while (j < n && isIdentPart(text.charCodeAt(j))) j++
          tokens.push('L')
          i = j
          continue
        }
      }
      const triple = ch !== '`' && text.startsWith(ch.repeat(3), i)
      i = stringEnd(text, i, ch, triple)
      const docstring = triple && rules.docstrings && startsLine
      if (!docstring) tokens.push('S')
      continue
    }
    // Numbers.
    if (isDigit(c) || (ch === '.' && isDigit(text.charCodeAt(i + 1)))) {
      const hex = ch === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')
      let j = i + 1
      while (j < n) {
        const d = text.charCodeAt(j)
        const prev = text[j - 1]
        if (isIdentPart(d) || d === 46) j++
        else if ((d === 43 || d === 45) && (prev === 'e' || prev === 'E') && !hex) j++
        else break
      }
      // `1..n` is a range, not a number with two dots.
      const dots = text.slice(i, j).indexOf('..')
      if (dots >= 0) j = i + dots
      tokens.push('N')
      i = j
      continue
    }
    // C# verbatim and interpolated strings: @"...", $"...", $@"...".
    if (ch === '@' || ch === '$') {
      let j = i + 1
      if (text[j] === '@' || text[j] === '$') j++
      if (text[j] === '"') {
        i = stringEnd(text, j, '"', false)
        tokens.push('S')
        continue
      }
    }
    // Identifiers, keywords, and string prefixes.
    if (isIdentStart(c)) {
      let j = i + 1
      while (j < n && isIdentPart(text.charCodeAt(j))) j++
      const name = text.slice(i, j)
      const next = text[j]
      if ((next === '"' || next === "'") && STRING_PREFIX.test(name)) {
        if (/R$/.test(name) && next === '"' && language !== 'python') {
          // A C++ raw string: R"delim( ... )delim".
          const open = text.indexOf('(', j)
          const delim = open < 0 ? '' : text.slice(j + 1, open)
          const end = open < 0 ? -1 : text.indexOf(`)${delim}"`, open)
          i = end < 0 ? n : end + delim.length + 2
        } else {
          const triple = text.startsWith(next.repeat(3), j)
          i = stringEnd(text, j, next, triple)
        }
        tokens.push('S')
        continue
      }
      if (rules.lifetimes && name === 'r' && next === '#') {
        // A Rust raw string: r#"..."#.
        let hashes = 0
        while (text[j + hashes] === '#') hashes++
        if (text[j + hashes] === '"') {
          const end = text.indexOf(`"${'#'.repeat(hashes)}`, j + hashes + 1)
          i = end < 0 ? n : end + hashes + 1
          tokens.push('S')
          continue
        }
      }
      const previous = tokens[tokens.length - 1]
      const kept = rules.keywords.has(name) || (previous !== undefined && MEMBER.has(previous))
      tokens.push(kept ? name : 'I')
      i = j
      continue
    }
    // Operators and punctuation.
    const three = text.slice(i, i + 3)
    const two = text.slice(i, i + 2)
    const op = OPERATORS_3.has(three) ? three : OPERATORS_2.has(two) ? two : ch
    tokens.push(op)
    i += op.length
  }
  return tokens
}
