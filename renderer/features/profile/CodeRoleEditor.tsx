import { type CodeRole, type FieldPath, type GroupPick, pathLabel } from '../../../shared/profile'
import type { ColumnKind } from '../../data/dataset'
import type { FieldInfo } from '../../data/profile/fields'
import { FieldSelect } from './FieldSelect'

/**
 * The label after the column changes: a label the person wrote stays; one that was just the old
 * column's name follows the new column.
 */
function nextLabel(role: CodeRole | null, path: FieldPath, name: string): string {
  const fallback = path.at(-1) ?? name
  if (!role || role.label === '' || role.label === role.path.at(-1)) return fallback
  return role.label
}

/** A side of code: its field, its label, and (for B) whether it comes from the group. */
export function CodeRoleEditor({
  role,
  name,
  fields,
  kinds,
  allowGroup,
  onChange,
}: {
  readonly role: CodeRole | null
  readonly name: 'codeA' | 'codeB'
  readonly fields: readonly FieldInfo[]
  readonly kinds: readonly ColumnKind[]
  readonly allowGroup: boolean
  readonly onChange: (role: CodeRole | null) => void
}) {
  const from = role?.fromGroup
  const numbers = fields.filter((f) => f.kind === 'number')
  return (
    <div className="code-role">
      <FieldSelect
        role={name}
        value={role?.path ?? null}
        fields={fields}
        kinds={kinds}
        onChange={(path) =>
          onChange(path ? { ...(role ?? {}), path, label: nextLabel(role, path, name) } : null)
        }
      />
      {role && (
        <input
          type="text"
          aria-label={`${name} label`}
          data-role={`${name}-label`}
          value={role.label}
          placeholder="label"
          onChange={(e) => onChange({ ...role, label: e.target.value })}
        />
      )}
      {role && allowGroup && (
        <select
          aria-label={`${name} source`}
          data-role={`${name}-from`}
          value={from ? pickValue(from) : ''}
          onChange={(e) => {
            const v = e.target.value
            if (!v) return onChange({ path: role.path, label: role.label })
            const [pick, by] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)]
            onChange({
              ...role,
              fromGroup:
                pick === 'first'
                  ? { pick: 'first' }
                  : { pick: pick as 'best' | 'worst' | 'at', by: JSON.parse(by) as FieldPath },
            })
          }}
        >
          <option value="">from this unit</option>
          <option value="first:">the first other unit of its group</option>
          {numbers.map((f) => (
            <option
              key={`at${JSON.stringify(f.path)}`}
              value={pickValue({ pick: 'at', by: f.path })}
            >
              the unit {pathLabel(f.path)} points at (0 = first)
            </option>
          ))}
          {numbers.flatMap((f) =>
            (['best', 'worst'] as const).map((pick) => (
              <option
                key={`${pick}${JSON.stringify(f.path)}`}
                value={pickValue({ pick, by: f.path })}
              >
                {pick} of its group by {pathLabel(f.path)}
              </option>
            )),
          )}
        </select>
      )}
    </div>
  )
}

/** A pick as the value of its option. */
function pickValue(from: GroupPick): string {
  return from.pick === 'first' ? 'first:' : `${from.pick}:${JSON.stringify(from.by)}`
}
