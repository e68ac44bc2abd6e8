import { describe, expect, it } from 'vitest'
import {
  CODE_SIGNS,
  codeLanguageSql,
  fenceLanguageSql,
  foldLanguage,
  foldLanguageSql,
  looksLikeCode,
} from '../../../../renderer/data/profile/languages'

/**
 * The string literals of a SQL text, unquoted, in order. Throws on a literal left open, which is
 * what an unescaped apostrophe inside a literal leads to.
 */
function sqlLiterals(sql: string): string[] {
  const out: string[] = []
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] !== "'") continue
    let value = ''
    for (i++; ; i++) {
      if (i >= sql.length) throw new Error(`unterminated literal: '${value}`)
      if (sql[i] === "'") {
        if (sql[i + 1] !== "'") break
        value += "'"
        i++
      } else value += sql[i]
    }
    out.push(value)
  }
  return out
}

/**
 * The spelling-to-language pairs of a folding SQL, whether written as CASE arms
 * (`WHEN 'c++' THEN 'cpp'`) or as MAP entries (`'c++': 'cpp'`), as [alias, name] pairs.
 */
function aliasPairs(sql: string): [string, string][] {
  const pairs: [string, string][] = []
  const re = /('(?:[^']|'')*')(?:: | THEN )('(?:[^']|'')*')/g
  for (const m of sql.matchAll(re)) {
    const [alias, name] = sqlLiterals(`${m[1]} ${m[2]}`)
    pairs.push([alias!, name!])
  }
  return pairs
}

/**
 * The language CODE_SIGNS give a code, tried in order as codeLanguageSql does. The patterns are RE2
 * (DuckDB) and use only syntax JavaScript reads the same way, once a leading `(?flags)` group is
 * turned into RegExp flags.
 */
function guessLanguage(code: string): string | null {
  for (const [language, pattern] of CODE_SIGNS) {
    const flags = /^\(\?([ims]+)\)/.exec(pattern)
    const re = new RegExp(flags ? pattern.slice(flags[0].length) : pattern, flags?.[1] ?? '')
    if (re.test(code)) return language
  }
  return null
}

describe('foldLanguage', () => {
  it.each([
    ['cpp', 'cpp'],
    ['c++', 'cpp'],
    ['C++', 'cpp'],
    ['cxx', 'cpp'],
    ['py', 'python'],
    ['python3', 'python'],
    ['Python', 'python'],
    ['js', 'javascript'],
    ['node', 'javascript'],
    ['golang', 'go'],
    ['go', 'go'],
    ['c#', 'csharp'],
    ['C#', 'csharp'],
    ['cs', 'csharp'],
    ['c', 'c'],
    ['rs', 'rust'],
    ['ts', 'typescript'],
    ['sh', 'bash'],
    ['c plus plus', 'cpp'],
  ])('folds %s to %s', (label, name) => {
    expect(foldLanguage(label)).toBe(name)
  })

  it('ignores surrounding whitespace and case', () => {
    expect(foldLanguage('  PyThOn3 \n')).toBe('python')
    expect(foldLanguage('\tGoLang ')).toBe('go')
  })

  it.each(['brainfuck', 'python 3', 'c--', '', '   ', 'objective-c'])(
    'gives null for a label naming no known language: %j',
    (label) => {
      expect(foldLanguage(label)).toBeNull()
    },
  )

  it('folds every canonical name to itself', () => {
    const names = new Set(aliasPairs(foldLanguageSql('x')).map(([, name]) => name))
    expect(names.size).toBeGreaterThan(20)
    for (const name of names) expect(foldLanguage(name)).toBe(name)
  })
})

describe('foldLanguageSql', () => {
  const sql = foldLanguageSql('"language"')

  it('quotes every string literal correctly', () => {
    const pairs = aliasPairs(sql)
    // Every literal is a spelling or its language, plus the '' that makes empty labels NULL.
    expect(sqlLiterals(sql)).toEqual([...pairs.flat(), ''])
  })

  it('maps each spelling foldLanguage knows, and only those, to the same language', () => {
    const pairs = aliasPairs(sql)
    expect(pairs).toContainEqual(['c++', 'cpp'])
    expect(pairs).toContainEqual(['c#', 'csharp'])
    expect(pairs).toContainEqual(['golang', 'go'])
    expect(pairs).toContainEqual(['c plus plus', 'cpp'])
    for (const [alias, name] of pairs) expect(foldLanguage(alias)).toBe(name)
    expect(new Set(pairs.map(([alias]) => alias)).size).toBe(pairs.length)
  })

  it('looks up the trimmed lower-cased label', () => {
    expect(sql).toContain('lower(trim("language"))')
  })
})

describe('fenceLanguageSql', () => {
  const sql = fenceLanguageSql('"answer"')

  /** What the fence pattern in the SQL extracts from a text (RE2 and JavaScript agree on it). */
  const infoOf = (text: string) =>
    new RegExp(sqlLiterals(sql).find((l) => l.startsWith('```'))!).exec(text)?.[1] ?? null

  it('extracts the info string of the first fence with a correctly quoted pattern', () => {
    expect(sql).toContain('regexp_extract("answer", ')
    expect(infoOf('Here:\n```python\nprint(1)\n```')).toBe('python')
    expect(infoOf('``` \tc++\nint x;')).toBe('c++')
    expect(infoOf('```C#\n')).toBe('C#')
    expect(infoOf('no fence here')).toBeNull()
  })

  it('folds the info string with the same spellings as the label', () => {
    expect(aliasPairs(sql)).toEqual(aliasPairs(foldLanguageSql('x')))
    expect(sql).toContain('lower(regexp_extract("answer", ')
  })
})

