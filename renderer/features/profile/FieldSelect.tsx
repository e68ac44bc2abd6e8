import { type FieldPath, pathLabel, samePath } from '../../../shared/profile'
import type { ColumnKind } from '../../data/dataset'
import { type FieldInfo, fieldFits } from '../../data/profile/fields'

/** A role's field, picked from the fields of the kinds the role may take (or none). */
export function FieldSelect({
  role,
  value,
  fields,
  kinds,
  onChange,
  allowNone = true,
}: {
  readonly role: string
  readonly value: FieldPath | null
  readonly fields: readonly FieldInfo[]
  readonly kinds: readonly ColumnKind[]
  readonly onChange: (path: FieldPath | null) => void
  readonly allowNone?: boolean
}) {
  const options = fields.filter((f) => fieldFits(f, kinds))
  // A role set to a field of another kind (edited by hand, or an old profile) still shows.
  const current = value && !options.some((f) => samePath(f.path, value)) ? [value] : []
  return (
    <select
      data-role={role}
      aria-label={role}
      value={value ? JSON.stringify(value) : ''}
      onChange={(e) => onChange(e.target.value ? (JSON.parse(e.target.value) as FieldPath) : null)}
    >
      {allowNone && <option value="">— none —</option>}
      {[...current, ...options.map((f) => f.path)].map((path) => (
        <option key={JSON.stringify(path)} value={JSON.stringify(path)}>
          {pathLabel(path)}
        </option>
      ))}
    </select>
  )
}
