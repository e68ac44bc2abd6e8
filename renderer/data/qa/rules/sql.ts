/**
 * Small SQL pieces the reward checks share: how a reason shows a number, a finding's SELECT, blank
 * text, fences, hashes and whitespace keys of text, and the queries finding groups and duplicates.
 */
import { quoteString } from '../../../../shared/sql'
import { UNIT_COLUMNS as U } from '../../profile/units'
import { DERIVED_TOLERANCE } from './rule'

/** The column naming a unit's row. */
export const ROW = U.row
/** The column naming a unit's place in its row's list (NULL when rows are the units). */
export const ITEM = U.item
/** The whitespace characters, as SQL text (for `trim`). */
export const WHITESPACE = `' ' || chr(9) || chr(10) || chr(13)`

/** A number as a reason shows it: six significant digits, `null` for none. */
export const num = (x: string) => `coalesce(printf('%.6g', ${x}), 'null')`
/** A text as a SQL string literal. */
export const lit = quoteString
/** The findings of the units of `from` matching `where`. */
export const select = (from: string, detail: string, where: string) =>
  `SELECT ${ROW}, ${ITEM}, ${detail} AS detail FROM ${from} WHERE ${where}`
/** True when a derived value sits further than DERIVED_TOLERANCE from what its inputs give. */
export const disagrees = (actual: string, expected: string) =>
  `(abs((${actual}) - (${expected})) > ${DERIVED_TOLERANCE} * greatest(1, abs(${expected})))`
/** Text with nothing in it: NULL, empty or only whitespace (a regex stops at the first letter). */
export const blank = (x: string) => `(${x} IS NULL OR NOT regexp_matches(${x}, '\\S'))`
/** SQL: true when a text leaves a code fence open (an odd number of ```), as the units view has it. */
export const fenceOpen = (x: string) => `(len(string_split(${x}, '\`\`\`')) % 2 = 0)`
/** Text that is only a code fence, with nothing inside (```python and its closing ```). */
export const emptyFence = (x: string) =>
  `regexp_matches(${x}, '\\A\\s*\`\`\`[^\\n]*(\\n\\s*(\`\`\`\\s*)?)?\\z')`
/** A hash of text, NULL for blank text (blank code is its own rule, never a duplicate). */
export const textHash = (x: string) => `(CASE WHEN ${blank(x)} THEN NULL ELSE hash(${x}) END)`
/**
 * Text with all whitespace taken out. A chain of `replace` is the cheapest way the engine has
 * (`translate` builds its map for every row, `regexp_replace` is slower still), and still costs
 * tens of ns a byte: it runs on a short window of every text, and in full only on candidates.
 */
export const stripped = (x: string) =>
  `replace(replace(replace(replace(${x}, chr(13), ''), chr(9), ''), chr(10), ''), ' ', '')`
/** Characters at a text's end read for its whitespace key, and the non-whitespace ones kept. */
const TAIL_WINDOW = 256
const TAIL_KEY = 64
/**
 * A cheap key equal for texts that differ only in whitespace: the hash of their last 64
 * non-whitespace characters (read from the last 256). Texts whose keys agree but whose exact
 * text differs are compared in full.
 */
export const tailKey = (x: string) =>
  `(CASE WHEN ${blank(x)} THEN NULL ELSE hash(right(${stripped(`right(${x}, ${TAIL_WINDOW})`)}, ${TAIL_KEY})) END)`

/**
 * Findings for texts that differ only in whitespace. Candidates are units whose tail keys agree
 * while their exact hashes differ; only their texts, read again from the text view, are stripped
 * of whitespace in full and hashed. The texts stream past a semi-join on the candidates' rows and
 * only their hashes are kept: joining the texts themselves held every candidate's text at once,
 * which ran DuckDB-WASM out of memory at a million rows whose code ends alike.
 *
 * `texts` is SQL giving each unit's `__rl_row`, `__rl_item` and text `x` (`unitTextSql`, not the
 * text view, whose B side may be a window over every unit's code). With `perRow` (a text every
 * unit of a row shares, such as the question of AceCode's 80 completions; `texts` then gives
 * each row's `__rl_row` and `x`), one unit stands for its row and the findings go to every unit
 * of the row: the groups' row and spelling counts are the same, and AceCode at its real size
 * (7M completions, every prompt repeated in the bench data) fits in memory.
 */
export function whitespaceDuplicates(
  from: string,
  texts: string,
  names: { hash: string; tail: string },
  having: string,
  detail: string,
  perRow = false,
): string {
  const { hash, tail } = names
  const matched = `${from} v
        JOIN (SELECT ${tail} AS k FROM ${from} WHERE ${tail} IS NOT NULL GROUP BY 1
               HAVING count(DISTINCT ${hash}) > 1) t ON v.${tail} = t.k`
  const keys = perRow
    ? `SELECT v.${ROW}, min(v.${ITEM}) AS ${ITEM}, any_value(v.${hash}) AS h FROM ${matched} GROUP BY v.${ROW}`
    : `SELECT v.${ROW}, v.${ITEM}, v.${hash} AS h FROM ${matched}`
  const found = `(WITH keys AS (${keys}),
    candidates AS (
      SELECT k.${ROW}, k.${ITEM}, k.h, t.s FROM keys k
        JOIN (SELECT ${ROW}, ${perRow ? '' : `${ITEM}, `}hash(${stripped('x')}) AS s FROM (${texts})
               WHERE ${ROW} IN (SELECT ${ROW} FROM keys)) t
          ON t.${ROW} = k.${ROW}${perRow ? '' : ` AND coalesce(t.${ITEM}, 0) = coalesce(k.${ITEM}, 0)`})
    SELECT c.${ROW}, c.${ITEM}, ${detail} AS detail FROM candidates c
      JOIN (SELECT * FROM (SELECT s, count(*) AS n, count(DISTINCT ${ROW}) AS n_rows,
                                  count(DISTINCT h) AS spellings FROM candidates GROUP BY s)
             WHERE ${having}) g ON c.s = g.s)`
  if (!perRow) return found
  return `(SELECT u.${ROW}, u.${ITEM}, f.detail FROM ${found} f
      JOIN ${from} u ON u.${ROW} = f.${ROW} AND u.${tail} IS NOT NULL)`
}

/** A finding per unit of every group passing `having` over the values table. */
export function groupFindings(
  from: string,
  key: string,
  having: string,
  detail: string,
  extra = '',
): string {
  return `SELECT v.${ROW}, v.${ITEM}, ${detail} AS detail FROM ${from} v
    JOIN (SELECT * FROM (SELECT ${key} AS k, count(*) AS n, count(DISTINCT ${ROW}) AS n_rows${extra}
                           FROM ${from} WHERE ${key} IS NOT NULL GROUP BY 1)
           WHERE ${having}) g ON v.${key} = g.k`
}
