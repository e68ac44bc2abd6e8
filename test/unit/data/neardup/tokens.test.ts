import { describe, expect, it } from 'vitest'
import { codeTokens, normalisePrompt } from '../../../../renderer/data/neardup/core'

const tokens = (code: string, language: string | null) => codeTokens(code, language).join(' ')

describe('normalisePrompt', () => {
  it('lower-cases and folds punctuation, symbols and spaces to one space', () => {
    expect(normalisePrompt('  Write a FUNCTION: sum(xs) -> int!!\n\tDone.  ')).toBe(
      'write a function sum xs int done',
    )
  })

  it('lower-cases letters beyond ASCII', () => {
    expect(normalisePrompt('ÉCRIVEZ une Fonction — «vite»')).toBe('écrivez une fonction vite')
  })

  it('gives the same text for case and punctuation changes', () => {
    expect(normalisePrompt('Reverse a list; return it.')).toBe(
      normalisePrompt('reverse a list -- return it!'),
    )
  })
})

describe('codeTokens', () => {
  it('drops Python comments and docstrings and placeholders literals', () => {
    const code = [
      'def total(xs, n=3):',
      '    """Sum the list."""',
      '    # a comment',
      "    s = 'text' + f\"{n}\" + r'\\d'  # trailing",
      '    return s * 2.5e-3',
    ].join('\n')
    expect(tokens(code, 'python')).toBe('def I ( I , I = N ) : I = S + S + S return I * N')
  })

  it('gives renamed and reformatted Python the same tokens', () => {
    const a =
      'def count_even(values):\n    total = 0\n    for v in values:\n        if v % 2 == 0:\n            total += 1\n    return total'
    const b =
      'def evens(nums):\n  # count them\n  acc = 0\n\n  for x in nums:\n    if x % 2 == 0: acc += 1\n  return acc'
    expect(codeTokens(a, 'python')).toEqual(codeTokens(b, 'python'))
  })

  it('keeps keywords, builtins and method names', () => {
    expect(tokens('out.append(len(sorted(data)))', 'python')).toBe(
      'I . append ( len ( sorted ( I ) ) )',
    )
    expect(tokens('v.push_back(x); std::sort(v.begin(), v.end());', 'cpp')).toBe(
      'I . push_back ( I ) ; std :: sort ( I . begin ( ) , I . end ( ) ) ;',
    )
  })

  it('drops C-like comments and keeps # preprocessor lines in C++', () => {
    const code = '#include <vector>\n/* block\n comment */ int main() { // line\n  return 0x1F; }'
    expect(tokens(code, 'cpp')).toBe('# include < vector > int I ( ) { return N ; }')
  })

  it('reads Rust lifetimes, chars, raw strings and ranges', () => {
    const code =
      "fn f<'a>(s: &'a str) -> Vec<u8> { let c = 'x'; let r = r#\"raw\"#; for i in 0..10 { v.push(i); } Vec::new() }"
    expect(tokens(code, 'rust')).toBe(
      'fn I < L > ( I : & L str ) -> Vec < u8 > { let I = S ; let I = S ; for I in N .. N { I . push ( I ) ; } Vec :: new ( ) }',
    )
  })

  it('reads JavaScript template literals, TypeScript types and Go raw strings', () => {
    expect(tokens('const msg = `hi ${name}`; // greet\nconsole.log(msg)', 'javascript')).toBe(
      'const I = S ; console . log ( I )',
    )
    expect(tokens('function f(x: number): string { return String(x) }', 'typescript')).toBe(
      'function I ( I : number ) : string { return String ( I ) }',
    )
    expect(tokens('s := `raw` + "x" // c\nfmt.Println(len(s))', 'go')).toBe(
      'I := S + S fmt . Println ( len ( I ) )',
    )
  })

  it('reads Java and C# with their own keywords', () => {
    expect(tokens('List<String> names = new ArrayList<>(); names.add("a");', 'java')).toBe(
      'List < String > I = new ArrayList < > ( ) ; I . add ( S ) ;',
    )
    expect(tokens('var s = @"C:\\dir"; Console.WriteLine($"{s}" + $@"x");', 'csharp')).toBe(
      'var I = S ; Console . WriteLine ( S + S ) ;',
    )
  })

  it('drops a markdown fence, closed or cut off', () => {
    const inner = 'def f(x):\n    return x + 1'
    expect(codeTokens(`\`\`\`python\n${inner}\n\`\`\``, 'python')).toEqual(
      codeTokens(inner, 'python'),
    )
    expect(codeTokens(`\`\`\`python\n${inner}`, 'python')).toEqual(codeTokens(inner, 'python'))
    expect(codeTokens(`Here it is:\n\`\`\`python\n${inner}\n\`\`\`\nDone.`, 'python')).toEqual(
      codeTokens(inner, 'python'),
    )
  })

  it('guesses # comments for unknown code that looks like Python, not for C', () => {
    expect(tokens('import os\n# note\nx = 1', null)).toBe('import os I = N')
    expect(tokens('#include <stdio.h>\nint x = 1; // note', null)).toBe(
      '# include < I . h > int I = N ;',
    )
  })

  it('runs an unclosed string or comment to the end', () => {
    expect(tokens('x = "never closed', 'python')).toBe('I = S')
    expect(tokens('int x; /* never closed', 'c')).toBe('int I ;')
  })
})
