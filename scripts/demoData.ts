/**
 * Synthetic Code RLAIF rows (student/teacher pairs) for the bundled demo dataset, tests and the
 * benchmark. Every row is generated here from a seed; nothing is copied from real datasets.
 *
 * Plain TypeScript on purpose: vite.config.ts (Node) and tests both import it.
 */

// Imports in vite.config.ts's graph name their file: Vite's config loader warns otherwise.
export { DEMO_DATASET_FILE } from '../shared/host.ts'

/** One row of a Code RLAIF dataset, in the shape of code-rlaif's train.jsonl. */
export interface RlaifRow {
  prompt: string
  language: 'python' | 'cpp' | 'rust'
  student_code: string
  teacher_code: string
  student_score: number
  teacher_score: number
  reward: number
  scoring_breakdown: {
    correctness: number
    code_quality: number
    efficiency: number
    documentation: number
  }
  timestamp: string
}

/** How rows are generated: `seed` picks the sequence, `codeChars` the length of each code field. */
interface RowOptions {
  seed?: number
  codeChars?: number
}

type Language = RlaifRow['language']
type Rng = () => number

/** mulberry32: a tiny seeded PRNG, so a seed always gives the same rows. */
function mulberry32(seed: number): Rng {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)]
  if (item === undefined) throw new Error('pick() needs a non-empty list')
  return item
}

function intBetween(rng: Rng, low: number, high: number): number {
  return low + Math.floor(rng() * (high - low + 1))
}

