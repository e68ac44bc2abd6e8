/**
 * The engine relations of one open dataset: its table and everything RewardLens derives from it
 * (the units view and table, the text view, the reward checks' findings, the flagged rows). One
 * object names them all, so no query spells a name of its own and closing a dataset drops exactly
 * what this lists. A second dataset (compare) gets an object of its own.
 */

/** The names of a dataset table's relations. */
export interface RelationNames {
  /** The dataset table, as loaded. */
  readonly table: string
  /** The units view: one row per unit of review, every role a column (code extracted, long text). */
  readonly units: string
  /** The units table: the view's short columns, computed once per profile; filters read it. */
  readonly unitTable: string
  /** The text view: each unit's prompt and both sides' raw text, for search. */
  readonly unitText: string
  /** The reward checks' findings: a row per unit and rule it trips. */
  readonly qa: string
  /** The flagged rows and their notes, kept in step with the sidecar. */
  readonly flags: string
  /** Parse facts of the dataset's answers, by a hash of (language, text, tests). */
  readonly parse: string
  /** The pairs of a comparison with a second file (renderer/data/compare/), when one is open. */
  readonly compare: string
  /**
   * Each unit's near-duplicate groups and its matches in a reference set (renderer/data/neardup/),
   * once found.
   */
  readonly nearDup: string
}

/** The relations of a dataset table under one build of its units (one profile). */
export interface Relations extends RelationNames {
  /**
   * Which build of the units this is: it changes whenever the units are rebuilt under the same
   * names (a profile change), so a view keyed by its SQL text reads again.
   */
  readonly version: number
  /**
   * SQL conditions the units table can answer (every column they name is in it); a condition not
   * listed is read from the units view, which has every column. Filled by `checkWhere`.
   */
  readonly conditionsOnTable: Set<string>
}

let builds = 0

/** The names of the relations of a dataset table. */
export function relationNames(table: string): RelationNames {
  return {
    table,
    units: `${table}_units`,
    unitTable: `${table}_unit_table`,
    unitText: `${table}_unit_text`,
    qa: `${table}_qa`,
    flags: `${table}_flags`,
    parse: `${table}_parse`,
    compare: `${table}_compare`,
    nearDup: `${table}_neardup`,
  }
}

/** The relations of a dataset table as a new build of its units (no condition known yet). */
export function newRelations(table: string): Relations {
  builds += 1
  return { ...relationNames(table), version: builds, conditionsOnTable: new Set() }
}

/** The relations derived from a dataset table, views first, in the order they can be dropped. */
export function derivedRelations(
  relations: RelationNames,
): readonly { readonly name: string; readonly kind: 'VIEW' | 'TABLE' }[] {
  return [
    { name: relations.units, kind: 'VIEW' },
    { name: relations.unitText, kind: 'VIEW' },
    { name: relations.unitTable, kind: 'TABLE' },
    { name: relations.qa, kind: 'TABLE' },
    { name: relations.flags, kind: 'TABLE' },
    { name: relations.parse, kind: 'TABLE' },
    { name: relations.compare, kind: 'TABLE' },
    { name: relations.nearDup, kind: 'TABLE' },
    ...[
      ...new Set(
        (['prompt', 'code'] as const).flatMap((kind) =>
          Object.values(nearDupWork(relations.table, kind)),
        ),
      ),
    ].map((name) => ({ name, kind: 'TABLE' as const })),
  ]
}

/** The work tables a near-duplicate run keeps for one kind of text (renderer/data/neardup/). */
export function nearDupWork(table: string, kind: 'prompt' | 'code') {
  return {
    /** A row per unit (or per row, for a prompt of the row): the hash of its text. */
    units: `${table}_nd_${kind}_units`,
    /** A row per distinct text: its id (0-based), hash, text and language. */
    texts: `${table}_nd_${kind}_texts`,
    /** A row per grouped text: its group's first text and its similarity to it. */
    groups: `${table}_nd_${kind}_groups`,
    /** A row per text matched in a reference set: the reference row and the similarity. */
    ref: `${table}_nd_${kind}_ref`,
    /** The matches of a reference set, staged on their way into `ref`. */
    hits: `${table}_nd_${kind}_hits`,
    /** The near-duplicate table, staged before its groups are numbered (one for both kinds). */
    staged: `${table}_nd_staged`,
  }
}

/**
 * Where the queries of a filter read units: the units table, unless the filter's SQL condition
 * names a column only the view has (code, long text).
 */
export function unitsFrom(relations: Relations, where: string): string {
  const condition = where.trim()
  return condition === '' || relations.conditionsOnTable.has(condition)
    ? relations.unitTable
    : relations.units
}
