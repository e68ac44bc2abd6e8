/**
 * Recognises the dataset families from their columns and maps the roles; anything else gets the
 * best guesses a person would make, which the profile editor shows and lets them correct.
 *
 * Detection reads only the schema (names and types), so it costs the same for ten rows or ten
 * million; the text-length sample a generic guess needs is a single query.
 */
import {
  type CodeRole,
  type FieldPath,
  JSON_STEP,
  type Profile,
  samePath,
} from '../../../shared/profile'
import { type ColumnInfo, type JsonField, columnKind } from '../dataset'
import { parseDuckType } from './duckType'
import { type FieldInfo, findField, listFields, messageKeys } from './fields'

/** Average lengths of text columns, from a sample, for guessing which ones hold code. */
export type TextLengths = Readonly<Record<string, number>>

const EMPTY: Omit<Profile, 'family'> = {
  unnest: null,
  prompt: null,
  language: null,
  fixedLanguage: null,
  codeA: null,
  codeB: null,
  scores: [],
  reward: null,
  group: null,
  tests: null,
  model: null,
  breakdown: null,
}

/** Finds fields by name without regard to case. */
class Fields {
  constructor(readonly all: readonly FieldInfo[]) {}

  /** The first of these paths that exists (names compared without case), or null. */
  first(...paths: FieldPath[]): FieldPath | null {
    for (const path of paths) {
      const found = this.all.find(
        (f) =>
          f.path.length === path.length &&
          f.path.every((part, i) => part.toLowerCase() === path[i]!.toLowerCase()),
      )
      if (found) return found.path
    }
    return null
  }

  has(...paths: FieldPath[]): boolean {
    return paths.every((p) => this.first(p) !== null)
  }

  kind(path: FieldPath | null): FieldInfo['kind'] | null {
    return path ? (findField(this.all, path)?.kind ?? null) : null
  }

  /** Numeric fields directly inside a struct path, in file order. */
  numbersIn(path: FieldPath | null): FieldPath[] {
    if (!path) return []
    return this.all
      .filter(
        (f) =>
          f.kind === 'number' &&
          f.path.length === path.length + 1 &&
          path.every((p, i) => p === f.path[i]),
      )
      .map((f) => f.path)
  }

  /** Fields directly inside a struct path. */
  childrenOf(path: FieldPath): FieldInfo[] {
    return this.all.filter(
      (f) => f.path.length === path.length + 1 && path.every((p, i) => p === f.path[i]),
    )
  }
}

function role(path: FieldPath | null, label: string): CodeRole | null {
  return path ? { path, label } : null
}

/** The profile of a dataset from its columns (and, for generic files, sampled text lengths). */
export function detectProfile(
  columns: readonly ColumnInfo[],
  textLengths: TextLengths = {},
  json: readonly JsonField[] = [],
): Profile {
  return (
    detectAceCode(columns) ??
    detectCodeRlaif(columns) ??
    detectPreferencePairs(columns) ??
    detectChatPreference(columns) ??
    detectKodCode(columns) ??
    detectVerl(columns, json) ??
    detectAnswerList(columns, textLengths) ??
    detectCheckProblems(columns, textLengths) ??
    guessGeneric(columns, textLengths)
  )
}

/** True when a field is a list of chat messages. */
function isMessages(f: Fields, path: FieldPath | null): boolean {
  const field = path ? findField(f.all, path) : undefined
  return field !== undefined && messageKeys(field.type) !== null
}

/**
 * verl / OpenRLHF RL data: `prompt` as chat messages, `reward_model.ground_truth` (often a JSON
 * document in a string: MBPP-style `{test_list, test_setup_code, solution}` or APPS-style
 * `{inputs, outputs, fn_name}`), `data_source`, `ability`, `extra_info`.
 */
