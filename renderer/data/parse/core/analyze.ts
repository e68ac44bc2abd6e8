/**
 * What a parse tree says about an answer: where its first syntax error is and whether an error
 * reaches the end (cut off), whether it is a stub, and whether it games its tests. Everything is
 * read from tree-sitter nodes, never from substrings of the text, so brackets inside strings and
 * a TODO comment in finished code mean nothing.
 */
import type { Node, Tree } from 'web-tree-sitter'
import type { Evidence, ParsedLanguage } from './types'

/** Function-like nodes of each grammar whose `body` is a block of statements. */
const FUNCTION_TYPES: Readonly<Record<ParsedLanguage, readonly string[]>> = {
  python: ['function_definition'],
  rust: ['function_item'],
  cpp: ['function_definition'],
  c: ['function_definition'],
  java: ['method_declaration', 'constructor_declaration'],
  javascript: [
    'function_declaration',
    'function_expression',
    'method_definition',
    'generator_function_declaration',
  ],
  typescript: [
    'function_declaration',
    'function_expression',
    'method_definition',
    'generator_function_declaration',
  ],
  go: ['function_declaration', 'method_declaration'],
  csharp: ['method_declaration', 'constructor_declaration', 'local_function_statement'],
}

const COMMENT_TYPES = new Set(['comment', 'line_comment', 'block_comment'])

/** A throw or panic that says the code is not written: NotImplementedError, todo!(), … */
const NOT_WRITTEN = /NotImplemented|UnsupportedOperation|not\s+(yet\s+)?implemented|\bTODO\b/i
/** A comment saying code is still to come. */
const TODO_COMMENT = /\b(TODO|FIXME)\b|your code (goes )?here/i

/** The line of `source` at a 0-based row, trimmed and cut for a reason. */
function lineText(source: string, row: number): string {
  const line = (source.split('\n')[row] ?? '').trim()
  return line.length > 120 ? `${line.slice(0, 117)}…` : line
}

/** Evidence at a node: its 1-based line and column in the answer, and that line. */
function at(node: Node, source: string, firstLine: number): Evidence {
  return {
    line: node.startPosition.row + 1 + firstLine,
    column: node.startPosition.column + 1,
    text: lineText(source, node.startPosition.row),
  }
}

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' }
const CLOSERS = new Set(Object.values(OPENERS))
/** An operator token (`+`, `*`, `=`, `->`): two in a row are where the parse failed. */
const OPERATOR = /^[-+*/%=<>!&|^~.:,;?@]+$/

/**
 * The token where an error node went wrong, rather than the start of the statement it swallowed:
 * a closing bracket it never opened (`foo(x))`), the second of two operators in a row
 * (`x +* 2`), a bracket it opened and never closed (`def f(x:`), else its last token.
 */
function errorToken(error: Node): Node {
  const kids = error.children.filter((c): c is Node => c !== null)
  if (!error.isError || kids.length < 2) return error
  const open: Node[] = []
  for (const [i, kid] of kids.entries()) {
    if (OPENERS[kid.type]) open.push(kid)
    else if (CLOSERS.has(kid.type)) {
      if (open.length === 0 || OPENERS[open.at(-1)!.type] !== kid.type) return kid
      open.pop()
    } else if (
      i > 0 &&
      !kid.isNamed &&
      OPERATOR.test(kid.type) &&
      !kids[i - 1]!.isNamed &&
      OPERATOR.test(kids[i - 1]!.type)
    ) {
      return kid
    }
  }
  return open[0] ?? kids.at(-1)!
}

