/**
 * The rows of the profile editor, in order, as data: each role's key, what people call it, what
 * it is for, and which fields it may take. The editor maps over them.
 */
import type { Profile } from '../../../shared/profile'
import type { ColumnKind } from '../../data/dataset'

const TEXT: readonly ColumnKind[] = ['text']
/** Numbers, and pass/fail flags (true = 1). */
const NUMBER: readonly ColumnKind[] = ['number', 'bool']
const SCALAR: readonly ColumnKind[] = ['text', 'number', 'bool', 'time']
const TESTS: readonly ColumnKind[] = ['text', 'list', 'struct']
const STRUCT: readonly ColumnKind[] = ['struct']

/** The roles that name one field, chosen from the fields of the eligible kinds. */
export type FieldRoleKey = keyof Pick<
  Profile,
  'prompt' | 'language' | 'reward' | 'group' | 'tests' | 'breakdown' | 'model'
>

/** The roles that name a side of code, with its label and where it comes from. */
export type CodeRoleKey = keyof Pick<Profile, 'codeA' | 'codeB'>

/** One row of the editor: the role (a key of the profile), its label and help, and its control. */
export type RoleSpec = { readonly label: string; readonly help: string } & (
  | { readonly control: 'unnest'; readonly role: 'unnest' }
  | {
      readonly control: 'field'
      readonly role: FieldRoleKey
      readonly kinds: readonly ColumnKind[]
    }
  | {
      readonly control: 'code'
      readonly role: CodeRoleKey
      readonly kinds: readonly ColumnKind[]
      /** Whether the code may come from the best or worst unit of the same group. */
      readonly allowGroup: boolean
    }
  | { readonly control: 'scores'; readonly role: 'scores' }
)

/** Every row of the editor, in the order it shows them. */
export const ROLE_SPECS: readonly RoleSpec[] = [
  {
    control: 'unnest',
    role: 'unnest',
    label: 'Unit of review',
    help: 'What one reviewed item is: a row, or each element of a list column.',
  },
  {
    control: 'field',
    role: 'prompt',
    label: 'Prompt',
    help: 'The task the code answers.',
    kinds: TEXT,
  },
  {
    control: 'field',
    role: 'language',
    label: 'Language',
    help: 'Its label is folded (c++ → cpp); or one language for the whole file; else fences and the code tell.',
    kinds: TEXT,
  },
  {
    control: 'code',
    role: 'codeA',
    label: 'Code A',
    help: 'One side of the comparison, with what it is called.',
    kinds: TEXT,
    allowGroup: false,
  },
  {
    control: 'code',
    role: 'codeB',
    label: 'Code B',
    help: 'The other side: a column, or another unit of the group (the one a column points at, the best or worst by a number).',
    kinds: TEXT,
    allowGroup: true,
  },
  {
    control: 'scores',
    role: 'scores',
    label: 'Scores',
    help: 'Numeric and pass/fail columns shown and charted as scores (true = 1).',
  },
  {
    control: 'field',
    role: 'reward',
    label: 'Reward',
    help: 'The number the dataset trains on; a pass/fail flag counts true as 1.',
    kinds: NUMBER,
  },
  {
    control: 'field',
    role: 'group',
    label: 'Group',
    help: 'Units sharing this value belong together (one prompt, one question).',
    kinds: SCALAR,
  },
  {
    control: 'field',
    role: 'tests',
    label: 'Tests',
    help: 'The tests the code is judged by.',
    kinds: TESTS,
  },
  {
    control: 'field',
    role: 'breakdown',
    label: 'Breakdown',
    help: 'A struct of numbers explaining a score, shown field by field.',
    kinds: STRUCT,
  },
  { control: 'field', role: 'model', label: 'Model', help: 'Who wrote the code.', kinds: TEXT },
]
