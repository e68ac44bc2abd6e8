import { useState } from 'react'
import { type Profile, pathLabel, samePath } from '../../../shared/profile'
import type { CompareKey, KeyChoice } from '../../data/compare/key'
import { fieldsKey, keyLabel, keySql, sameKey } from '../../data/compare/key'
import type { LoadedDataset } from '../../data/dataset'
import { datasetFields, fieldFits } from '../../data/profile/fields'

interface Side {
  readonly dataset: LoadedDataset
  readonly profile: Profile
}

const KEY_KINDS = ['number', 'text', 'time', 'bool'] as const

/**
 * "Join on": a column both files share, the normalised prompt, the prompt with code A, or a field
 * of each file picked separately (their names may differ: `metadata.model` in A, `model` in B).
 */
export function KeyEditor({
  a,
  b,
  choice,
  current,
  onChange,
}: {
  readonly a: Side
  readonly b: Side
  readonly choice: KeyChoice
  readonly current: CompareKey | null
  readonly onChange: (key: CompareKey) => void
}) {
  const options: CompareKey[] = [
    ...choice.sharedColumns.map(fieldsKey),
    ...(['prompt', 'prompt-code'] as const)
      .map((kind): CompareKey => ({ kind }))
      .filter(
        (key) => keySql(key, a.profile, 'a') !== null && keySql(key, b.profile, 'b') !== null,
      ),
  ]
  const listed = current !== null && options.some((k) => sameKey(k, current))
  const [picking, setPicking] = useState(current !== null && !listed)
  const fieldsA = datasetFields(a.dataset, a.profile.unnest).filter((f) => fieldFits(f, KEY_KINDS))
  const fieldsB = datasetFields(b.dataset, b.profile.unnest).filter((f) => fieldFits(f, KEY_KINDS))
  const pair = current?.kind === 'fields' ? current : null
  const [pickA, setPickA] = useState(pair?.a ?? fieldsA[0]?.path ?? null)
  const [pickB, setPickB] = useState(pair?.b ?? fieldsB[0]?.path ?? null)
  const value = picking ? 'pick' : listed ? options.findIndex((k) => sameKey(k, current)) : ''

  return (
    <span className="compare-key">
      <label className="small">
        Join on{' '}
        <select
          data-testid="compare-key"
          value={value}
          onChange={(e) => {
            if (e.target.value === 'pick') {
              setPicking(true)
              return
            }
            setPicking(false)
            const key = options[Number(e.target.value)]
            if (key) onChange(key)
          }}
        >
          {value === '' && <option value="">— choose —</option>}
          {options.map((key, i) => (
            <option key={keyLabel(key)} value={i}>
              {keyLabel(key)}
            </option>
          ))}
          <option value="pick">a field of each file…</option>
        </select>
      </label>
      {picking && (
        <span className="compare-key-fields small">
          A{' '}
          <FieldPick
            fields={fieldsA.map((f) => f.path)}
            value={pickA}
            onChange={setPickA}
            side="a"
          />{' '}
          = B{' '}
          <FieldPick
            fields={fieldsB.map((f) => f.path)}
            value={pickB}
            onChange={setPickB}
            side="b"
          />
          <button
            type="button"
            className="button small"
            data-testid="compare-key-apply"
            disabled={!pickA || !pickB}
            onClick={() => pickA && pickB && onChange({ kind: 'fields', a: pickA, b: pickB })}
          >
            Join
          </button>
        </span>
      )}
    </span>
  )
}

function FieldPick({
  fields,
  value,
  onChange,
  side,
}: {
  readonly fields: readonly (readonly string[])[]
  readonly value: readonly string[] | null
  readonly onChange: (path: readonly string[]) => void
  readonly side: 'a' | 'b'
}) {
  return (
    <select
      data-testid={`compare-key-field-${side}`}
      aria-label={`Field of ${side.toUpperCase()}`}
      value={value ? JSON.stringify(value) : ''}
      onChange={(e) => onChange(JSON.parse(e.target.value) as string[])}
    >
      {fields.map((path) => (
        <option key={JSON.stringify(path)} value={JSON.stringify(path)}>
          {pathLabel(path)}
        </option>
      ))}
      {value && !fields.some((p) => samePath(p, value)) && (
        <option value={JSON.stringify(value)}>{pathLabel(value)}</option>
      )}
    </select>
  )
}