function detectVerl(columns: readonly ColumnInfo[], json: readonly JsonField[]): Profile | null {
  const f = new Fields(listFields(columns, null, json))
  const truth = f.first(['reward_model', 'ground_truth'])
  const prompt = f.first(['prompt'])
  if (!truth || !prompt || !(isMessages(f, prompt) || f.has(['data_source']))) return null
  const doc = f.kind([...truth, JSON_STEP]) ? [...truth, JSON_STEP] : null
  const inDoc = (name: string) => (doc ? f.first([...doc, name]) : null)
  const solution = inDoc('solution') ?? inDoc('reference') ?? inDoc('canonical_solution')
  const hasTests = inDoc('test_list') ?? inDoc('inputs') ?? inDoc('tests') ?? inDoc('test')
  return {
    ...EMPTY,
    family: 'verl',
    prompt,
    language: f.first(['language'], ['extra_info', 'language']),
    codeA: role(f.kind(solution) === 'text' ? solution : null, 'reference solution'),
    group: prompt,
    tests: hasTests ? doc : null,
  }
}

/** TRL's conversational preference data: `chosen` and `rejected` as lists of chat messages. */
function detectChatPreference(columns: readonly ColumnInfo[]): Profile | null {
  const f = new Fields(listFields(columns, null))
  const chosen = f.first(['chosen'])
  const rejected = f.first(['rejected'])
  if (!isMessages(f, chosen) || !isMessages(f, rejected)) return null
  const scores = [
    f.first(['score_chosen'], ['chosen_score'], ['chosen_rating']),
    f.first(['score_rejected'], ['rejected_score'], ['rejected_rating']),
  ].filter((p) => p !== null)
  const prompt = f.first(['prompt'], ['question'])
  return {
    ...EMPTY,
    family: 'chat-preference',
    prompt,
    language: f.first(['language'], ['lang']),
    codeA: role(chosen, 'chosen'),
    codeB: role(rejected, 'rejected'),
    scores,
    reward: f.first(['margin'], ['score_difference']),
    group: prompt,
  }
}

/**
 * Problems with HumanEval-style tests (`def check(candidate)` and an `entry_point`: HumanEval,
 * MBPP+, LeetCodeDataset, the code-r1 trainers): the reference solution against the model's
 * response. The problem is its description or the full query; a `prompt` here is often only the
 * preamble of imports run before the code.
 */
function detectCheckProblems(columns: readonly ColumnInfo[], lengths: TextLengths): Profile | null {
  const f = new Fields(listFields(columns, null))
  const tests = f.first(['test'], ['tests'], ['test_code'])
  const entry = f.first(['entry_point'])
  const reference = f.first(['completion'], ['canonical_solution'], ['solution'])
  if (!tests || !entry || !reference || f.kind(tests) !== 'text') return null
  const problem = f.first(
    ['problem_description'],
    ['query'],
    ['question'],
    ['instruction'],
    ['prompt'],
  )
  const response = f.first(['response'], ['output'], ['generation'])
  const generic = guessGeneric(columns, lengths)
  return {
    ...generic,
    prompt: problem,
    codeA: role(reference, 'reference solution'),
    codeB: role(f.kind(response) === 'text' ? response : null, 'response'),
    tests,
    group: f.first(['task_id'], ['question_id']) ?? problem,
  }
}

const ANSWER_LISTS = ['choices', 'answers', 'responses', 'completions', 'candidates', 'generations']
const POINTERS = ['gt_choice', 'correct_choice', 'answer_index', 'label', 'chosen_index', 'gold']

/**
 * Answers as a list of strings (CodePrefBench: `choices` and `gt_choice`, the index of the correct
 * one): each answer is a unit, compared with the answer the index points at (another answer when
 * it points at itself). The index is not a score.
 */