function roundTo2(value: number): number {
  return Math.round(value * 100) / 100
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function indentLines(code: string, indent: string): string {
  return code
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n')
}

// ---------------------------------------------------------------------------------------------
// Tasks: ~40 prompt templates over 20 code shapes, each shape written once per language.
// Placeholders in the code: $name (function name), $cond (a predicate on x or ch), $expr (a map
// expression on x), $k (the template's parameter).

type InputKind = 'ints' | 'sortedTarget' | 'text' | 'n' | 'pair'
type CppOutput = 'scalar' | 'bool' | 'opt' | 'list'

interface ShapeCode {
  /** Signature for students (Python: untyped) and for teachers. */
  sig: string
  typedSig: string
  body: string
  /** One assertion statement on an edge case (empty or minimal input). */
  edge: string
}

interface Shape {
  input: InputKind
  cppOutput: CppOutput
  cppIncludes: readonly string[]
  rustUses?: string
  returns: string
  complexity: string
  /** Range of the example argument for `n` inputs. */
  nRange?: readonly [number, number]
  python: ShapeCode
  cpp: ShapeCode
  rust: ShapeCode
}

function same(sig: string, body: readonly string[], edge: string): ShapeCode {
  return { sig, typedSig: sig, body: body.join('\n'), edge }
}

function py(sig: string, typedSig: string, body: readonly string[], edge: string): ShapeCode {
  return { sig, typedSig, body: body.join('\n'), edge }
}

const INTS_PY = ['def $name(values):', 'def $name(values: list[int])'] as const
const INTS_CPP = '(const std::vector<int>& values)'
const INTS_RS = '(values: &[i64])'

const SHAPES = {
  sum: {
    input: 'ints',
    cppOutput: 'scalar',
    cppIncludes: ['vector'],
    returns: 'the sum of the matching values (0 when there are none)',
    complexity: 'O(n) time and O(1) extra space',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> int:`,
      ['total = 0', 'for x in values:', '    if $cond:', '        total += x', 'return total'],
      'assert $name([]) == 0',
    ),
    cpp: same(
      `long long $name${INTS_CPP}`,
      [
        'long long total = 0;',
        'for (int x : values) {',
        '    if ($cond) {',
        '        total += x;',
        '    }',
        '}',
        'return total;',
      ],
      'assert($name({}) == 0);',
    ),
    rust: same(
      `fn $name${INTS_RS} -> i64`,
      [
        'let mut total = 0;',
        'for &x in values {',
        '    if $cond {',
        '        total += x;',
        '    }',
        '}',
        'total',
      ],
      'assert_eq!($name(&[]), 0);',
    ),
  },
  count: {
    input: 'ints',
    cppOutput: 'scalar',
    cppIncludes: ['cstddef', 'vector'],
    returns: 'how many values match',
    complexity: 'O(n) time and O(1) extra space',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> int:`,
      ['count = 0', 'for x in values:', '    if $cond:', '        count += 1', 'return count'],
      'assert $name([]) == 0',
    ),
    cpp: same(
      `std::size_t $name${INTS_CPP}`,
      [
        'std::size_t count = 0;',
        'for (int x : values) {',
        '    if ($cond) {',
        '        ++count;',
        '    }',
        '}',
        'return count;',
      ],
      'assert($name({}) == 0);',
    ),
    rust: same(
      `fn $name${INTS_RS} -> usize`,
      [
        'let mut count = 0;',
        'for &x in values {',
        '    if $cond {',
        '        count += 1;',
        '    }',
        '}',
        'count',
      ],
      'assert_eq!($name(&[]), 0);',
    ),
  },
  filter: {
    input: 'ints',
    cppOutput: 'list',
    cppIncludes: ['vector'],
    returns: 'the matching values, in their original order',
    complexity: 'O(n) time and O(n) extra space for the result',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> list[int]:`,
      [
        'result = []',
        'for x in values:',
        '    if $cond:',
        '        result.append(x)',
        'return result',
      ],
      'assert $name([]) == []',
    ),
    cpp: same(
      `std::vector<int> $name${INTS_CPP}`,
      [
        'std::vector<int> result;',
        'for (int x : values) {',
        '    if ($cond) {',
        '        result.push_back(x);',
        '    }',
        '}',
        'return result;',
      ],
      'assert($name({}).empty());',
    ),
    rust: same(
      `fn $name${INTS_RS} -> Vec<i64>`,
      [
        'let mut result = Vec::new();',
        'for &x in values {',
        '    if $cond {',
        '        result.push(x);',
        '    }',
        '}',
        'result',
      ],
      'assert!($name(&[]).is_empty());',
    ),
  },
  first: {
    input: 'ints',
    cppOutput: 'scalar',
    cppIncludes: ['cstddef', 'vector'],
    returns: 'the index of the first match, or no index when nothing matches',
    complexity: 'O(n) time in the worst case and O(1) extra space',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> int:`,
      ['for i, x in enumerate(values):', '    if $cond:', '        return i', 'return -1'],
      'assert $name([]) == -1',
    ),
    cpp: same(
      `int $name${INTS_CPP}`,
      [
        'for (std::size_t i = 0; i < values.size(); ++i) {',
        '    int x = values[i];',
        '    if ($cond) {',
        '        return static_cast<int>(i);',
        '    }',
        '}',
        'return -1;',
      ],
      'assert($name({}) == -1);',
    ),
    rust: same(
      `fn $name${INTS_RS} -> Option<usize>`,
      [
        'for (i, &x) in values.iter().enumerate() {',
        '    if $cond {',
        '        return Some(i);',
        '    }',
        '}',
        'None',
      ],
      'assert_eq!($name(&[]), None);',
    ),
  },
  max: {
    input: 'ints',
    cppOutput: 'opt',
    cppIncludes: ['optional', 'vector'],
    returns: 'the largest matching value, or nothing when no value matches',
    complexity: 'O(n) time and O(1) extra space',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> int | None:`,
      [
        'best = None',
        'for x in values:',
        '    if $cond and (best is None or x > best):',
        '        best = x',
        'return best',
      ],
      'assert $name([]) is None',
    ),
    cpp: same(
      `std::optional<int> $name${INTS_CPP}`,
      [
        'std::optional<int> best;',
        'for (int x : values) {',
        '    if (($cond) && (!best || x > *best)) {',
        '        best = x;',
        '    }',
        '}',
        'return best;',
      ],
      'assert(!$name({}).has_value());',
    ),
    rust: same(
      `fn $name${INTS_RS} -> Option<i64>`,
      [
        'let mut best: Option<i64> = None;',
        'for &x in values {',
        '    if $cond && best.map_or(true, |b| x > b) {',
        '        best = Some(x);',
        '    }',
        '}',
        'best',
      ],
      'assert_eq!($name(&[]), None);',
    ),
  },
  map: {
    input: 'ints',
    cppOutput: 'list',
    cppIncludes: ['algorithm', 'vector'],
    returns: 'a new list with every value transformed',
    complexity: 'O(n) time and O(n) extra space for the result',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> list[int]:`,
      ['result = []', 'for x in values:', '    result.append($expr)', 'return result'],
      'assert $name([]) == []',
    ),
    cpp: same(
      `std::vector<int> $name${INTS_CPP}`,
      [
        'std::vector<int> result;',
        'result.reserve(values.size());',
        'for (int x : values) {',
        '    result.push_back($expr);',
        '}',
        'return result;',
      ],
      'assert($name({}).empty());',
    ),
    rust: same(
      `fn $name${INTS_RS} -> Vec<i64>`,
      ['values.iter().map(|&x| $expr).collect()'],
      'assert!($name(&[]).is_empty());',
    ),
  },
  countChar: {
    input: 'text',
    cppOutput: 'scalar',
    cppIncludes: ['cctype', 'cstddef', 'string'],
    returns: 'how many characters match',
    complexity: 'O(n) time and O(1) extra space',
    python: py(
      'def $name(text):',
      'def $name(text: str) -> int:',
      ['count = 0', 'for ch in text:', '    if $cond:', '        count += 1', 'return count'],
      'assert $name("") == 0',
    ),
    cpp: same(
      'std::size_t $name(const std::string& text)',
      [
        'std::size_t count = 0;',
        'for (char ch : text) {',
        '    if ($cond) {',
        '        ++count;',
        '    }',
        '}',
        'return count;',
      ],
      'assert($name("") == 0);',
    ),
    rust: same(
      'fn $name(text: &str) -> usize',
      [
        'let mut count = 0;',
        'for ch in text.chars() {',
        '    if $cond {',
        '        count += 1;',
        '    }',
        '}',
        'count',
      ],
      'assert_eq!($name(""), 0);',
    ),
  },
  longWords: {
    input: 'text',
    cppOutput: 'list',
    cppIncludes: ['sstream', 'string', 'vector'],
    returns: 'the long words, in the order they appear',
    complexity: 'O(n) time and O(n) extra space',
    python: py(
      'def $name(text):',
      'def $name(text: str) -> list[str]:',
      [
        'result = []',
        'for word in text.split():',
        '    if len(word) > $k:',
        '        result.append(word)',
        'return result',
      ],
      'assert $name("") == []',
    ),
    cpp: same(
      'std::vector<std::string> $name(const std::string& text)',
      [
        'std::istringstream stream(text);',
        'std::vector<std::string> result;',
        'std::string word;',
        'while (stream >> word) {',
        '    if (word.size() > $k) {',
        '        result.push_back(word);',
        '    }',
        '}',
        'return result;',
      ],
      'assert($name("").empty());',
    ),
    rust: same(
      'fn $name(text: &str) -> Vec<String>',
      [
        'text.split_whitespace()',
        '    .filter(|word| word.chars().count() > $k)',
        '    .map(String::from)',
        '    .collect()',
      ],
      'assert!($name("").is_empty());',
    ),
  },
  reverseWords: {
    input: 'text',
    cppOutput: 'scalar',
    cppIncludes: ['algorithm', 'cstddef', 'sstream', 'string', 'vector'],
    returns: 'the words joined by single spaces, last word first',
    complexity: 'O(n) time and O(n) extra space',
    python: py(
      'def $name(text):',
      'def $name(text: str) -> str:',
      ['words = text.split()', 'words.reverse()', 'return " ".join(words)'],
      'assert $name("") == ""',
    ),
    cpp: same(
      'std::string $name(const std::string& text)',
      [
        'std::istringstream stream(text);',
        'std::vector<std::string> words;',
        'std::string word;',
        'while (stream >> word) {',
        '    words.push_back(word);',
        '}',
        'std::reverse(words.begin(), words.end());',
        'std::string result;',
        'for (std::size_t i = 0; i < words.size(); ++i) {',
        '    if (i > 0) {',
        "        result += ' ';",
        '    }',
        '    result += words[i];',
        '}',
        'return result;',
      ],
      'assert($name("").empty());',
    ),
    rust: same(
      'fn $name(text: &str) -> String',
      ['let words: Vec<&str> = text.split_whitespace().rev().collect();', 'words.join(" ")'],
      'assert_eq!($name(""), "");',
    ),
  },
  isPalindrome: {
    input: 'text',
    cppOutput: 'bool',
    cppIncludes: ['cctype', 'cstddef', 'string'],
    returns: 'true when the letters and digits read the same both ways',
    complexity: 'O(n) time',
    python: py(
      'def $name(text):',
      'def $name(text: str) -> bool:',
      ['cleaned = [ch.lower() for ch in text if ch.isalnum()]', 'return cleaned == cleaned[::-1]'],
      'assert $name("")',
    ),
    cpp: same(
      'bool $name(const std::string& text)',
      [
        'std::size_t left = 0;',
        'std::size_t right = text.size();',
        'while (left < right) {',
        '    unsigned char a = static_cast<unsigned char>(text[left]);',
        '    unsigned char b = static_cast<unsigned char>(text[right - 1]);',
        '    if (!std::isalnum(a)) {',
        '        ++left;',
        '    } else if (!std::isalnum(b)) {',
        '        --right;',
        '    } else if (std::tolower(a) != std::tolower(b)) {',
        '        return false;',
        '    } else {',
        '        ++left;',
        '        --right;',
        '    }',
        '}',
        'return true;',
      ],
      'assert($name(""));',
    ),
    rust: same(
      'fn $name(text: &str) -> bool',
      [
        'let cleaned: Vec<char> = text',
        '    .chars()',
        '    .filter(|ch| ch.is_alphanumeric())',
        '    .map(|ch| ch.to_ascii_lowercase())',
        '    .collect();',
        'cleaned.iter().eq(cleaned.iter().rev())',
      ],
      'assert!($name(""));',
    ),
  },
  fibonacci: {
    input: 'n',
    nRange: [1, 30],
    cppOutput: 'list',
    cppIncludes: ['vector'],
    returns: 'the first n Fibonacci numbers, starting from 0',
    complexity: 'O(n) time and O(n) space for the result',
    python: py(
      'def $name(n):',
      'def $name(n: int) -> list[int]:',
      [
        'result = []',
        'a, b = 0, 1',
        'for _ in range(n):',
        '    result.append(a)',
        '    a, b = b, a + b',
        'return result',
      ],
      'assert $name(0) == []',
    ),
    cpp: same(
      'std::vector<long long> $name(int n)',
      [
        'std::vector<long long> result;',
        'long long a = 0;',
        'long long b = 1;',
        'for (int i = 0; i < n; ++i) {',
        '    result.push_back(a);',
        '    long long next = a + b;',
        '    a = b;',
        '    b = next;',
        '}',
        'return result;',
      ],
      'assert($name(0).empty());',
    ),
    rust: same(
      'fn $name(n: usize) -> Vec<u64>',
      [
        'let mut result = Vec::with_capacity(n);',
        'let (mut a, mut b) = (0u64, 1u64);',
        'for _ in 0..n {',
        '    result.push(a);',
        '    let next = a + b;',
        '    a = b;',
        '    b = next;',
        '}',
        'result',
      ],
      'assert!($name(0).is_empty());',
    ),
  },
  factorial: {
    input: 'n',
    nRange: [0, 20],
    cppOutput: 'scalar',
    cppIncludes: [],
    returns: 'n! (1 for n = 0)',
    complexity: 'O(n) multiplications',
    python: py(
      'def $name(n):',
      'def $name(n: int) -> int:',
      ['result = 1', 'for i in range(2, n + 1):', '    result *= i', 'return result'],
      'assert $name(0) == 1',
    ),
    cpp: same(
      'unsigned long long $name(unsigned int n)',
      [
        'unsigned long long result = 1;',
        'for (unsigned int i = 2; i <= n; ++i) {',
        '    result *= i;',
        '}',
        'return result;',
      ],
      'assert($name(0) == 1);',
    ),
    rust: same('fn $name(n: u64) -> u64', ['(1..=n).product()'], 'assert_eq!($name(0), 1);'),
  },
  gcd: {
    input: 'pair',
    cppOutput: 'scalar',
    cppIncludes: [],
    returns: 'the greatest common divisor (never negative)',
    complexity: 'O(log min(a, b)) steps',
    python: py(
      'def $name(a, b):',
      'def $name(a: int, b: int) -> int:',
      ['while b != 0:', '    a, b = b, a % b', 'return abs(a)'],
      'assert $name(12, 0) == 12',
    ),
    cpp: same(
      'long long $name(long long a, long long b)',
      [
        'while (b != 0) {',
        '    long long next = a % b;',
        '    a = b;',
        '    b = next;',
        '}',
        'return a < 0 ? -a : a;',
      ],
      'assert($name(12, 0) == 12);',
    ),
    rust: same(
      'fn $name(mut a: u64, mut b: u64) -> u64',
      ['while b != 0 {', '    let next = a % b;', '    a = b;', '    b = next;', '}', 'a'],
      'assert_eq!($name(12, 0), 12);',
    ),
  },
  isPrime: {
    input: 'n',
    nRange: [1, 500],
    cppOutput: 'bool',
    cppIncludes: [],
    returns: 'true when n is prime',
    complexity: 'O(sqrt(n)) time',
    python: py(
      'def $name(n):',
      'def $name(n: int) -> bool:',
      [
        'if n < 2:',
        '    return False',
        'i = 2',
        'while i * i <= n:',
        '    if n % i == 0:',
        '        return False',
        '    i += 1',
        'return True',
      ],
      'assert not $name(1)',
    ),
    cpp: same(
      'bool $name(long long n)',
      [
        'if (n < 2) {',
        '    return false;',
        '}',
        'for (long long i = 2; i * i <= n; ++i) {',
        '    if (n % i == 0) {',
        '        return false;',
        '    }',
        '}',
        'return true;',
      ],
      'assert(!$name(1));',
    ),
    rust: same(
      'fn $name(n: u64) -> bool',
      [
        'if n < 2 {',
        '    return false;',
        '}',
        'let mut i = 2;',
        'while i * i <= n {',
        '    if n % i == 0 {',
        '        return false;',
        '    }',
        '    i += 1;',
        '}',
        'true',
      ],
      'assert!(!$name(1));',
    ),
  },
  primesUpTo: {
    input: 'n',
    nRange: [10, 80],
    cppOutput: 'list',
    cppIncludes: ['vector'],
    returns: 'every prime p with p <= n, in increasing order',
    complexity: 'O(n log log n) time and O(n) space',
    python: py(
      'def $name(n):',
      'def $name(n: int) -> list[int]:',
      [
        'if n < 2:',
        '    return []',
        'is_prime = [True] * (n + 1)',
        'is_prime[0] = is_prime[1] = False',
        'for p in range(2, int(n ** 0.5) + 1):',
        '    if is_prime[p]:',
        '        for multiple in range(p * p, n + 1, p):',
        '            is_prime[multiple] = False',
        'return [i for i, flag in enumerate(is_prime) if flag]',
      ],
      'assert $name(1) == []',
    ),
    cpp: same(
      'std::vector<int> $name(int n)',
      [
        'std::vector<int> primes;',
        'if (n < 2) {',
        '    return primes;',
        '}',
        'std::vector<bool> is_prime(n + 1, true);',
        'for (int p = 2; p * p <= n; ++p) {',
        '    if (is_prime[p]) {',
        '        for (int m = p * p; m <= n; m += p) {',
        '            is_prime[m] = false;',
        '        }',
        '    }',
        '}',
        'for (int i = 2; i <= n; ++i) {',
        '    if (is_prime[i]) {',
        '        primes.push_back(i);',
        '    }',
        '}',
        'return primes;',
      ],
      'assert($name(1).empty());',
    ),
    rust: same(
      'fn $name(n: usize) -> Vec<usize>',
      [
        'if n < 2 {',
        '    return Vec::new();',
        '}',
        'let mut is_prime = vec![true; n + 1];',
        'let mut p = 2;',
        'while p * p <= n {',
        '    if is_prime[p] {',
        '        for m in (p * p..=n).step_by(p) {',
        '            is_prime[m] = false;',
        '        }',
        '    }',
        '    p += 1;',
        '}',
        '(2..=n).filter(|&i| is_prime[i]).collect()',
      ],
      'assert!($name(1).is_empty());',
    ),
  },
  binarySearch: {
    input: 'sortedTarget',
    cppOutput: 'scalar',
    cppIncludes: ['vector'],
    returns: 'the index of target, or no index when it is absent',
    complexity: 'O(log n) time and O(1) extra space',
    python: py(
      'def $name(values, target):',
      'def $name(values: list[int], target: int) -> int:',
      [
        'low, high = 0, len(values) - 1',
        'while low <= high:',
        '    mid = (low + high) // 2',
        '    if values[mid] == target:',
        '        return mid',
        '    if values[mid] < target:',
        '        low = mid + 1',
        '    else:',
        '        high = mid - 1',
        'return -1',
      ],
      'assert $name([], 3) == -1',
    ),
    cpp: same(
      'int $name(const std::vector<int>& values, int target)',
      [
        'int low = 0;',
        'int high = static_cast<int>(values.size()) - 1;',
        'while (low <= high) {',
        '    int mid = low + (high - low) / 2;',
        '    if (values[mid] == target) {',
        '        return mid;',
        '    }',
        '    if (values[mid] < target) {',
        '        low = mid + 1;',
        '    } else {',
        '        high = mid - 1;',
        '    }',
        '}',
        'return -1;',
      ],
      'assert($name({}, 3) == -1);',
    ),
    rust: same(
      'fn $name(values: &[i64], target: i64) -> Option<usize>',
      [
        'let (mut low, mut high) = (0usize, values.len());',
        'while low < high {',
        '    let mid = low + (high - low) / 2;',
        '    if values[mid] == target {',
        '        return Some(mid);',
        '    }',
        '    if values[mid] < target {',
        '        low = mid + 1;',
        '    } else {',
        '        high = mid;',
        '    }',
        '}',
        'None',
      ],
      'assert_eq!($name(&[], 3), None);',
    ),
  },
  bubbleSort: {
    input: 'ints',
    cppOutput: 'list',
    cppIncludes: ['cstddef', 'utility', 'vector'],
    returns: 'a sorted copy of the input',
    complexity: 'O(n^2) time and O(n) space for the copy',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> list[int]:`,
      [
        'items = list(values)',
        'for i in range(len(items)):',
        '    for j in range(len(items) - 1 - i):',
        '        if items[j] > items[j + 1]:',
        '            items[j], items[j + 1] = items[j + 1], items[j]',
        'return items',
      ],
      'assert $name([]) == []',
    ),
    cpp: same(
      'std::vector<int> $name(std::vector<int> values)',
      [
        'for (std::size_t i = 0; i < values.size(); ++i) {',
        '    for (std::size_t j = 0; j + 1 < values.size() - i; ++j) {',
        '        if (values[j] > values[j + 1]) {',
        '            std::swap(values[j], values[j + 1]);',
        '        }',
        '    }',
        '}',
        'return values;',
      ],
      'assert($name({}).empty());',
    ),
    rust: same(
      `fn $name${INTS_RS} -> Vec<i64>`,
      [
        'let mut items = values.to_vec();',
        'let n = items.len();',
        'for i in 0..n {',
        '    for j in 0..n.saturating_sub(i + 1) {',
        '        if items[j] > items[j + 1] {',
        '            items.swap(j, j + 1);',
        '        }',
        '    }',
        '}',
        'items',
      ],
      'assert!($name(&[]).is_empty());',
    ),
  },
  dedupe: {
    input: 'ints',
    cppOutput: 'list',
    cppIncludes: ['unordered_set', 'vector'],
    rustUses: 'use std::collections::HashSet;',
    returns: 'the values with later duplicates removed',
    complexity: 'O(n) expected time and O(n) extra space',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> list[int]:`,
      [
        'seen = set()',
        'result = []',
        'for x in values:',
        '    if x not in seen:',
        '        seen.add(x)',
        '        result.append(x)',
        'return result',
      ],
      'assert $name([]) == []',
    ),
    cpp: same(
      `std::vector<int> $name${INTS_CPP}`,
      [
        'std::unordered_set<int> seen;',
        'std::vector<int> result;',
        'for (int x : values) {',
        '    if (seen.insert(x).second) {',
        '        result.push_back(x);',
        '    }',
        '}',
        'return result;',
      ],
      'assert($name({}).empty());',
    ),
    rust: same(
      `fn $name${INTS_RS} -> Vec<i64>`,
      [
        'let mut seen = HashSet::new();',
        'let mut result = Vec::new();',
        'for &x in values {',
        '    if seen.insert(x) {',
        '        result.push(x);',
        '    }',
        '}',
        'result',
      ],
      'assert!($name(&[]).is_empty());',
    ),
  },
  runningSum: {
    input: 'ints',
    cppOutput: 'list',
    cppIncludes: ['vector'],
    returns: 'the prefix sums, one per input value',
    complexity: 'O(n) time and O(n) space for the result',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> list[int]:`,
      [
        'result = []',
        'total = 0',
        'for x in values:',
        '    total += x',
        '    result.append(total)',
        'return result',
      ],
      'assert $name([]) == []',
    ),
    cpp: same(
      `std::vector<long long> $name${INTS_CPP}`,
      [
        'std::vector<long long> result;',
        'long long total = 0;',
        'for (int x : values) {',
        '    total += x;',
        '    result.push_back(total);',
        '}',
        'return result;',
      ],
      'assert($name({}).empty());',
    ),
    rust: same(
      `fn $name${INTS_RS} -> Vec<i64>`,
      [
        'let mut total = 0;',
        'values',
        '    .iter()',
        '    .map(|&x| {',
        '        total += x;',
        '        total',
        '    })',
        '    .collect()',
      ],
      'assert!($name(&[]).is_empty());',
    ),
  },
  secondLargest: {
    input: 'ints',
    cppOutput: 'opt',
    cppIncludes: ['optional', 'vector'],
    returns: 'the second largest distinct value, or nothing when there is none',
    complexity: 'O(n) time and O(1) extra space',
    python: py(
      INTS_PY[0],
      `${INTS_PY[1]} -> int | None:`,
      [
        'largest = None',
        'second = None',
        'for x in values:',
        '    if largest is None or x > largest:',
        '        second = largest',
        '        largest = x',
        '    elif x != largest and (second is None or x > second):',
        '        second = x',
        'return second',
      ],
      'assert $name([]) is None',
    ),
    cpp: same(
      `std::optional<int> $name${INTS_CPP}`,
      [
        'std::optional<int> largest;',
        'std::optional<int> second;',
        'for (int x : values) {',
        '    if (!largest || x > *largest) {',
        '        second = largest;',
        '        largest = x;',
        '    } else if (x != *largest && (!second || x > *second)) {',
        '        second = x;',
        '    }',
        '}',
        'return second;',
      ],
      'assert(!$name({}).has_value());',
    ),
    rust: same(
      `fn $name${INTS_RS} -> Option<i64>`,
      [
        'let mut largest: Option<i64> = None;',
        'let mut second: Option<i64> = None;',
        'for &x in values {',
        '    match largest {',
        '        Some(top) if x <= top => {',
        '            if x != top && second.map_or(true, |s| x > s) {',
        '                second = Some(x);',
        '            }',
        '        }',
        '        _ => {',
        '            second = largest;',
        '            largest = Some(x);',
        '        }',
        '    }',
        '}',
        'second',
      ],
      'assert_eq!($name(&[]), None);',
    ),
  },
} satisfies Record<string, Shape>

type ShapeId = keyof typeof SHAPES

/** A snippet written once per language (a predicate or an expression). */
type PerLanguage = Readonly<Record<Language, string>>

const uniform = (code: string): PerLanguage => ({ python: code, cpp: code, rust: code })

const CONDITIONS = {
  even: uniform('x % 2 == 0'),
  odd: uniform('x % 2 != 0'),
  positive: uniform('x > 0'),
  negative: uniform('x < 0'),
  nonNegative: uniform('x >= 0'),
  divisible: uniform('x % $k == 0'),
  greater: uniform('x > $k'),
  less: uniform('x < $k'),
  vowel: {
    python: 'ch.lower() in "aeiou"',
    cpp: 'std::string("aeiouAEIOU").find(ch) != std::string::npos',
    rust: '"aeiouAEIOU".contains(ch)',
  },
  digit: {
    python: 'ch.isdigit()',
    cpp: 'std::isdigit(static_cast<unsigned char>(ch))',
    rust: 'ch.is_ascii_digit()',
  },
  upper: {
    python: 'ch.isupper()',
    cpp: 'std::isupper(static_cast<unsigned char>(ch))',
    rust: 'ch.is_ascii_uppercase()',
  },
  space: {
    python: 'ch.isspace()',
    cpp: 'std::isspace(static_cast<unsigned char>(ch))',
    rust: 'ch.is_whitespace()',
  },
} satisfies Record<string, PerLanguage>

const EXPRESSIONS = {
  times: uniform('x * $k'),
  plus: uniform('x + $k'),
  square: uniform('x * x'),
  clamp: { python: 'min(max(x, 0), $k)', cpp: 'std::clamp(x, 0, $k)', rust: 'x.clamp(0, $k)' },
} satisfies Record<string, PerLanguage>

interface TaskTemplate {
  /** What the function does, completing "Write a function that ...". */
  does: string
  name: string
  shape: ShapeId
  cond?: keyof typeof CONDITIONS
  expr?: keyof typeof EXPRESSIONS
  ks?: readonly number[]
}

const SMALL_K = [2, 3, 4, 5, 6, 7, 8, 9] as const
const THRESHOLDS = [0, 5, 10, 25, 50, 100] as const

const TASKS: readonly TaskTemplate[] = [
  {
    does: 'returns the sum of all even numbers in a list',
    name: 'sum_even',
    shape: 'sum',
    cond: 'even',
  },
  {
    does: 'returns the sum of all odd numbers in a list',
    name: 'sum_odd',
    shape: 'sum',
    cond: 'odd',
  },
  {
    does: 'returns the sum of the positive numbers in a list',
    name: 'sum_positive',
    shape: 'sum',
    cond: 'positive',
  },
  {
    does: 'returns the sum of the numbers in a list that are divisible by $k',
    name: 'sum_divisible_by_$k',
    shape: 'sum',
    cond: 'divisible',
    ks: SMALL_K,
  },
  {
    does: 'returns the sum of the numbers in a list that are greater than $k',
    name: 'sum_above_$k',
    shape: 'sum',
    cond: 'greater',
    ks: THRESHOLDS,
  },
  {
    does: 'counts how many numbers in a list are negative',
    name: 'count_negative',
    shape: 'count',
    cond: 'negative',
  },
  { does: 'counts the even numbers in a list', name: 'count_even', shape: 'count', cond: 'even' },
  {
    does: 'counts how many numbers in a list are divisible by $k',
    name: 'count_divisible_by_$k',
    shape: 'count',
    cond: 'divisible',
    ks: SMALL_K,
  },
  {
    does: 'counts the values in a list that are greater than $k',
    name: 'count_above_$k',
    shape: 'count',
    cond: 'greater',
    ks: THRESHOLDS,
  },
  {
    does: 'keeps only the even numbers of a list',
    name: 'keep_even',
    shape: 'filter',
    cond: 'even',
  },
  {
    does: 'removes all negative numbers from a list',
    name: 'drop_negative',
    shape: 'filter',
    cond: 'nonNegative',
  },
  {
    does: 'returns the numbers in a list that are less than $k',
    name: 'values_below_$k',
    shape: 'filter',
    cond: 'less',
    ks: THRESHOLDS,
  },
  {
    does: 'returns the multiples of $k from a list',
    name: 'multiples_of_$k',
    shape: 'filter',
    cond: 'divisible',
    ks: SMALL_K,
  },
  {
    does: 'finds the index of the first negative number in a list',
    name: 'first_negative_index',
    shape: 'first',
    cond: 'negative',
  },
  {
    does: 'finds the index of the first number in a list that is divisible by $k',
    name: 'first_divisible_by_$k',
    shape: 'first',
    cond: 'divisible',
    ks: SMALL_K,
  },
  {
    does: 'finds the position of the first value greater than $k in a list',
    name: 'first_above_$k',
    shape: 'first',
    cond: 'greater',
    ks: THRESHOLDS,
  },
  {
    does: 'returns the largest even number in a list',
    name: 'largest_even',
    shape: 'max',
    cond: 'even',
  },
  {
    does: 'returns the largest number in a list that is smaller than $k',
    name: 'largest_below_$k',
    shape: 'max',
    cond: 'less',
    ks: THRESHOLDS,
  },
  {
    does: 'finds the largest multiple of $k in a list',
    name: 'largest_multiple_of_$k',
    shape: 'max',
    cond: 'divisible',
    ks: SMALL_K,
  },
  {
    does: 'multiplies every number in a list by $k',
    name: 'scale_by_$k',
    shape: 'map',
    expr: 'times',
    ks: SMALL_K,
  },
  {
    does: 'adds $k to every element of a list',
    name: 'add_$k',
    shape: 'map',
    expr: 'plus',
    ks: [1, 5, 10, 100],
  },
  { does: 'squares every number in a list', name: 'square_all', shape: 'map', expr: 'square' },
  {
    does: 'clamps every value in a list to the range 0 to $k',
    name: 'clamp_to_$k',
    shape: 'map',
    expr: 'clamp',
    ks: [10, 50, 100, 255],
  },
  {
    does: 'counts the vowels in a string',
    name: 'count_vowels',
    shape: 'countChar',
    cond: 'vowel',
  },
  {
    does: 'counts the digits in a string',
    name: 'count_digits',
    shape: 'countChar',
    cond: 'digit',
  },
  {
    does: 'counts the uppercase letters in a string',
    name: 'count_uppercase',
    shape: 'countChar',
    cond: 'upper',
  },
  {
    does: 'counts the whitespace characters in a string',
    name: 'count_whitespace',
    shape: 'countChar',
    cond: 'space',
  },
  {
    does: 'returns the words in a sentence that are longer than $k characters',
    name: 'words_longer_than_$k',
    shape: 'longWords',
    ks: [3, 4, 5, 6, 7, 8],
  },
  {
    does: 'reverses the order of the words in a sentence',
    name: 'reverse_words',
    shape: 'reverseWords',
  },
  {
    does: 'checks whether a string is a palindrome, ignoring case and punctuation',
    name: 'is_palindrome',
    shape: 'isPalindrome',
  },
  { does: 'returns the first n Fibonacci numbers', name: 'fibonacci', shape: 'fibonacci' },
  { does: 'computes the factorial of n iteratively', name: 'factorial', shape: 'factorial' },
  { does: 'computes the greatest common divisor of two integers', name: 'gcd', shape: 'gcd' },
  { does: 'checks whether a number is prime', name: 'is_prime', shape: 'isPrime' },
  {
    does: 'lists all primes up to n with the Sieve of Eratosthenes',
    name: 'primes_up_to',
    shape: 'primesUpTo',
  },
  {
    does: 'performs binary search on a sorted list and returns the index of the target',
    name: 'binary_search',
    shape: 'binarySearch',
  },
  { does: 'sorts a list of integers with bubble sort', name: 'bubble_sort', shape: 'bubbleSort' },
  {
    does: 'removes duplicate values from a list while keeping the original order',
    name: 'unique_in_order',
    shape: 'dedupe',
  },
  { does: 'computes the running (prefix) sum of a list', name: 'running_sum', shape: 'runningSum' },
  {
    does: 'returns the second largest distinct value in a list',
    name: 'second_largest',
    shape: 'secondLargest',
  },
]

const PROMPT_OPENERS = [
  'Write a function that ',
  'Implement a function that ',
  'Create a function that ',
]

/** A task with its parameter chosen, ready to write code for in one language. */
interface Task {
  prompt: string
  does: string
  name: string
  shape: Shape
  language: Language
  code: ShapeCode
}

function chooseTask(rng: Rng, language: Language): Task {
  const index = Math.floor(rng() * TASKS.length)
  const template = TASKS[index] ?? TASKS[0]
  if (template === undefined) throw new Error('no task templates')
  const k = String(template.ks ? pick(rng, template.ks) : 0)
  const fill = (text: string) => text.replaceAll('$k', k)
  const shape: Shape = SHAPES[template.shape]
  const cond = template.cond ? CONDITIONS[template.cond][language] : ''
  const expr = template.expr ? EXPRESSIONS[template.expr][language] : ''
  const name = fill(template.name)
  const substitute = (code: string) =>
    fill(code.replaceAll('$cond', cond).replaceAll('$expr', expr).replaceAll('$name', name))
  const raw = shape[language]
  const does = fill(template.does)
  return {
    // The opener depends on the template only, so equal tasks give equal prompts.
    prompt: (PROMPT_OPENERS[index % PROMPT_OPENERS.length] ?? '') + does,
    does,
    name,
    shape,
    language,
    code: {
      sig: substitute(raw.sig),
      typedSig: substitute(raw.typedSig),
      body: substitute(raw.body),
      edge: substitute(raw.edge),
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Example calls: random arguments printed in each language's own way.

const PHRASES = [
  'Hello World',
  'A man, a plan, a canal: Panama',
  'Never odd or even',
  'The quick brown fox jumps over the lazy dog',
  'Order 66 shipped on 2024-05-01',
  'Was it a car or a cat I saw',
  'Rust 1.79 and C++ 20 in one sentence',
  'racecar',
  'Level up your unit tests today',
  'No lemon, no melon',
  'Data pipelines need 3 retries and 2 checks',
  'Step on no pets',
  'Keep It Simple, Stupid',
  'An apple a day keeps the doctor away',
]

const FENCE_TAGS: PerLanguage = { python: 'python', cpp: 'cpp', rust: 'rust' }
const LANGUAGE_NAMES: PerLanguage = { python: 'Python', cpp: 'C++', rust: 'Rust' }
const COMMENT_PREFIX: PerLanguage = { python: '# ', cpp: '// ', rust: '// ' }

function intList(rng: Rng, length: number, sorted: boolean): number[] {
  const values = Array.from({ length }, () => intBetween(rng, -20, 99))
  return sorted ? [...new Set(values)].sort((a, b) => a - b) : values
}

function listLiteral(language: Language, values: readonly number[]): string {
  const inner = values.join(', ')
  if (language === 'python') return `[${inner}]`
  return language === 'cpp' ? `{${inner}}` : `&[${inner}]`
}

function exampleArgs(rng: Rng, task: Task): string {
  const { shape, language } = task
  switch (shape.input) {
    case 'ints':
      return listLiteral(language, intList(rng, intBetween(rng, 3, 9), false))
    case 'sortedTarget': {
      const values = intList(rng, intBetween(rng, 4, 9), true)
      const target = rng() < 0.7 ? pick(rng, values) : intBetween(rng, -20, 99)
      return `${listLiteral(language, values)}, ${target}`
    }
    case 'text':
      return JSON.stringify(pick(rng, PHRASES))
    case 'n': {
      const [low, high] = shape.nRange ?? [1, 20]
      return String(intBetween(rng, low, high))
    }
    case 'pair':
      return `${intBetween(rng, 1, 300)}, ${intBetween(rng, 1, 300)}`
  }
}

function exampleLine(rng: Rng, task: Task, indent: string): string {
  const call = `${task.name}(${exampleArgs(rng, task)})`
  switch (task.language) {
    case 'python':
      return `${indent}print(${call})\n`
    case 'rust':
      return `${indent}println!("{:?}", ${call});\n`
    case 'cpp':
      switch (task.shape.cppOutput) {
        case 'list':
          return `${indent}print_all(${call});\n`
        case 'bool':
          return `${indent}std::cout << std::boolalpha << ${call} << '\\n';\n`
        case 'opt':
          return `${indent}std::cout << ${call}.value_or(-1) << '\\n';\n`
        case 'scalar':
          return `${indent}std::cout << ${call} << '\\n';\n`
      }
  }
}

const EXAMPLE_COMMENTS = [
  'Another example',
  'A larger input',
  'Mixed signs',
  'Quick sanity check',
  'Try a different input',
  'Should match the expected output above',
]

/** An example call, now and then preceded by a comment line. */
function paddingLine(rng: Rng, task: Task, indent: string): string {
  const comment =
    rng() < 0.25 ? `${indent}${COMMENT_PREFIX[task.language]}${pick(rng, EXAMPLE_COMMENTS)}\n` : ''
  return comment + exampleLine(rng, task, indent)
}

// ---------------------------------------------------------------------------------------------
// Drafts: a document whose example section can grow, so code fields can be sized to order.

interface Draft {
  head: string
  examples: string[]
  tail: string
  indent: string
}

function draftLength(draft: Draft): number {
  return draft.head.length + draft.tail.length + draft.examples.reduce((n, s) => n + s.length, 0)
}

function renderDraft(draft: Draft): string {
  return draft.head + draft.examples.join('') + draft.tail
}

function growDraft(rng: Rng, task: Task, draft: Draft, targetChars: number): void {
  let length = draftLength(draft)
  while (length < targetChars) {
    const line = paddingLine(rng, task, draft.indent)
    draft.examples.push(line)
    length += line.length
  }
}

const PRINT_ALL_CPP = [
  'template <typename T>',
  'void print_all(const std::vector<T>& items) {',
  '    for (const auto& item : items) {',
  "        std::cout << item << ' ';",
  '    }',
  "    std::cout << '\\n';",
  '}',
  '',
  '',
].join('\n')

function cppIncludes(task: Task, extra: readonly string[]): string {
  const names = new Set(['iostream', ...task.shape.cppIncludes, ...extra])
  if (task.shape.cppOutput === 'list') names.add('vector')
  return [...names]
    .sort()
    .map((name) => `#include <${name}>\n`)
    .join('')
}

