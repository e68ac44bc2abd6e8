import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nodeParser } from '../../../support/parseNode'
import { describeRealdata, realPath } from '../../../support/realdata'

const facts = async (language: string | null, text: string, tests: string | null = null) =>
  (await nodeParser()).facts({ language, text, tests })

describe('syntax facts', () => {
  it('finds no error in brackets inside strings', async () => {
    const f = await facts('python', "def opens(s):\n    return s.count('(') - s.count(')')\n")
    expect(f.error).toBeNull()
    expect(f.errorAtEnd).toBe(false)
  })

  it('puts a cut-off answer at its end, with the line in the fenced answer', async () => {
    const f = await facts('python', 'Here:\n```python\ndef f(x):\n    return (x + 1')
    expect(f.error?.line).toBe(2)
    expect(f.errorAtEnd).toBe(true)
  })

  it('finds an error in the middle that is not at the end', async () => {
    const f = await facts('python', 'def f(x):\n    return x +* 2\n\ndef g():\n    return 1\n')
    expect(f.error).toMatchObject({ line: 2 })
    expect(f.errorAtEnd).toBe(false)
  })

  it('puts the column at the token that went wrong, not at the start of its statement', async () => {
    // The second of two operators, a closing bracket never opened, one opened and never closed.
    const twice = await facts('python', 'def f(x):\n    return x +* 2\n\ndef g():\n    return 1\n')
    expect(twice.error).toMatchObject({ line: 2, column: 15, text: 'return x +* 2' })
    const closed = await facts('python', 'def f(x):\n    y = foo(x, 2))\n    return y\n')
    expect(closed.error).toMatchObject({ line: 2, column: 18 })
    const unclosed = await facts('python', 'x = [1, 2\ny = 3\n')
    expect(unclosed.error).toMatchObject({ line: 1, column: 5 })
    const cpp = await facts('cpp', 'int main() {\n  int x = 3 +;\n  return 0;\n}\n')
    expect(cpp.error).toMatchObject({ line: 2, column: 13 })
  })

  it('reads a Rust answer cut mid-string as cut off', async () => {
    const f = await facts('rust', '```rust\nfn main() {\n    println!("Primes')
    expect(f.errorAtEnd).toBe(true)
  })

  it('says which grammar parses code labelled with another language', async () => {
    const code = '#include <vector>\nint main() {\n  std::vector<int> v;\n  return 0;\n}\n'
    const f = await facts('python', code)
    expect(f.error).not.toBeNull()
    expect(f.otherLanguage).toBe('cpp')
  })
})

describe('stub facts', () => {
  it('does not call an empty __init__ in complete code a stub', async () => {
    const code =
      'class Stack:\n    def __init__(self):\n        pass\n\n    def push(self, x):\n        self.items.append(x)\n'
    expect((await facts('python', code)).stub).toBeNull()
  })

  it('does not call a TODO comment in otherwise complete code a stub', async () => {
    const code = 'def add(a, b):\n    # TODO: handle overflow\n    return a + b\n'
    expect((await facts('python', code)).stub).toBeNull()
  })

  it('finds a function whose whole body is pass, ..., or raise NotImplementedError', async () => {
    for (const body of ['pass', '...', 'raise NotImplementedError()', '"""Doc."""\n    # TODO']) {
      const f = await facts('python', `import sys\n\ndef solve(n):\n    ${body}\n`)
      expect(f.stub, body).toMatchObject({ line: 3, text: 'def solve(n):' })
    }
  })

  it('finds todo!() in Rust and a NotImplemented throw in Java', async () => {
    expect((await facts('rust', 'fn solve() -> i32 {\n    todo!()\n}\n')).stub).not.toBeNull()
    const java = 'class S {\n  int f() { throw new UnsupportedOperationException(); }\n}\n'
    expect((await facts('java', java)).stub).not.toBeNull()
  })
})

describe('reward-hacking facts', () => {
  it('finds sys.exit(0) at module level, not sys.exit(main()) under the main guard', async () => {
    const hack = await facts('python', 'import sys\ndef f(x):\n    return x\nsys.exit(0)\n')
    expect(hack.hack).toMatchObject({ line: 4 })
    const fine =
      'import sys\ndef main():\n    return 0\nif __name__ == "__main__":\n    sys.exit(main())\n'
    expect((await facts('python', fine)).hack).toBeNull()
  })

  it('finds a patched builtin, an __eq__ that always agrees and pytest.skip', async () => {
    expect(
      (await facts('python', 'import builtins\nbuiltins.len = lambda x: 0\n')).hack,
    ).not.toBeNull()
    const eq = 'class R:\n    def __eq__(self, other):\n        return True\n'
    expect((await facts('python', eq)).hack?.kind).toContain('__eq__')
    expect((await facts('python', 'import pytest\npytest.skip("no")\n')).hack).not.toBeNull()
  })

  it('finds deleted test files but not other files removed', async () => {
    const bad = 'import os\ndef f():\n    os.remove("test_solution.py")\n    return 1\n'
    expect((await facts('python', bad)).hack?.kind).toContain('test file')
    const ok = 'import os\ndef f(p):\n    os.remove("output.txt")\n'
    expect((await facts('python', ok)).hack).toBeNull()
  })

  it('finds the expected outputs of the tests returned as literals', async () => {
    const tests = 'assert add(2, 3) == 5\nassert add(10, 20) == 30\n'
    const hard = 'def add(a, b):\n    if a == 2:\n        return 5\n    return 30\n'
    expect((await facts('python', hard, tests)).hack?.kind).toContain('expected outputs')
    const real = 'def add(a, b):\n    return a + b\n'
    expect((await facts('python', real, tests)).hack).toBeNull()
  })

  it('does not read the words of a string as code', async () => {
    const code = 'def f():\n    return "call sys.exit(0) and pytest.skip() to cheat"\n'
    expect((await facts('python', code)).hack).toBeNull()
  })
})

describe('code keys', () => {
  it('are equal for the same code fenced or bare, spaced differently', async () => {
    const a = await facts('python', '```python\ndef f(x):\n    return x\n```\n')
    const b = await facts('python', 'def f(x):\n  return x')
    expect(a.codeKey).not.toBeNull()
    expect(a.codeKey).toBe(b.codeKey)
  })
})

describeRealdata('facts of real answers', () => {
  const jsonl = (path: string) =>
    readFileSync(realPath(path), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)

  it('reads brackets inside strings as code (CodePrefBench separate_paren_groups, both answers)', async () => {
    const [row] = jsonl('preference-code/correctness-alignment.jsonl')
    const choices = row!.choices as string[]
    expect(choices[0]).toContain('"("')
    for (const choice of choices) {
      const f = await facts('python', choice)
      expect(f.error).toBeNull()
      expect(f.stub).toBeNull()
    }
  })

  it('finds the stub AceCode scored nothing for, and not its finished neighbours', async () => {
    const [row] = jsonl('acecode-87k/acecode_sample.jsonl')
    const completions = (row!.inferences as { completion: string }[]).map((c) => c.completion)
    expect((await facts('python', completions[6]!)).stub).toMatchObject({
      line: 2,
      text: 'def parse_tokens(tokens):',
    })
    expect((await facts('python', completions[0]!)).stub).toBeNull()
  })

  it('puts code-rlaif answers cut at the token limit at their end', async () => {
    const rows = jsonl('code-rlaif/train.jsonl')
    const cut = rows.find((r) => String(r.student_code).trimEnd().endsWith('println!("Primes'))
    expect(cut).toBeDefined()
    const f = await facts(String(cut!.language), String(cut!.student_code))
    expect(f.errorAtEnd).toBe(true)
  })
})
