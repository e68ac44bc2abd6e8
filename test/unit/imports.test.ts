import madge from 'madge'
import { describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url).pathname

describe('imports', () => {
  it('form no cycle in the app’s code, type imports included', async () => {
    const graph = await madge(['renderer', 'shared', 'electron'], {
      baseDir: root,
      fileExtensions: ['ts', 'tsx'],
      tsConfig: `${root}tsconfig.web.json`,
      // Type-only imports count: a cycle of types still ties modules together.
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    })
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(100)
    expect(graph.circular()).toEqual([])
    // madge parses every module: a few seconds alone, longer on a busy machine.
  }, 60_000)
})
