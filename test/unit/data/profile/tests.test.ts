import { describe, expect, it } from 'vitest'
import { testsListed } from '../../../../renderer/data/profile/tests'
import { asMessages } from '../../../../renderer/data/messages'

describe('testsListed', () => {
  it('lists MBPP asserts with their setup code, from a parsed ground truth or its text', () => {
    const truth = {
      test_list: ['assert f(1) == 2', 'assert f(2) == 3'],
      test_setup_code: 'import math\n',
      solution: 'def f(x): return x + 1',
    }
    const listed = { kind: 'asserts', cases: truth.test_list, setup: 'import math' }
    expect(testsListed(truth)).toEqual(listed)
    expect(testsListed(JSON.stringify(truth))).toEqual(listed)
  })

  it('lists APPS stdin/stdout cases, and call-based ones with their function', () => {
    expect(testsListed({ inputs: ['1 2\n', '3 4\n'], outputs: ['3\n', '7\n'] })).toEqual({
      kind: 'io',
      cases: [
        { input: '1 2\n', output: '3\n' },
        { input: '3 4\n', output: '7\n' },
      ],
      fnName: null,
    })
    expect(testsListed({ inputs: [[1, 2]], outputs: [[3]], fn_name: 'add' })).toEqual({
      kind: 'io',
      cases: [{ input: '[1,2]', output: '[3]' }],
      fnName: 'add',
    })
  })

  it('keeps test code as code and a list of asserts as cases', () => {
    expect(testsListed('def test_f():\n    assert f(1) == 2\n')).toEqual({
      kind: 'code',
      code: 'def test_f():\n    assert f(1) == 2\n',
    })
    expect(testsListed(['assert f(1) == 2'])).toEqual({
      kind: 'asserts',
      cases: ['assert f(1) == 2'],
      setup: null,
    })
    expect(testsListed({ ground_truth: 'B' })).toEqual({ kind: 'other' })
  })
})

describe('asMessages', () => {
  it('reads role/content and ShareGPT from/value messages, and nothing else', () => {
    expect(asMessages([{ role: 'user', content: 'hi' }])).toEqual([{ role: 'user', content: 'hi' }])
    expect(
      asMessages([
        { from: 'human', value: 'hi' },
        { from: 'gpt', value: null },
      ]),
    ).toEqual([
      { role: 'human', content: 'hi' },
      { role: 'gpt', content: '' },
    ])
    expect(asMessages([{ completion: 'x', pass_rate: 1 }])).toBeNull()
    expect(asMessages([{ role: 'user', content: 3 }])).toBeNull()
    expect(asMessages([])).toBeNull()
    expect(asMessages('[{"role": "user"}]')).toBeNull()
  })
})
