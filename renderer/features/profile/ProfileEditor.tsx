import type { ReactNode } from 'react'
import {
  type CodeRole,
  FAMILIES,
  type Family,
  type FieldPath,
  type Profile,
  pathLabel,
  samePath,
} from '../../../shared/profile'
import { useServices } from '../../app/AppContext'
import { useEscapeKey } from '../../app/useEscapeKey'
import { useAppState } from '../../app/store'
import type { ColumnKind, LoadedDataset } from '../../data/dataset'
import { type FieldInfo, findField, listFields, unnestCandidates } from '../../data/profile/fields'
import type { ProfileState } from '../../data/profile/session'

const TEXT: readonly ColumnKind[] = ['text']
const NUMBER: readonly ColumnKind[] = ['number']
const SCALAR: readonly ColumnKind[] = ['text', 'number', 'bool', 'time']
const TESTS: readonly ColumnKind[] = ['text', 'list']
const STRUCT: readonly ColumnKind[] = ['struct']

const ORIGIN_TEXT: Readonly<Record<ProfileState['origin'], string>> = {
  detected: 'Detected from the columns.',
  saved: 'Your roles for this file, saved earlier.',
  edited: 'Edited; saved for this file.',
}

/** Keeps only the paths a profile can still use once its unit of review changes. */
function withUnnest(profile: Profile, unnest: FieldPath | null, dataset: LoadedDataset): Profile {
  const fields = listFields(dataset.columns, unnest)
  const keep = (path: FieldPath | null) => (path && findField(fields, path) ? path : null)
  const keepRole = (role: CodeRole | null): CodeRole | null => {
    if (!role || !keep(role.path)) return null
    if (role.fromGroup && !keep(role.fromGroup.by)) return { path: role.path, label: role.label }
    return role
  }
  return {
    ...profile,
    unnest,
    prompt: keep(profile.prompt),
    language: keep(profile.language),
    codeA: keepRole(profile.codeA),
    codeB: keepRole(profile.codeB),
    scores: profile.scores.filter((p) => keep(p) !== null),
    reward: keep(profile.reward),
    group: keep(profile.group),
    tests: keep(profile.tests),
    model: keep(profile.model),
    breakdown: keep(profile.breakdown),
  }
}