function functionBlock(signature: string, body: string, language: Language): string {
  const inner = indentLines(body, '    ')
  return language === 'python' ? `${signature}\n${inner}\n` : `${signature} {\n${inner}\n}\n`
}

const STUDENT_INTROS = ['', '', '', 'Here is the solution:\n\n', 'Sure, here you go:\n\n']
const STUDENT_OUTROS = [
  '',
  '',
  '',
  '\n\nThis walks over the input once.',
  '\n\nThe function returns the result directly.',
]

function studentDraft(rng: Rng, task: Task, opening: string): Draft {
  const { language, code } = task
  const intro = pick(rng, STUDENT_INTROS)
  const outro = pick(rng, STUDENT_OUTROS)
  const fence = `${intro}\`\`\`${FENCE_TAGS[language]}\n${opening}`
  const comment = rng() < 0.4 ? `${COMMENT_PREFIX[language]}${capitalize(task.does)}\n` : ''
  switch (language) {
    case 'python':
      return {
        head: `${fence}${comment}${functionBlock(code.sig, code.body, language)}\n\n`,
        examples: [],
        tail: `\`\`\`${outro}`,
        indent: '',
      }
    case 'cpp': {
      const helper = task.shape.cppOutput === 'list' ? PRINT_ALL_CPP : ''
      const fn = functionBlock(code.sig, code.body, language)
      return {
        head: `${fence}${cppIncludes(task, [])}\n${comment}${fn}\n${helper}int main() {\n`,
        examples: [],
        tail: `    return 0;\n}\n\`\`\`${outro}`,
        indent: '    ',
      }
    }
    case 'rust': {
      const uses = task.shape.rustUses ? `${task.shape.rustUses}\n\n` : ''
      const fn = functionBlock(code.sig, code.body, language)
      return {
        head: `${fence}${uses}${comment}${fn}\nfn main() {\n`,
        examples: [],
        tail: `}\n\`\`\`${outro}`,
        indent: '    ',
      }
    }
  }
}

