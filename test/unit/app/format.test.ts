import { describe, expect, it } from 'vitest'
import { formatShort, typeLabel } from '../../../renderer/app/format'

describe('formatShort', () => {
  it('prints a raw float to 3 significant digits', () => {
    expect(formatShort(3.274653849293221)).toBe('3.27')
    expect(formatShort(0.07317073170731707)).toBe('0.0732')
    expect(formatShort(0.5)).toBe('0.5')
  })

  it('keeps whole numbers below ten thousand and shortens larger ones', () => {
    expect(formatShort(750)).toBe('750')
    expect(formatShort(6929)).toBe('6930')
    expect(formatShort(123456)).toBe('123K')
    expect(formatShort(-0)).toBe('0')
  })
})

describe('typeLabel', () => {
  const label = (type: string, kind: string) => typeLabel({ type, kind })

  it('names a column by one word of one vocabulary, however DuckDB spells its type', () => {
    expect(label('BIGINT', 'number')).toBe('int')
    expect(label('DOUBLE', 'number')).toBe('float')
    expect(label('DECIMAL(18,3)', 'number')).toBe('decimal')
    expect(label('VARCHAR', 'text')).toBe('text')
    expect(label('STRUCT(task_id BIGINT)', 'struct')).toBe('struct')
    expect(label('STRUCT(a DOUBLE, b VARCHAR)[]', 'list')).toBe('list')
    expect(label('BLOB', 'other')).toBe('blob')
  })
})