function detectAnswerList(columns: readonly ColumnInfo[], lengths: TextLengths): Profile | null {
  const list = columns.find((c) => {
    const type = parseDuckType(c.type)
    return (
      ANSWER_LISTS.includes(c.name.toLowerCase()) &&
      type.kind === 'list' &&
      columnKind(type.element) === 'text'
    )
  })
  if (!list) return null
  const f = new Fields(listFields(columns, null))
  const pointer = f.first(...POINTERS.map((n) => [n]))
  const unit: FieldPath = [list.name]
  const generic = guessGeneric(
    columns.filter((c) => c.name !== list.name && !samePath([c.name], pointer)),
    lengths,
  )
  return {
    ...generic,
    unnest: unit,
    codeA: { path: unit, label: 'answer' },
    codeB:
      pointer && f.kind(pointer) === 'number'
        ? { path: unit, label: 'correct answer', fromGroup: { pick: 'at', by: pointer } }
        : { path: unit, label: 'another answer', fromGroup: { pick: 'first' } },
    group: generic.prompt,
  }
}

function detectCodeRlaif(columns: readonly ColumnInfo[]): Profile | null {
  const f = new Fields(listFields(columns, null))
  const student = f.first(['student_code'])
  const teacher = f.first(['teacher_code'])
  if (!student || !teacher) return null
  return {
    ...EMPTY,
    family: 'code-rlaif',
    prompt: f.first(['prompt'], ['question'], ['instruction']),
    language: f.first(['language'], ['lang']),
    codeA: role(student, 'student'),
    codeB: role(teacher, 'teacher'),
    scores: [f.first(['student_score']), f.first(['teacher_score'])].filter((p) => p !== null),
    reward: f.first(['reward']),
    group: f.first(['prompt']),
    breakdown:
      f.kind(f.first(['scoring_breakdown'])) === 'struct' ? f.first(['scoring_breakdown']) : null,
  }
}

function detectAceCode(columns: readonly ColumnInfo[]): Profile | null {
  // The unit list must be a list of records: a plain struct named `inferences` is not one.
  const inferences = columns.find((c) => c.name.toLowerCase() === 'inferences' && c.kind === 'list')
  if (!inferences) return null
  const f = new Fields(listFields(columns, [inferences.name]))
  const completion = f.first([inferences.name, 'completion'])
  if (!completion) return null
  const passRate = f.first([inferences.name, 'pass_rate'])
  return {
    ...EMPTY,
    family: 'acecode',
    unnest: [inferences.name],
    prompt: f.first(['question'], ['prompt']),
    codeA: role(completion, 'completion'),
    codeB: {
      path: completion,
      label: passRate ? 'best completion' : 'another completion',
      ...(passRate ? { fromGroup: { pick: 'best' as const, by: passRate } } : {}),
    },
    scores: passRate ? [passRate] : [],
    reward: passRate,
    group: f.first(['id'], ['question']),
    tests: f.first(['test_cases'], ['tests']),
    model: f.first([inferences.name, 'model_name']),
  }
}

function detectPreferencePairs(columns: readonly ColumnInfo[]): Profile | null {
  const f = new Fields(listFields(columns, null))
  const chosen = f.first(['chosen'])
  const rejected = f.first(['rejected'])
  if (!chosen || !rejected || f.kind(chosen) !== 'text' || f.kind(rejected) !== 'text') return null
  const chosenScores = f.first(['metadata', 'chosen_scores'], ['chosen_scores'])
  const rejectedScores = f.first(['metadata', 'rejected_scores'], ['rejected_scores'])
  const overall = (scores: FieldPath | null) => (scores ? f.first([...scores, 'overall']) : null)
  const scoreFields = [overall(chosenScores), overall(rejectedScores)].filter((p) => p !== null)
  for (const p of [...f.numbersIn(chosenScores), ...f.numbersIn(rejectedScores)]) {
    if (!scoreFields.some((s) => s.join('\0') === p.join('\0'))) scoreFields.push(p)
  }
  const direct = [
    f.first(['chosen_score'], ['score_chosen']),
    f.first(['rejected_score'], ['score_rejected']),
  ]
  return {
    ...EMPTY,
    family: 'preference-pairs',
    prompt: f.first(['prompt'], ['question'], ['instruction']),
    language: f.first(['language'], ['lang']),
    codeA: role(chosen, 'chosen'),
    codeB: role(rejected, 'rejected'),
    scores: scoreFields.length > 0 ? scoreFields : direct.filter((p) => p !== null),
    reward: f.first(['metadata', 'score_difference'], ['score_difference'], ['margin']),
    group: f.first(['metadata', 'challenge'], ['prompt']),
    model: f.first(['metadata', 'chosen_model'], ['chosen_model']),
  }
}