interface TeacherParts {
  fullDoc: boolean
  tests: boolean
  explanation: boolean
}

function paramDocs(input: InputKind): readonly (readonly [string, string])[] {
  switch (input) {
    case 'ints':
      return [['values', 'the numbers to scan']]
    case 'sortedTarget':
      return [
        ['values', 'numbers sorted in ascending order'],
        ['target', 'the value to look for'],
      ]
    case 'text':
      return [['text', 'the input string']]
    case 'n':
      return [['n', 'a non-negative integer']]
    case 'pair':
      return [
        ['a', 'the first integer'],
        ['b', 'the second integer'],
      ]
  }
}

function documentedFunction(task: Task, fullDoc: boolean, bodyComment: string): string {
  const { language, code, shape } = task
  const summary = `${capitalize(task.does)}.`
  const params = paramDocs(shape.input)
  const body = bodyComment ? `${COMMENT_PREFIX[language]}${bodyComment}\n${code.body}` : code.body
  switch (language) {
    case 'python': {
      const doc = fullDoc
        ? [
            `"""${summary}`,
            '',
            'Args:',
            ...params.map(([name, text]) => `    ${name}: ${capitalize(text)}.`),
            '',
            'Returns:',
            `    ${capitalize(shape.returns)}.`,
            '"""',
          ].join('\n')
        : `"""${summary}"""`
      return functionBlock(code.typedSig, `${doc}\n${body}`, language)
    }
    case 'cpp': {
      const doc = fullDoc
        ? [
            '/**',
            ` * ${summary}`,
            ' *',
            ...params.map(([name, text]) => ` * @param ${name} ${text}`),
            ` * @return ${shape.returns}`,
            ' */',
          ].join('\n')
        : `/// ${summary}`
      return `${doc}\n${functionBlock(code.typedSig, body, language)}`
    }
    case 'rust': {
      const doc = fullDoc
        ? [
            `/// ${summary}`,
            '///',
            '/// # Arguments',
            '///',
            ...params.map(([name, text]) => `/// * \`${name}\` - ${text}`),
            '///',
            '/// # Returns',
            '///',
            `/// ${capitalize(shape.returns)}.`,
          ].join('\n')
        : `/// ${summary}`
      return `${doc}\n${functionBlock(`pub ${code.typedSig}`, body, language)}`
    }
  }
}

