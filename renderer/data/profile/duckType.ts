/**
 * Reads DuckDB's spelling of a column type (`STRUCT(a BIGINT, "b.c" VARCHAR[])[]`) into a tree,
 * so profiles can offer nested fields as roles.
 */

/** A column type as a tree. */
export type DuckType =
  | { readonly kind: 'scalar'; readonly name: string }
  | { readonly kind: 'list'; readonly element: DuckType }
  | {
      readonly kind: 'struct'
      readonly fields: readonly { readonly name: string; readonly type: DuckType }[]
    }
  | { readonly kind: 'map'; readonly key: DuckType; readonly value: DuckType }

/** Parses a DuckDB type; anything it does not understand becomes a scalar of that name. */
export function parseDuckType(text: string): DuckType {
  try {
    const parser = new TypeParser(text)
    const type = parser.type()
    return parser.atEnd() ? type : { kind: 'scalar', name: text }
  } catch {
    return { kind: 'scalar', name: text }
  }
}

class TypeParser {
  private at = 0
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    this.space()
    return this.at >= this.text.length
  }

  type(): DuckType {
    let type = this.base()
    // Array suffixes: `[]` for lists, `[3]` for fixed-size arrays.
    for (this.space(); this.text[this.at] === '['; this.space()) {
      const close = this.text.indexOf(']', this.at)
      if (close < 0) break
      this.at = close + 1
      type = { kind: 'list', element: type }
    }
    return type
  }

  private base(): DuckType {
    this.space()
    const name = this.word().toUpperCase()
    // Every type starts with a name; anything else is not DuckDB's spelling, and the caller falls back.
    if (name === '') throw new Error(`no type name at ${this.at}`)
    this.space()
    if (name === 'STRUCT' && this.eat('(')) {
      const fields: { name: string; type: DuckType }[] = []
      while (!this.eat(')')) {
        const fieldName = this.identifier()
        if (fieldName === '' || this.at >= this.text.length)
          throw new Error(`no field at ${this.at}`)
        fields.push({ name: fieldName, type: this.type() })
        this.space()
        if (!this.eat(',') && this.text[this.at] !== ')')
          throw new Error(`unexpected text at ${this.at}`)
      }
      return { kind: 'struct', fields }
    }
    if (name === 'MAP' && this.eat('(')) {
      const key = this.type()
      this.space()
      this.eat(',')
      const value = this.type()
      this.space()
      this.eat(')')
      return { kind: 'map', key, value }
    }
    if (this.text[this.at] === '(') {
      // Parameters such as DECIMAL(18,3) or a UNION's members: kept in the scalar's name.
      const start = this.at
      let depth = 0
      do {
        if (this.text[this.at] === '(') depth++
        else if (this.text[this.at] === ')') depth--
        this.at++
      } while (depth > 0 && this.at < this.text.length)
      return { kind: 'scalar', name: name + this.text.slice(start, this.at) }
    }
    // Multi-word names: TIMESTAMP WITH TIME ZONE, DOUBLE PRECISION.
    let full = name
    for (;;) {
      const save = this.at
      this.space()
      const next = this.word()
      if (/^(WITH|WITHOUT|TIME|ZONE|PRECISION|VARYING)$/i.test(next))
        full += ` ${next.toUpperCase()}`
      else {
        this.at = save
        break
      }
    }
    return { kind: 'scalar', name: full }
  }

  private identifier(): string {
    this.space()
    if (this.text[this.at] !== '"') return this.word()
    let out = ''
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text[this.at]!
      if (c === '"') {
        if (this.text[this.at + 1] === '"') {
          out += '"'
          this.at++
        } else {
          this.at++
          break
        }
      } else out += c
    }
    return out
  }

  private word(): string {
    const start = this.at
    while (this.at < this.text.length && /[A-Za-z0-9_]/.test(this.text[this.at]!)) this.at++
    return this.text.slice(start, this.at)
  }

  private eat(char: string): boolean {
    this.space()
    if (this.text[this.at] !== char) return false
    this.at++
    return true
  }

  private space(): void {
    while (this.text[this.at] === ' ') this.at++
  }
}

/** The broad kind of a scalar type name. */
export function scalarKind(name: string): 'number' | 'text' | 'bool' | 'time' | 'other' {
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL|REAL)/.test(
      name,
    )
  ) {
    return 'number'
  }
  if (name === 'VARCHAR' || name === 'JSON' || name === 'UUID') return 'text'
  if (name === 'BOOLEAN') return 'bool'
  if (/^(DATE|TIME|TIMESTAMP|INTERVAL)/.test(name)) return 'time'
  return 'other'
}