function detectKodCode(columns: readonly ColumnInfo[]): Profile | null {
  const f = new Fields(listFields(columns, null))
  const passPercentage = f.first(['gpt_pass_percentage'])
  const solution = f.first(['solution'])
  const tests = f.first(['test'], ['test_code'])
  const question = f.first(['question'])
  if (!solution || !(passPercentage || (question && tests))) return null
  const trials = f.first(['trials'])
  const firstTrial = trials ? f.childrenOf(trials).find((t) => t.kind === 'struct') : undefined
  const trialCode = firstTrial ? f.first([...firstTrial.path, 'solution_code']) : null
  const r1 = f.first(['r1_solution'])
  const codeB: CodeRole | null = trialCode
    ? { path: trialCode, label: `trial ${firstTrial!.path.at(-1)!.replace(/^trial_/, '')}` }
    : r1
      ? { path: r1, label: 'R1 solution' }
      : null
  return {
    ...EMPTY,
    family: 'kodcode',
    prompt: question,
    language: f.first(['language']),
    codeA: role(solution, 'solution'),
    codeB,
    scores: passPercentage ? [passPercentage] : [],
    reward: passPercentage,
    group: f.first(['question_id'], ['conversation_id']),
    tests,
  }
}

const PROMPT_NAMES = [
  'prompt',
  'question',
  'instruction',
  'input',
  'query',
  'problem',
  'task',
  'text',
]
const REWARD_NAMES = ['reward', 'score', 'rating', 'pass_rate', 'label']
/** Pass/fail flags that are a reward (true = 1) when nothing else is. */
const PASS_NAMES = ['passed', 'pass', 'is_correct', 'correct', 'success', 'resolved', 'accepted']
/** Text longer than this on average is taken for code or an answer rather than a label. */
const LONG_TEXT = 120

function guessGeneric(columns: readonly ColumnInfo[], textLengths: TextLengths): Profile {
  const f = new Fields(listFields(columns, null))
  const top = columns.map((c) => ({
    path: [c.name] as FieldPath,
    kind: c.kind,
    name: c.name.toLowerCase(),
  }))
  const prompt = f.first(...PROMPT_NAMES.map((n) => [n]))
  const long = top
    .filter((c) => c.kind === 'text' && (textLengths[c.path[0]!] ?? 0) >= LONG_TEXT)
    .filter((c) => c.path[0] !== prompt?.[0])
    .sort((a, b) => (textLengths[b.path[0]!] ?? 0) - (textLengths[a.path[0]!] ?? 0))
  const numbers = top.filter(
    (c) =>
      c.kind === 'number' &&
      !/(^|_)(id|index|idx|seed|row)$/.test(c.name) &&
      !/[a-z](Id|ID|Idx|Index)$/.test(c.path[0]!),
  )
  const passFlag = top.find((c) => c.kind === 'bool' && PASS_NAMES.includes(c.name))
  const reward = f.first(...REWARD_NAMES.map((n) => [n])) ?? passFlag?.path ?? null
  const flags = passFlag ? [passFlag.path] : []
  const [a, b] = long
  return {
    ...EMPTY,
    family: 'generic',
    prompt,
    language: f.first(['language'], ['lang'], ['programming_language']),
    codeA: a ? { path: a.path, label: a.path[0]! } : null,
    codeB: b ? { path: b.path, label: b.path[0]! } : null,
    scores: [...flags, ...numbers.map((c) => c.path)],
    reward,
    group: prompt,
  }
}