describe('codeLanguageSql', () => {
  const sql = codeLanguageSql('"code"')

  it('quotes every pattern so it reaches DuckDB unchanged, in CODE_SIGNS order', () => {
    expect(sqlLiterals(sql)).toEqual(
      CODE_SIGNS.flatMap(([language, pattern]) => [pattern, language]),
    )
  })

  it('tests each sign against the code expression and gives NULL when none matches', () => {
    expect(sql.match(/regexp_matches\("code", /g)).toHaveLength(CODE_SIGNS.length)
    expect(sql.startsWith('(CASE WHEN ')).toBe(true)
    expect(sql.endsWith('ELSE NULL END)')).toBe(true)
  })
})

describe('CODE_SIGNS', () => {
  it('tries html before javascript, so a page with a script reads as html', () => {
    const order = CODE_SIGNS.map(([language]) => language)
    expect(order.indexOf('html')).toBeGreaterThanOrEqual(0)
    expect(order.indexOf('html')).toBeLessThan(order.indexOf('javascript'))
    expect(
      guessLanguage(
        '<!DOCTYPE html>\n<html>\n<body>\n<script>\nconst x = 1;\nconsole.log(x);\n</script>\n</body>\n</html>',
      ),
    ).toBe('html')
  })

  it('uses flags only as a leading group (so guessLanguage reads them as RE2 does)', () => {
    for (const [, pattern] of CODE_SIGNS) {
      expect(pattern.replace(/^\(\?[ims]+\)/, '')).not.toMatch(/\(\?[a-z]/)
    }
  })

  it('names each language once and only languages foldLanguage knows', () => {
    const order = CODE_SIGNS.map(([language]) => language)
    expect(new Set(order).size).toBe(order.length)
    for (const language of order) expect(foldLanguage(language)).toBe(language)
  })

  it.each([
    ['rust', 'fn main() {\n    let mut v = Vec::new();\n    v.push(1);\n}'],
    ['cpp', '#include <vector>\nint main() { std::vector<int> v; return 0; }'],
    ['c', '#include <stdio.h>\nint main(void) { printf("hi"); return 0; }'],
    ['java', 'public class Main {\n  public static void main(String[] args) {}\n}'],
    ['go', 'package main\n\nfunc main() {\n\tx := 1\n\t_ = x\n}'],
    ['python', 'def add(a, b):\n    return a + b\n'],
    ['typescript', 'interface User { name: string }'],
    ['javascript', 'const add = (a, b) => {\n  return a + b\n}'],
    ['sql', 'SELECT name FROM users WHERE id = 1'],
  ])('reads %s from typical code', (language, code) => {
    expect(guessLanguage(code)).toBe(language)
  })

  it('reads nothing from prose', () => {
    expect(guessLanguage('The answer is forty-two.')).toBeNull()
  })

  // csharp comes after java, and every C# program declaring `public class` matches the java sign.
  it('reads C# with a public class as csharp, not java', () => {
    expect(
      guessLanguage(
        'using System;\n\npublic class Program\n{\n    public static void Main()\n    {\n        Console.WriteLine("hi");\n    }\n}',
      ),
    ).toBe('csharp')
  })

  // The go sign matches a bare `:=`, and go is tried before python, so Python's walrus operator
  // makes Python code read as Go (DuckDB: regexp_matches('if (n := len(a)) > 3:', ':=') is true).
  it('reads Python using the walrus operator (:=) as python, not go', () => {
    expect(
      guessLanguage('def f(a):\n    if (n := len(a)) > 3:\n        return n\n    return 0\n'),
    ).toBe('python')
  })
})

describe('looksLikeCode', () => {
  it('calls answers in sentences prose', () => {
    for (const prose of [
      'It is not possible to say whether it is in the list.\nThe answer is in the question.',
      'Implement a thread-safe singleton pattern in C++',
      'Sure! Here are the steps:\n\n1. Sort the list (see above).\n2. Return the first item.\n  - it is in O(n log n)',
      '## Token Parser Function\n\nThis is a simple function that takes a list of token tuples.\n\n### Code',
      '',
    ]) {
      expect(looksLikeCode(prose), prose).toBe(false)
    }
  })

  it('calls fenced, bare and cut-off code code', () => {
    for (const code of [
      'Here you go:\n```python\nprint(1)\n```',
      'def add(a, b):\n    return a + b',
      '#include <vector>\nint main() { return 0; }',
      'SELECT name FROM users',
      'x = 1\ny = x + 2',
      '<div class="bar">\n  <span>hi</span>\n</div>',
      '\n"""\nYou are tasked with implementing a parser for a simple language.',
      'for (let i = 0; i < n; i++) {\n  total += i;\n}',
    ]) {
      expect(looksLikeCode(code), code).toBe(true)
    }
  })

  it('reads every sign of CODE_SIGNS the way the engine does', () => {
    expect(looksLikeCode('package main')).toBe(true)
    expect(looksLikeCode('<!doctype html>')).toBe(true)
    expect(looksLikeCode('  <!DOCTYPE html>')).toBe(true)
  })
})
