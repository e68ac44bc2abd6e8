/**
 * The code of an answer: its fenced blocks in the unit's language, or the whole text when it has
 * no fence. Lines are counted so that what the parser finds points into the answer as written.
 */
import { type ParsedLanguage, isParsedLanguage } from './types'

/** Fence labels of the languages with a grammar (the app folds many more; these are enough here). */
const FENCE_LABELS: Readonly<Record<string, ParsedLanguage>> = {
  python: 'python',
  py: 'python',
  python3: 'python',
  cpp: 'cpp',
  'c++': 'cpp',
  cc: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  c: 'c',
  h: 'c',
  rust: 'rust',
  rs: 'rust',
  java: 'java',
  javascript: 'javascript',
  js: 'javascript',
  jsx: 'javascript',
  node: 'javascript',
  typescript: 'typescript',
  ts: 'typescript',
  go: 'go',
  golang: 'go',
  csharp: 'csharp',
  'c#': 'csharp',
  cs: 'csharp',
}

/** The language a fence label names, when it has a grammar. */
export function fenceLanguage(label: string): ParsedLanguage | null {
  return FENCE_LABELS[label.toLowerCase()] ?? null
}

/** Languages one grammar reads for another: C is C++, JavaScript is TypeScript and back. */
export function compatible(a: ParsedLanguage, b: ParsedLanguage): boolean {
  if (a === b) return true
  const pair = new Set([a, b])
  return (pair.has('c') && pair.has('cpp')) || (pair.has('javascript') && pair.has('typescript'))
}

/** A stretch of code inside an answer. */
export interface CodeBlock {
  readonly code: string
  /** The 0-based line of the answer the code starts on. */
  readonly firstLine: number
  /** The fence's language label (lower case, may be empty); null for an answer without fences. */
  readonly label: string | null
  /** True for a fence never closed (the answer ends inside it). */
  readonly open: boolean
}

const FENCE_OPEN = /^\s*```+\s*([^\s`]*)/
const FENCE_CLOSE = /^\s*```+\s*$/

/** Every fenced block of an answer in order, or the whole answer as one block when it has none. */
export function codeBlocks(text: string): CodeBlock[] {
  const lines = text.split('\n')
  const blocks: CodeBlock[] = []
  let start = -1
  let label = ''
  lines.forEach((line, i) => {
    if (start < 0) {
      const open = FENCE_OPEN.exec(line)
      if (open) {
        start = i + 1
        label = (open[1] ?? '').toLowerCase()
      }
    } else if (FENCE_CLOSE.test(line)) {
      blocks.push({ code: lines.slice(start, i).join('\n'), firstLine: start, label, open: false })
      start = -1
    }
  })
  if (start >= 0) {
    blocks.push({ code: lines.slice(start).join('\n'), firstLine: start, label, open: true })
  }
  if (blocks.length === 0 && !text.includes('```')) {
    return [{ code: text, firstLine: 0, label: null, open: false }]
  }
  return blocks
}

/**
 * The language to parse an answer as and the blocks holding its code: the unit's language when it
 * has a grammar (blocks labelled with it, a compatible one, or nothing), else the first fence
 * label with a grammar (only blocks with that label). Null when no grammar fits.
 */
export function codeToParse(
  text: string,
  language: string | null,
): { language: ParsedLanguage; blocks: CodeBlock[] } | null {
  const blocks = codeBlocks(text)
  if (isParsedLanguage(language)) {
    const fits = blocks.filter((b) => {
      if (b.label === null || b.label === '') return true
      const labelled = fenceLanguage(b.label)
      return labelled !== null && compatible(labelled, language)
    })
    // Beside blocks labelled with the language, a bare fence holds output or a shell session.
    const labelled = fits.filter((b) => b.label)
    const chosen = labelled.length > 0 ? labelled : fits
    return chosen.length > 0 ? { language, blocks: chosen } : null
  }
  for (const block of blocks) {
    const labelled = block.label ? fenceLanguage(block.label) : null
    if (labelled) {
      return { language: labelled, blocks: blocks.filter((b) => b.label === block.label) }
    }
  }
  return null
}