function testsBlock(task: Task): string {
  const { language, name, code } = task
  switch (language) {
    case 'python':
      return `\n\ndef test_${name}() -> None:\n    """Edge case: empty or minimal input."""\n    ${code.edge}\n`
    case 'cpp':
      return `\nvoid run_checks() {\n    // Edge case: empty or minimal input.\n    ${code.edge}\n}\n`
    case 'rust':
      return [
        '',
        '#[cfg(test)]',
        'mod tests {',
        '    use super::*;',
        '',
        '    #[test]',
        '    fn handles_edge_case() {',
        `        ${code.edge}`,
        '    }',
        '}',
        '',
      ].join('\n')
  }
}

const TEACHER_INTROS = [
  "Here's a clean, well-documented $lang solution that $does:",
  'Below is an idiomatic $lang implementation that $does. It documents its inputs and handles empty input.',
  'Sure! Here is a $lang function that $does, together with an edge-case check and example usage.',
  'This $lang version $does. It keeps the logic in one small function that is easy to test.',
]

const BODY_COMMENTS = [
  '',
  'Single pass over the input.',
  'Keep only what is needed for the answer.',
  'Straightforward loop: easy to read and to test.',
]

const EXPLANATION_POINTS = [
  'The function does not modify its input.',
  'Empty input is handled without special cases.',
  'Names follow the usual conventions of the language.',
  'The example calls at the bottom print the result for a few inputs.',
  'The edge-case check documents the behaviour on empty input.',
  'No allocation happens beyond the result itself.',
]

