/**
 * Where a syntax error or a cut sits in a side's code, read back from the findings of the rules
 * on parse trees (`syntax-error`, `truncated-code`), for the diff to mark the line. A reason reads
 * `<side> code: python syntax error at line 2, column 15: "..."` (see `placeSql`).
 */

/** A marked place in one side's code, 1-based, with what to say about it. */
export interface CodeMark {
  readonly line: number
  readonly column: number
  readonly message: string
}

/** The rules whose findings carry a place in the code. */
const PLACED_RULES: Readonly<Record<string, string>> = {
  'syntax-error': 'Syntax error',
  'truncated-code': 'Cut off',
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The marks of one side (by its label, as its reasons name it) among a unit's findings. */
export function codeMarks(
  findings: readonly { readonly rule: string; readonly detail: string }[],
  sideLabel: string,
): CodeMark[] {
  const side = new RegExp(
    `(?:^|; )${escapeRegExp(sideLabel)} code: ([^;]*?)line (\\d+), column (\\d+): "`,
    'g',
  )
  const marks: CodeMark[] = []
  for (const finding of findings) {
    const title = PLACED_RULES[finding.rule]
    if (!title) continue
    for (const match of finding.detail.matchAll(side)) {
      const line = Number(match[2])
      const column = Number(match[3])
      const what = (match[1] ?? '').replace(/[\s,]+$/, '').replace(/ at$/, '')
      marks.push({ line, column, message: `${title} at line ${line}, column ${column}: ${what}` })
    }
  }
  return marks
}
