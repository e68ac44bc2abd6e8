import {
  type CodeRole,
  FAMILIES,
  type Family,
  type FieldPath,
  type Profile,
  pathLabel,
  pickField,
  samePath,
} from '../../../shared/profile'
import { useServices } from '../../app/AppContext'
import { useEscapeKey } from '../../app/useEscapeKey'
import { useAppState } from '../../app/store'
import type { LoadedDataset } from '../../data/dataset'
import {
  type FieldInfo,
  findField,
  datasetFields,
  unnestCandidates,
} from '../../data/profile/fields'
import type { ProfileState } from '../../data/profile/session'
import { CodeRoleEditor } from './CodeRoleEditor'
import { FieldSelect } from './FieldSelect'
import { ROLE_SPECS, type RoleSpec } from './roleSpecs'

const ORIGIN_TEXT: Readonly<Record<ProfileState['origin'], string>> = {
  detected: 'Detected from the columns.',
  saved: 'Your roles for this file, saved earlier.',
  edited: 'Edited; saved for this file.',
}

/** Keeps only the paths a profile can still use once its unit of review changes. */
function withUnnest(profile: Profile, unnest: FieldPath | null, dataset: LoadedDataset): Profile {
  const fields = datasetFields(dataset, unnest)
  const keep = (path: FieldPath | null) => (path && findField(fields, path) ? path : null)
  const keepRole = (role: CodeRole | null): CodeRole | null => {
    if (!role || !keep(role.path)) return null
    if (role.fromGroup && pickField(role.fromGroup) && !keep(pickField(role.fromGroup)))
      return { path: role.path, label: role.label }
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

/** The unit of review: each row, or each element of a list column. */
function UnnestSelect({
  profile,
  dataset,
  onChange,
}: {
  readonly profile: Profile
  readonly dataset: LoadedDataset
  readonly onChange: (profile: Profile) => void
}) {
  return (
    <select
      data-role="unnest"
      aria-label="unnest"
      value={profile.unnest ? JSON.stringify(profile.unnest) : ''}
      onChange={(e) =>
        onChange(
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
    </select>
  )
}

/** A checkbox per numeric field: the scores, in the order they were ticked. */
function ScoreChoices({
  scores,
  fields,
  onChange,
}: {
  readonly scores: readonly FieldPath[]
  readonly fields: readonly FieldInfo[]
  readonly onChange: (scores: readonly FieldPath[]) => void
}) {
  const numbers = fields.filter((f) => f.kind === 'number' || f.kind === 'bool')
  return (
    <div className="score-choices" data-role="scores">
      {numbers.length === 0 && <span className="muted small">No numeric columns.</span>}
      {numbers.map((f) => {
        const on = scores.some((p) => samePath(p, f.path))
        return (
          <label key={f.path.join('\0')}>
            <input
              type="checkbox"
              checked={on}
              onChange={() =>
                onChange(on ? scores.filter((p) => !samePath(p, f.path)) : [...scores, f.path])
              }
            />{' '}
            {pathLabel(f.path)}
          </label>
        )
      })}
    </div>
  )
}

/** Languages offered for a whole file; any other can be typed into a profile by hand. */
const FILE_LANGUAGES = [
  'python',
  'cpp',
  'c',
  'java',
  'javascript',
  'typescript',
  'rust',
  'go',
  'csharp',
  'ruby',
  'php',
  'kotlin',
  'swift',
  'scala',
  'sql',
  'bash',
]

/** One language for the whole file, instead of a column and detection. */
function FixedLanguage({
  value,
  onChange,
}: {
  readonly value: string | null
  readonly onChange: (language: string | null) => void
}) {
  const options =
    value && !FILE_LANGUAGES.includes(value) ? [value, ...FILE_LANGUAGES] : FILE_LANGUAGES
  return (
    <select
      data-role="fixed-language"
      aria-label="one language for the file"
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value || null)}
    >
      <option value="">or: from the column / the code</option>
      {options.map((language) => (
        <option key={language} value={language}>
          all {language}
        </option>
      ))}
    </select>
  )
}

/** The control a row of the editor shows for its role. */
function RoleControl({
  spec,
  profile,
  fields,
  dataset,
  onChange,
}: {
  readonly spec: RoleSpec
  readonly profile: Profile
  readonly fields: readonly FieldInfo[]
  readonly dataset: LoadedDataset
  readonly onChange: (profile: Profile) => void
}) {
  switch (spec.control) {
    case 'unnest':
      return <UnnestSelect profile={profile} dataset={dataset} onChange={onChange} />
    case 'field':
      return (
        <>
          <FieldSelect
            role={spec.role}
            value={profile[spec.role]}
            fields={fields}
            kinds={spec.kinds}
            onChange={(path) => onChange({ ...profile, [spec.role]: path })}
          />
          {spec.role === 'language' && (
            <FixedLanguage
              value={profile.fixedLanguage}
              onChange={(fixedLanguage) => onChange({ ...profile, fixedLanguage })}
            />
          )}
        </>
      )
    case 'code':
      return (
        <CodeRoleEditor
          name={spec.role}
          role={profile[spec.role]}
          fields={fields}
          kinds={spec.kinds}
          allowGroup={spec.allowGroup}
          onChange={(role) => onChange({ ...profile, [spec.role]: role })}
        />
      )
    case 'scores':
      return (
        <ScoreChoices
          scores={profile.scores}
          fields={fields}
          onChange={(scores) => onChange({ ...profile, scores })}
        />
      )
  }
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
  if (!state) return null
  return (
    <RolesEditor
      dataset={dataset}
      state={state}
      error={error}
      onChange={(next) => void store.setProfile(next)}
      onClose={onClose}
    />
  )
}

/**
 * The roles of one file's columns (the open file's, or the compared file B's): `onChange` applies
 * a changed profile; `title` names the file when it is not the open one.
 */
export function RolesEditor({
  dataset,
  state,
  error,
  onChange,
  onClose,
  title = 'Roles of the columns',
  testId = 'profile-editor',
}: {
  readonly dataset: LoadedDataset
  readonly state: ProfileState
  readonly error: string | null
  readonly onChange: (profile: Profile) => void
  readonly onClose: () => void
  readonly title?: string
  readonly testId?: string
}) {
  useEscapeKey(onClose)
  const { profile } = state
  const fields = datasetFields(dataset, profile.unnest)
  const update = (patch: Partial<Profile>) => onChange({ ...profile, ...patch })
  return (
    <div className="profile-editor" data-testid={testId} role="dialog" aria-label={title}>
      <div className="profile-editor-head">
        <h2>{title}</h2>
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
          <button type="button" className="button small" onClick={() => onChange(state.detected)}>
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
          {ROLE_SPECS.map((spec) => (
            <tr key={spec.role}>
              <th scope="row">
                {spec.label}
                <span className="role-help">{spec.help}</span>
              </th>
              <td>
                <RoleControl
                  spec={spec}
                  profile={profile}
                  fields={fields}
                  dataset={dataset}
                  onChange={onChange}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
