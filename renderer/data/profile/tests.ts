/**
 * The tests of a unit, listed per test whatever shape the file gives them: one block of test code
 * (KodCode `test_code`, HumanEval `check`), a list of assert statements (AceCode `test_cases`, MBPP
 * `test_list` with its `test_setup_code`), or stdin/stdout cases (APPS `inputs`/`outputs`, call-based
 * when `fn_name` is set). verl keeps the last two inside a JSON ground truth.
 */
import { parseJsonDocument } from '../jsonText'
import { type CellValue, isList, isStruct } from '../values'

export type ListedTests =
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'asserts'; readonly cases: readonly string[]; readonly setup: string | null }
  | {
      readonly kind: 'io'
      readonly cases: readonly { readonly input: string; readonly output: string }[]
      /** The function called with each input, for call-based cases; null for stdin/stdout. */
      readonly fnName: string | null
    }
  | { readonly kind: 'other' }

const asText = (v: CellValue | undefined): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v)

const strings = (v: CellValue | undefined): readonly string[] | null =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null

/** The tests of a unit as a person reads them. */
export function testsListed(tests: CellValue): ListedTests {
  if (typeof tests === 'string') {
    const doc = parseJsonDocument(tests)
    return doc ? testsListed(doc as CellValue) : { kind: 'code', code: tests }
  }
  const list = strings(tests)
  if (list) return { kind: 'asserts', cases: list, setup: null }
  if (!isStruct(tests)) return { kind: 'other' }
  const asserts = strings(tests.test_list ?? tests.tests)
  if (asserts) {
    const setup = typeof tests.test_setup_code === 'string' ? tests.test_setup_code.trim() : ''
    return { kind: 'asserts', cases: asserts, setup: setup === '' ? null : setup }
  }
  const inputs = tests.inputs ?? tests.input ?? null
  const outputs = tests.outputs ?? tests.output ?? null
  if (isList(inputs) && isList(outputs)) {
    const fn = tests.fn_name
    return {
      kind: 'io',
      cases: inputs.map((input, i) => ({ input: asText(input), output: asText(outputs[i]) })),
      fnName: typeof fn === 'string' && fn !== '' ? fn : null,
    }
  }
  const code = tests.test ?? tests.test_code
  if (typeof code === 'string') return { kind: 'code', code }
  return { kind: 'other' }
}