/** A line of prose: a capitalised word and four more, or a markdown list item. */
const PROSE_LINE = /^([A-Z][a-z']*(\s+[^\s]+){4,}|(\d+\.|[-*])\s+\S.*)$/

/** An error that opens a string (`"""` and the like) and never closes it: the text ended inside it. */
function opensStringNeverClosed(error: Node): boolean {
  const kids = error.children.filter((c): c is Node => c !== null)
  return (
    kids.some((c) => c.type === 'string_start' && /^[a-zA-Z]*("""|''')/.test(c.text)) &&
    !kids.some((c) => c.type === 'string_end' || c.type === 'string')
  )
}

/** The error and missing nodes of a tree in document order (at most `limit`). */
function errorNodes(root: Node, limit = 64): Node[] {
  const out: Node[] = []
  const visit = (node: Node) => {
    if (out.length >= limit) return
    if (node.isError || node.isMissing) {
      out.push(node)
      return
    }
    for (const child of node.children) {
      if (child && (child.hasError || child.isMissing)) visit(child)
    }
  }
  if (root.hasError) visit(root)
  return out
}

/** The syntax facts of one parsed block. */
export function syntaxFacts(
  tree: Tree,
  code: string,
  firstLine: number,
  language: ParsedLanguage,
): { error: Evidence | null; errorAtEnd: boolean } {
  const errors = errorNodes(tree.rootNode)
  if (language === 'python') {
    // tree-sitter accepts a `def f():` with no body (CPython: "expected an indented block").
    const empty = tree.rootNode
      .descendantsOfType('block')
      .filter((b): b is Node => b !== null && b.childCount === 0)
    errors.push(...empty)
    errors.sort((a, b) => a.startIndex - b.startIndex)
  }
  const first = errors[0]
  if (!first) return { error: null, errorAtEnd: false }
  const end = code.trimEnd().length
  const lines = code.split('\n')
  // An error reaching the end is a cut only when it starts in code: an explanation in prose after
  // the code (or instead of it) fails to the end too, and is a syntax error of its own.
  const errorAtEnd =
    errors.some(
      (e) => e.endIndex >= end && !PROSE_LINE.test((lines[e.startPosition.row] ?? '').trim()),
    ) || errors.some(opensStringNeverClosed)
  return { error: at(errorToken(first), code, firstLine), errorAtEnd }
}

/** The statements of a function's body (comments left out), or null when it has none of its own. */
function bodyStatements(fn: Node): { statements: Node[]; comments: Node[] } | null {
  const body = fn.childForFieldName('body')
  if (!body) return null
  const named = body.namedChildren.filter((n): n is Node => n !== null)
  return {
    statements: named.filter((n) => !COMMENT_TYPES.has(n.type)),
    comments: named.filter((n) => COMMENT_TYPES.has(n.type)),
  }
}

/** True for a statement that does nothing but say the code is not written. */
function placeholderStatement(node: Node, language: ParsedLanguage): boolean {
  switch (node.type) {
    case 'pass_statement':
      return true
    case 'expression_statement': {
      const inner = node.namedChildren[0]
      if (!inner) return true
      // A docstring or `...` alone; a Rust `todo!();`; a Go `panic("not implemented")`.
      if (inner.type === 'ellipsis' || inner.type === 'string') return language === 'python'
      if (inner.type === 'macro_invocation') return /^(todo|unimplemented)!/.test(inner.text)
      if (inner.type === 'call_expression' && language === 'go') {
        return /^panic\s*\(/.test(inner.text) && NOT_WRITTEN.test(inner.text)
      }
      if (inner.type === 'throw_expression') return NOT_WRITTEN.test(inner.text)
      return false
    }
    case 'macro_invocation':
      return /^(todo|unimplemented)!/.test(node.text)
    case 'raise_statement':
    case 'throw_statement':
      return NOT_WRITTEN.test(node.text)
    default:
      return false
  }
}

/** Python top-level statements that are not code that runs: imports, definitions, docstrings, constants, the main guard. */
function quietTopLevel(node: Node): boolean {
  switch (node.type) {
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
    case 'function_definition':
    case 'class_definition':
    case 'decorated_definition':
    case 'comment':
    case 'pass_statement':
      return true
    case 'expression_statement': {
      const inner = node.namedChildren[0]
      return !inner || ['string', 'ellipsis', 'assignment'].includes(inner.type)
    }
    case 'if_statement':
      return /^if\s+__name__\s*==/.test(node.text)
    default:
      return false
  }
}

/**
 * The first unwritten function when the code has nothing else: every function with a body is a
 * placeholder (`pass`, `...`, a docstring, `raise NotImplementedError`, `todo!()`, only
 * comments) and no other code runs. An empty `__init__` beside real methods is not a stub, nor is
 * a TODO comment in finished code.
 */
export function stubFact(
  tree: Tree,
  code: string,
  firstLine: number,
  language: ParsedLanguage,
): Evidence | null {
  const root = tree.rootNode
  let firstStub: Node | null = null
  for (const fn of root.descendantsOfType([...FUNCTION_TYPES[language]])) {
    // A function cut off or broken is no placeholder: those are the truncation and syntax rules'.
    if (!fn || fn.hasError) continue
    const body = bodyStatements(fn)
    if (!body) continue
    if (body.statements.every((s) => placeholderStatement(s, language))) {
      firstStub ??= fn
    } else {
      return null
    }
  }
  if (language === 'python') {
    const loose = root.namedChildren.filter((n): n is Node => n !== null && !quietTopLevel(n))
    if (loose.some((n) => !placeholderStatement(n, language))) return null
    if (!firstStub) {
      // No function at all: code that is only `pass`/`...` or a TODO comment is a stub too.
      const onlyPlaceholders =
        root.namedChildren.length > 0 &&
        root.namedChildren.every(
          (n) =>
            n !== null &&
            (placeholderStatement(n, language) ||
              (n.type === 'comment' && TODO_COMMENT.test(n.text))),
        ) &&
        root.namedChildren.some((n) => n?.type !== 'comment' || TODO_COMMENT.test(n.text))
      return onlyPlaceholders && root.namedChildren[0]
        ? at(root.namedChildren[0], code, firstLine)
        : null
    }
  }
  return firstStub ? at(firstStub, code, firstLine) : null
}

/** Expected outputs written as literals in `assert f(...) == <literal>` tests. */
export function expectedOutputs(tests: Tree): Set<string> {
  const out = new Set<string>()
  for (const assert of tests.rootNode.descendantsOfType('assert_statement')) {
    const comparison = assert?.namedChildren[0]
    if (comparison?.type !== 'comparison_operator') continue
    const [left, right] = comparison.namedChildren
    if (!left || !right || !comparison.text.includes('==')) continue
    for (const [call, value] of [
      [left, right],
      [right, left],
    ] as const) {
      if (call.type === 'call' && isLiteral(value)) {
        const key = literalKey(value)
        if (!TRIVIAL.has(key)) out.add(key)
      }
    }
  }
  return out
}

/** Literals too common to say the code copied them from the tests. */
const TRIVIAL = new Set([
  'True',
  'False',
  'None',
  '0',
  '1',
  '-1',
  '2',
  "''",
  '""',
  '[]',
  '{}',
  '()',
])

const LITERAL_TYPES = new Set([
  'string',
  'integer',
  'float',
  'true',
  'false',
  'none',
  'string_start',
  'string_content',
  'string_end',
  'escape_sequence',
])
const CONTAINER_TYPES = new Set([
  'list',
  'tuple',
  'dictionary',
  'set',
  'pair',
  'unary_operator',
  'parenthesized_expression',
  'concatenated_string',
])

/** True for a Python literal: numbers, strings, booleans, None and containers of them. */
function isLiteral(node: Node): boolean {
  if (LITERAL_TYPES.has(node.type)) return true
  if (!CONTAINER_TYPES.has(node.type)) return false
  return node.namedChildren.every((c) => c !== null && isLiteral(c))
}

/** A literal's text without whitespace, so `[1, 2]` and `[1,2]` are one value. */
function literalKey(node: Node): string {
  return node.text.replace(/\s+/g, '')
}

/** The dotted name a call calls (`sys.exit`, `open`), or '' for anything else. */
function callee(call: Node): string {
  const fn = call.childForFieldName('function')
  return fn && (fn.type === 'identifier' || fn.type === 'attribute') ? fn.text : ''
}

/** The function a node belongs to, or null at module level. */
function enclosingFunction(node: Node): Node | null {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p
  return null
}

/** True when a node sits inside a function or class, or under the `if __name__ == ...` guard. */
function insideDefinitionOrMain(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition') return true
    if (p.type === 'if_statement' && /^if\s+__name__\s*==/.test(p.text)) return true
  }
  return false
}

/** The only argument of a call when it is `0`/`None`/absent: an exit that says success. */
function exitsWithSuccess(call: Node): boolean {
  const args = call.childForFieldName('arguments')?.namedChildren ?? []
  return args.length === 0 || (args.length === 1 && ['0', 'None'].includes(args[0]?.text ?? ''))
}

const EXITS = new Set(['sys.exit', 'exit', 'quit', 'os._exit', 'os.abort'])
const SKIPS = /^(pytest\.(skip|exit|xfail|importorskip)|unittest\.skip\w*|self\.skipTest)$/
const FILE_CHANGES =
  /^(os\.(remove|unlink|rename|replace|truncate)|shutil\.(rmtree|move|copy\w*)|\w+\.(unlink|write_text|write_bytes|rename))$/
const TEST_FILE = /test|conftest/i
/**
 * A word every hack but hard-coded outputs needs in the code's text: code without one is not
 * walked (walking every call of every answer was a fifth of parsing time).
 */
const HACK_WORDS =
  /exit|quit|abort|skip|xfail|remove|unlink|rename|replace|truncate|rmtree|move|copy|write_(text|bytes)|open|setattr|builtins|__(eq|ne)__/

/**
 * Code that games its tests (Python): exiting with success before the asserts run, skipping
 * them, deleting or rewriting test files, patching builtins or `__eq__` to always agree, or
 * returning the tests' expected outputs as literals. The first such node, with what it does.
 */
export function hackFact(
  tree: Tree,
  code: string,
  firstLine: number,
  expected: ReadonlySet<string>,
): (Evidence & { kind: string }) | null {
  if (expected.size === 0 && !HACK_WORDS.test(code)) return null
  const root = tree.rootNode
  const found = (node: Node, kind: string) => ({ ...at(node, code, firstLine), kind })
  for (const call of root.descendantsOfType('call')) {
    if (!call) continue
    const name = callee(call)
    if (EXITS.has(name) && exitsWithSuccess(call)) {
      if (name === 'os._exit' || !insideDefinitionOrMain(call)) {
        return found(call, `exits with success before the tests run (${call.text})`)
      }
    }
    if (SKIPS.test(name)) return found(call, `skips the tests (${name})`)
    const args = call.childForFieldName('arguments')?.namedChildren ?? []
    const strings = args.filter((a) => a?.type === 'string').map((a) => a?.text ?? '')
    if (FILE_CHANGES.test(name) && strings.some((s) => TEST_FILE.test(s))) {
      return found(call, `changes a test file (${name})`)
    }
    if (name === 'open' && strings.length >= 2 && TEST_FILE.test(strings[0] ?? '')) {
      if (/^[rbf]*['"][wax+]/.test(strings[1] ?? '')) return found(call, 'rewrites a test file')
    }
    if (name === 'setattr' && /^(builtins|__builtins__)$/.test(args[0]?.text ?? '')) {
      return found(call, 'patches builtins')
    }
  }
  for (const decorator of root.descendantsOfType('decorator')) {
    if (decorator && /^@(pytest\.mark\.(skip|skipif|xfail)|unittest\.skip)/.test(decorator.text)) {
      return found(decorator, 'skips the tests (decorator)')
    }
  }
  for (const assignment of root.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left')
    if (!assignment || !left) continue
    if (/^(builtins|__builtins__)\s*[.[]/.test(left.text)) {
      return found(assignment, 'patches builtins')
    }
    if (/\.__(eq|ne)__$/.test(left.text)) return found(assignment, `patches ${left.text}`)
  }
  for (const fn of root.descendantsOfType('function_definition')) {
    const name = fn?.childForFieldName('name')?.text
    if (!fn || (name !== '__eq__' && name !== '__ne__')) continue
    const body = bodyStatements(fn)?.statements ?? []
    const only = body.filter((s) => !(s.type === 'expression_statement' && s.text.startsWith('"')))
    const always = name === '__eq__' ? 'True' : 'False'
    if (only.length === 1 && only[0]?.text.replace(/\s+/g, ' ') === `return ${always}`) {
      return found(fn, `${name} always returns ${always}`)
    }
  }
  if (expected.size > 0) {
    // A function every return of which is a literal, two of them (or its only one) outputs the
    // tests expect: it answers the tests, not the task. Base cases (`if n == 0: return [0]`)
    // beside a computed return are real code.
    for (const fn of root.descendantsOfType('function_definition')) {
      if (!fn) continue
      const returns = fn
        .descendantsOfType('return_statement')
        .filter((r): r is Node => r !== null && enclosingFunction(r)?.id === fn.id)
      const values = returns.map((r) => r.namedChildren[0] ?? null)
      if (returns.length === 0 || !values.every((v) => v !== null && isLiteral(v))) continue
      const matched = [...new Set(values.map((v) => (v ? literalKey(v) : '')))].filter((k) =>
        expected.has(k),
      )
      const statements = bodyStatements(fn)?.statements.filter(
        (s) => !(s.type === 'expression_statement' && s.namedChildren[0]?.type === 'string'),
      )
      const alone = statements?.length === 1 && statements[0]?.type === 'return_statement'
      if (matched.length >= 2 || (matched.length === 1 && alone)) {
        const shown = matched.slice(0, 3).join(', ')
        return found(returns[0] ?? fn, `returns the tests' expected outputs as literals (${shown})`)
      }
    }
  }
  return null
}