function FieldSelect({
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
  const options = fields.filter((f) => kinds.includes(f.kind))
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

/**
 * The label after the column changes: a label the person wrote stays; one that was just the old
 * column's name follows the new column.
 */
function nextLabel(role: CodeRole | null, path: FieldPath, name: string): string {
  const fallback = path.at(-1) ?? name
  if (!role || role.label === '' || role.label === role.path.at(-1)) return fallback
  return role.label
}

function CodeRoleEditor({
  role,
  name,
  fields,
  allowGroup,
  onChange,
}: {
  readonly role: CodeRole | null
  readonly name: 'codeA' | 'codeB'
  readonly fields: readonly FieldInfo[]
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
        kinds={TEXT}
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
          value={from ? `${from.pick}:${JSON.stringify(from.by)}` : ''}
          onChange={(e) => {
            const v = e.target.value
            if (!v) return onChange({ path: role.path, label: role.label })
            const [pick, by] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)]
            onChange({
              ...role,
              fromGroup: { pick: pick as 'best' | 'worst', by: JSON.parse(by) as FieldPath },
            })
          }}
        >
          <option value="">from this unit</option>
          {numbers.flatMap((f) =>
            (['best', 'worst'] as const).map((pick) => (
              <option
                key={`${pick}${JSON.stringify(f.path)}`}
                value={`${pick}:${JSON.stringify(f.path)}`}
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

/** Every role and the column behind it; any of them can be changed, and the choice is kept per file. */
export function ProfileEditor({
  dataset,
  onClose,
}: {
  readonly dataset: LoadedDataset
  readonly onClose: () => void
}) {
  const { store } = useServices()
  const state = useAppState(store, (s) => s.profile)
  const error = useAppState(store, (s) => s.profileError)
  useEscapeKey(onClose)
  if (!state) return null
  const { profile } = state
  const fields = listFields(dataset.columns, profile.unnest)
  const update = (patch: Partial<Profile>) => void store.setProfile({ ...profile, ...patch })
  const numbers = fields.filter((f) => f.kind === 'number')
  const rows: readonly [string, string, ReactNode][] = [
    [
      'Unit of review',
      'What one reviewed item is: a row, or each element of a list column.',
      <select
        key="unnest"
        data-role="unnest"
        aria-label="unnest"
        value={profile.unnest ? JSON.stringify(profile.unnest) : ''}
        onChange={(e) =>
          void store.setProfile(
            withUnnest(
              profile,
              e.target.value ? (JSON.parse(e.target.value) as FieldPath) : null,
              dataset,
            ),
          )
        }
      >
        <option value="">each row</option>
        {unnestCandidates(dataset.columns).map((path) => (
          <option key={path.join('\0')} value={JSON.stringify(path)}>
            each element of {pathLabel(path)}
          </option>
        ))}
      </select>,
    ],
    [
      'Prompt',
      'The task the code answers.',
      <FieldSelect
        key="p"
        role="prompt"
        value={profile.prompt}
        fields={fields}
        kinds={TEXT}
        onChange={(prompt) => update({ prompt })}
      />,
    ],
    [
      'Language',
      'Its label is folded (c++ → cpp); without one, fences and the code tell.',
      <FieldSelect
        key="l"
        role="language"
        value={profile.language}
        fields={fields}
        kinds={TEXT}
        onChange={(language) => update({ language })}
      />,
    ],
    [
      'Code A',
      'One side of the comparison, with what it is called.',
      <CodeRoleEditor
        key="a"
        name="codeA"
        role={profile.codeA}
        fields={fields}
        allowGroup={false}
        onChange={(codeA) => update({ codeA })}
      />,
    ],
    [
      'Code B',
      'The other side: a column, or the best or worst unit of the same group.',
      <CodeRoleEditor
        key="b"
        name="codeB"
        role={profile.codeB}
        fields={fields}
        allowGroup
        onChange={(codeB) => update({ codeB })}
      />,
    ],
    [
      'Scores',
      'Numeric columns shown and charted as scores.',
      <div key="s" className="score-choices" data-role="scores">
        {numbers.length === 0 && <span className="muted small">No numeric columns.</span>}
        {numbers.map((f) => {
          const on = profile.scores.some((p) => samePath(p, f.path))
          return (
            <label key={f.path.join('\0')}>
              <input
                type="checkbox"
                checked={on}
                onChange={() =>
                  update({
                    scores: on
                      ? profile.scores.filter((p) => !samePath(p, f.path))
                      : [...profile.scores, f.path],
                  })
                }
              />{' '}
              {pathLabel(f.path)}
            </label>
          )
        })}
      </div>,
    ],
    [
      'Reward',
      'The number the dataset trains on.',
      <FieldSelect
        key="r"
        role="reward"
        value={profile.reward}
        fields={fields}
        kinds={NUMBER}
        onChange={(reward) => update({ reward })}
      />,
    ],
    [
      'Group',
      'Units sharing this value belong together (one prompt, one question).',
      <FieldSelect
        key="g"
        role="group"
        value={profile.group}
        fields={fields}
        kinds={SCALAR}
        onChange={(group) => update({ group })}
      />,
    ],
    [
      'Tests',
      'The tests the code is judged by.',
      <FieldSelect
        key="t"
        role="tests"
        value={profile.tests}
        fields={fields}
        kinds={TESTS}
        onChange={(tests) => update({ tests })}
      />,
    ],
    [
      'Breakdown',
      'A struct of numbers explaining a score, shown field by field.',
      <FieldSelect
        key="d"
        role="breakdown"
        value={profile.breakdown}
        fields={fields}
        kinds={STRUCT}
        onChange={(breakdown) => update({ breakdown })}
      />,
    ],
    [
      'Model',
      'Who wrote the code.',
      <FieldSelect
        key="m"
        role="model"
        value={profile.model}
        fields={fields}
        kinds={TEXT}
        onChange={(model) => update({ model })}
      />,
    ],
  ]
  return (
    <div className="profile-editor" data-testid="profile-editor" role="dialog" aria-label="Profile">
      <div className="profile-editor-head">
        <h2>Roles of the columns</h2>
        <button type="button" className="button ghost small" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="profile-family-row">
        <label>
          Family{' '}
          <select
            data-role="family"
            aria-label="family"
            value={profile.family}
            onChange={(e) => update({ family: e.target.value as Family })}
          >
            {FAMILIES.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small" data-testid="profile-origin">
          {ORIGIN_TEXT[state.origin]}
        </span>
        {state.origin !== 'detected' && (
          <button
            type="button"
            className="button small"
            onClick={() => void store.setProfile(state.detected)}
          >
            Reset to detected
          </button>
        )}
      </div>
      {state.notice && <p className="notice small">{state.notice}</p>}
      {error && (
        <p className="error-text small" data-testid="profile-error">
          {error}
        </p>
      )}
      <table className="roles">
        <tbody>
          {rows.map(([name, help, control]) => (
            <tr key={name}>
              <th scope="row">
                {name}
                <span className="role-help">{help}</span>
              </th>
              <td>{control}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
