import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { GRAMMARS, grammarFor } from '../../../renderer/features/diff/grammars'

const ROOT = path.resolve(import.meta.dirname, '../../..')

describe('grammarFor', () => {
  it('maps the languages the issue names to bundled grammars', () => {
    const expected: Record<string, string> = {
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
    }
    for (const [language, grammar] of Object.entries(expected)) {
      expect(grammarFor(language), language).toBe(grammar)
    }
  })

  it('takes labels as files spell them', () => {
    expect(grammarFor('c++')).toBe('cpp')
    expect(grammarFor('C++')).toBe('cpp')
    expect(grammarFor('py')).toBe('python')
    expect(grammarFor(' Rust ')).toBe('rust')
    expect(grammarFor('sh')).toBe('shellscript')
    expect(grammarFor('md')).toBe('markdown')
  })

  it('falls back to plain text for unknown or missing languages', () => {
    expect(grammarFor('unknown')).toBeNull()
    expect(grammarFor('brainfuck')).toBeNull()
    expect(grammarFor('')).toBeNull()
    expect(grammarFor(null)).toBeNull()
    expect(grammarFor('constructor')).toBeNull()
  })

  it('has every grammar in the installed shiki and loaded by the highlight worker', () => {
    const worker = readFileSync(
      path.join(ROOT, 'renderer/features/diff/highlight.worker.ts'),
      'utf8',
    )
    for (const grammar of new Set(Object.values(GRAMMARS))) {
      expect(existsSync(path.join(ROOT, `node_modules/shiki/dist/langs/${grammar}.mjs`))).toBe(true)
      expect(worker).toContain(`import('shiki/dist/langs/${grammar}.mjs')`)
    }
  })
})
