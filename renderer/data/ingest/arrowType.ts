/** The Arrow type of each stored type. */
import { Bool, type DataType, Field, Float64, Int64, List, Struct, Utf8 } from 'apache-arrow'
import type { StoredType } from './schema'

/** The Arrow type of a stored type; every field is nullable. */
export function arrowType(type: StoredType): DataType {
  switch (type.kind) {
    case 'bool':
      return new Bool()
    case 'int':
      return new Int64()
    case 'float':
      return new Float64()
    case 'string':
      return new Utf8()
    case 'list':
      return new List(new Field('item', arrowType(type.element), true))
    case 'struct':
      return new Struct(type.fields.map((f) => new Field(f.name, arrowType(f.type), true)))
  }
}
