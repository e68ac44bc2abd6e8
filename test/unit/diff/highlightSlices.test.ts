/**
 * The highlight worker colours long code a slice of lines at a time (the first screen, then 200
 * lines a step, so a new diff's top never waits behind an older one). A string or comment that
 * crosses a slice's end must keep its colour: the slices give exactly the tokens of the whole.
 */
import { createHighlighterCore } from 'shiki/core'
import { createOnigurumaEngine } from 'shiki/engine/oniguruma'
import { describe, expect, it } from 'vitest'
import { sliceEnd, tokenizeLines } from '../../../renderer/features/diff/highlightSlices'

type Tokens = ReturnType<typeof tokenizeLines>['tokens']

async function highlighter() {
  return createHighlighterCore({
    themes: [import('shiki/dist/themes/github-light.mjs')],
    langs: [import('shiki/dist/langs/python.mjs'), import('shiki/dist/langs/cpp.mjs')],
    engine: createOnigurumaEngine(import('shiki/wasm')),
  })
}

/** Tokens of all the lines, slice by slice as the worker takes them. */
function sliced(
  h: Awaited<ReturnType<typeof highlighter>>,
  grammar: string,
  lines: string[],
): { tokens: Tokens; slices: number } {
  const tokens: Tokens = []
  let state: ReturnType<typeof tokenizeLines>['state'] | undefined
  let slices = 0
  while (tokens.length < lines.length) {
    const end = sliceEnd(tokens.length, lines.length)
    const step = tokenizeLines(h, grammar, 'github-light', lines.slice(tokens.length, end), state)
    tokens.push(...step.tokens)
    state = step.state
    slices++
  }
  return { tokens, slices }
}

describe('highlighting in slices', () => {
  it('colours a docstring and a block comment that cross slice ends as the whole code does', async () => {
    const h = await highlighter()
    const python = Array.from({ length: 500 }, (_, i) =>
      i === 40 ? 'doc = """starts here' : i === 60 ? 'ends here"""' : `value_${i} = ${i} + 1`,
    )
    const cpp = Array.from({ length: 500 }, (_, i) =>
      i === 240 ? '/* a comment' : i === 255 ? 'still it */' : `int v${i} = ${i};`,
    )
    for (const [grammar, lines] of [
      ['python', python],
      ['cpp', cpp],
    ] as const) {
      const whole = tokenizeLines(h, grammar, 'github-light', lines, undefined).tokens
      const { tokens, slices } = sliced(h, grammar, [...lines])
      expect(slices).toBeGreaterThan(2)
      expect(tokens).toEqual(whole)
    }
    // Inside the docstring, past the first slice, the line is coloured as a string.
    const whole = tokenizeLines(h, 'python', 'github-light', python, undefined).tokens
    const plain = tokenizeLines(h, 'python', 'github-light', ['value_50 = 50 + 1'], undefined)
    expect(whole[50]).not.toEqual(plain.tokens[0])
    h.dispose()
  })
})