function explanation(rng: Rng, task: Task): string {
  const first = pick(rng, EXPLANATION_POINTS)
  const second = pick(
    rng,
    EXPLANATION_POINTS.filter((p) => p !== first),
  )
  return [
    '',
    '',
    '**How it works**',
    '',
    `1. ${capitalize(task.does)}.`,
    `2. ${first}`,
    `3. ${second}`,
    '',
    `**Complexity:** ${task.shape.complexity}.`,
  ].join('\n')
}

function teacherDraft(rng: Rng, task: Task, parts: TeacherParts): Draft {
  const { language } = task
  const intro = pick(rng, TEACHER_INTROS)
    .replace('$lang', LANGUAGE_NAMES[language])
    .replace('$does', task.does)
  const fn = documentedFunction(task, parts.fullDoc, pick(rng, BODY_COMMENTS))
  const tests = parts.tests ? testsBlock(task) : ''
  const outro = parts.explanation ? explanation(rng, task) : ''
  const open = `${intro}\n\n\`\`\`${FENCE_TAGS[language]}\n`
  switch (language) {
    case 'python': {
      const callTests = parts.tests ? `    test_${task.name}()\n` : ''
      return {
        head: `${open}${fn}${tests}\n\nif __name__ == "__main__":\n${callTests}`,
        examples: [],
        tail: `\`\`\`${outro}`,
        indent: '    ',
      }
    }
    case 'cpp': {
      const helper = task.shape.cppOutput === 'list' ? PRINT_ALL_CPP : ''
      const includes = cppIncludes(task, parts.tests ? ['cassert'] : [])
      const callTests = parts.tests ? '    run_checks();\n' : ''
      return {
        head: `${open}${includes}\n${fn}${tests}\n${helper}int main() {\n${callTests}`,
        examples: [],
        tail: `    return 0;\n}\n\`\`\`${outro}`,
        indent: '    ',
      }
    }
    case 'rust': {
      const uses = task.shape.rustUses ? `${task.shape.rustUses}\n\n` : ''
      return {
        head: `${open}${uses}${fn}${tests}\nfn main() {\n`,
        examples: [],
        tail: `}\n\`\`\`${outro}`,
        indent: '    ',
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Messy details real data has: truncation, non-ASCII text, CRLF line endings.

const NON_ASCII_COMMENTS = [
  'Naïve first attempt — café-quality code ☕',
  'Résumé: loop once, return early 🚀',
  'Überprüfung der Eingabe ✓',
  'Complexité linéaire, façon simple',
  '简单的实现 (simple implementation)',
  'Ελέγχουμε κάθε στοιχείο 🙂',
]

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /\w/.test(ch)
}

/** Cuts text at or after `at` (before `limit`), inside a word when one is near, as a token limit would. */
function cutMidToken(text: string, at: number, limit: number): string {
  const searchEnd = Math.min(limit, at + 200)
  for (let i = at; i < searchEnd; i++) {
    if (isWordChar(text[i - 1]) && isWordChar(text[i])) return text.slice(0, i)
  }
  let end = at
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end -= 1
  return text.slice(0, end)
}

/** Turns a few line endings inside the code block into CRLF, as editors on Windows leave them. */
function withSomeCrlf(rng: Rng, text: string): string {
  const codeStart = text.indexOf('\n', text.indexOf('```')) + 1
  const lines = text.slice(codeStart).split('\n')
  if (lines.length < 3) return text
  const first = intBetween(rng, 1, Math.min(5, lines.length - 2))
  const last = Math.min(lines.length - 1, first + intBetween(rng, 2, 5))
  let out = text.slice(0, codeStart)
  lines.forEach((line, i) => {
    if (i > 0) out += i >= first && i <= last ? '\r\n' : '\n'
    out += line
  })
  return out
}

// ---------------------------------------------------------------------------------------------
// Rows.

const SCORING_BREAKDOWN = {
  correctness: 0.3,
  code_quality: 0.3,
  efficiency: 0.2,
  documentation: 0.2,
}
const START_MICROS = Date.UTC(2025, 2, 3, 9, 14, 7) * 1000 + 123_456

function isoMicros(micros: number): string {
  const date = new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19)
  return `${date}.${String(micros % 1_000_000).padStart(6, '0')}`
}

function chooseLanguage(rng: Rng): Language {
  const r = rng()
  if (r < 0.35) return 'python'
  return r < 0.7 ? 'cpp' : 'rust'
}

function studentScore(rng: Rng, truncated: boolean): number {
  const spread = (rng() + rng()) / 2
  if (truncated) {
    // A few truncated answers still score high: the "truncated but rewarded" case QA looks for.
    return roundTo2(rng() < 0.06 ? 0.82 + 0.13 * spread : 0.05 + 0.55 * spread)
  }
  return roundTo2(0.35 + 0.6 * spread)
}

function studentCode(rng: Rng, task: Task, truncated: boolean, codeChars?: number): string {
  const opening =
    rng() < 0.01 ? `${COMMENT_PREFIX[task.language]}${pick(rng, NON_ASCII_COMMENTS)}\n` : ''
  const draft = studentDraft(rng, task, opening)
  const codeStart = draft.head.indexOf('\n', draft.head.indexOf('```')) + 1
  if (codeChars === undefined) {
    draft.examples.push(exampleLine(rng, task, draft.indent))
    if (rng() < 0.5) draft.examples.push(exampleLine(rng, task, draft.indent))
    const full = renderDraft(draft)
    if (!truncated) return full
    const codeEnd = full.lastIndexOf('```')
    const at = codeStart + Math.floor((codeEnd - codeStart) * (0.55 + 0.35 * rng()))
    return cutMidToken(full, at, codeEnd)
  }
  if (!truncated) {
    growDraft(rng, task, draft, codeChars * 0.98)
    return renderDraft(draft)
  }
  growDraft(rng, task, draft, codeChars * 1.3)
  const full = renderDraft(draft)
  const codeEnd = full.lastIndexOf('```')
  const at = Math.max(codeStart + 20, Math.floor(codeChars * (0.9 + 0.15 * rng())))
  return cutMidToken(full, Math.min(at, codeEnd - 1), codeEnd)
}

function teacherCode(rng: Rng, task: Task, codeChars?: number): string {
  if (codeChars === undefined) {
    const draft = teacherDraft(rng, task, { fullDoc: true, tests: true, explanation: true })
    const examples = intBetween(rng, 2, 4)
    for (let i = 0; i < examples; i++) draft.examples.push(paddingLine(rng, task, draft.indent))
    return renderDraft(draft)
  }
  // Drop the optional parts, largest first, until one example call fits in the budget.
  const choices: readonly TeacherParts[] = [
    { fullDoc: true, tests: true, explanation: true },
    { fullDoc: true, tests: true, explanation: false },
    { fullDoc: true, tests: false, explanation: false },
  ]
  let draft = teacherDraft(rng, task, { fullDoc: false, tests: false, explanation: false })
  for (const parts of choices) {
    const candidate = teacherDraft(rng, task, parts)
    if (draftLength(candidate) + 60 <= codeChars * 0.98) {
      draft = candidate
      break
    }
  }
  draft.examples.push(exampleLine(rng, task, draft.indent))
  growDraft(rng, task, draft, codeChars * 0.98)
  return renderDraft(draft)
}

function makeRow(rng: Rng, micros: number, codeChars?: number): RlaifRow {
  const language = chooseLanguage(rng)
  const task = chooseTask(rng, language)
  const truncated = rng() < 0.2
  let student = studentCode(rng, task, truncated, codeChars)
  let teacher = teacherCode(rng, task, codeChars)
  if (rng() < 0.01) {
    if (rng() < 0.5) student = withSomeCrlf(rng, student)
    else teacher = withSomeCrlf(rng, teacher)
  }
  const studentScoreValue = studentScore(rng, truncated)
  const teacherScoreValue = roundTo2(0.8 + 0.19 * rng())
  return {
    prompt: task.prompt,
    language,
    student_code: student,
    teacher_code: teacher,
    student_score: studentScoreValue,
    teacher_score: teacherScoreValue,
    // Exactly the quotient of the stored scores, so `reward == student_score / teacher_score`.
    reward: studentScoreValue / teacherScoreValue,
    scoring_breakdown: { ...SCORING_BREAKDOWN },
    timestamp: isoMicros(micros),
  }
}

/**
 * Yields `count` synthetic RLAIF rows, the same rows for the same seed.
 *
 * With `codeChars`, student_code and teacher_code are each about that many characters (±20%);
 * it should be at least ~800, the size of the smallest complete answer.
 */
export function* rlaifRows(count: number, options: RowOptions = {}): Generator<RlaifRow> {
  const rng = mulberry32(options.seed ?? 1)
  let micros = START_MICROS
  for (let i = 0; i < count; i++) {
    micros += 200_000 + Math.floor(rng() * 2_800_000)
    yield makeRow(rng, micros, options.codeChars)
  }
}

/** Yields the rows of `rlaifRows` as JSONL lines, without the newline. */
export function* rlaifJsonlLines(count: number, options: RowOptions = {}): Generator<string> {
  for (const row of rlaifRows(count, options)) yield JSON.stringify(row)
}

/** The bundled demo dataset: 360 rows from seed 7, one JSON object per line. */
export function demoDatasetJsonl(): string {
  return `${[...rlaifJsonlLines(360, { seed: 7 })].join('\n')}\n`
}
