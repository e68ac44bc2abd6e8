/** The Node version package.json declares: what the toolchain needs, and what the tests run on. */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** `engines.node` of a package.json under the repository. */
async function nodeRange(packageJson: string): Promise<string | undefined> {
  const json = JSON.parse(await readFile(`${root}${packageJson}`, 'utf8')) as {
    engines?: { node?: string }
  }
  return json.engines?.node
}

/** Whether a version meets a range of `^x.y.z` and `>=x.y.z` alternatives joined by `||`. */
function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => v.split('.').map(Number) as [number, number, number]
  const compare = (a: number[], b: number[]) => a.findIndex((n, i) => n !== b[i])
  const atLeast = (a: number[], b: number[]) => {
    const i = compare(a, b)
    return i < 0 || a[i]! > b[i]!
  }
  const v = parse(version)
  return range.split('||').some((part) => {
    const [, op, at] = /^\s*(\^|>=)(\d+\.\d+\.\d+)\s*$/.exec(part) ?? []
    if (!op || !at) throw new Error(`unsupported range ${part}`)
    const min = parse(at)
    return atLeast(v, min) && (op === '>=' || v[0] === min[0])
  })
}

describe('the Node version', () => {
  it('is declared as the versions Vite needs, which the Node running the tests meets', async () => {
    const declared = await nodeRange('package.json')
    expect(declared).toBe(await nodeRange('node_modules/vite/package.json'))
    expect(satisfies(process.versions.node, declared!)).toBe(true)
    expect(satisfies('20.18.1', declared!)).toBe(false)
    expect(satisfies('21.7.0', declared!)).toBe(false)
    expect(satisfies('22.12.0', declared!)).toBe(true)
  })
})
