import { useState } from 'react'
import { type Profile, pathLabel, samePath } from '../../../shared/profile'
import type { CompareKey, FieldPair, KeyChoice } from '../../data/compare/key'
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
  const first = (): FieldPair | null =>
    fieldsA[0] && fieldsB[0] ? { a: fieldsA[0].path, b: fieldsB[0].path } : null
  const [picks, setPicks] = useState<readonly FieldPair[]>(
    current?.kind === 'fields' ? current.pairs : [first()].filter((p) => p !== null),
  )
  const setPick = (index: number, pick: Partial<FieldPair>) =>
    setPicks(picks.map((p, i) => (i === index ? { ...p, ...pick } : p)))
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
          {picks.map((pick, i) => (
            <span key={i} className="compare-key-pair" data-testid="compare-key-pair">
              {i > 0 && 'and '}A{' '}
              <FieldPick
                fields={fieldsA.map((f) => f.path)}
                value={pick.a}
                onChange={(a) => setPick(i, { a })}
                side="a"
              />{' '}
              = B{' '}
              <FieldPick
                fields={fieldsB.map((f) => f.path)}
                value={pick.b}
                onChange={(b) => setPick(i, { b })}
                side="b"
              />
              {picks.length > 1 && (
                <button
                  type="button"
                  className="button link small"
                  aria-label="Remove this pair of fields"
                  onClick={() => setPicks(picks.filter((_, k) => k !== i))}
                >
                  ×
                </button>
              )}
            </span>
          ))}
          <button
            type="button"
            className="button link small"
            data-testid="compare-key-add"
            title="Join on several fields at once: every one must agree (challenge and model)"
            onClick={() => {
              const next = first()
              if (next) setPicks([...picks, next])
            }}
          >
            + field
          </button>
          <button
            type="button"
            className="button small"
            data-testid="compare-key-apply"
            disabled={picks.length === 0}
            onClick={() => picks.length > 0 && onChange({ kind: 'fields', pairs: picks })}
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
  readonly value: readonly string[]
  readonly onChange: (path: readonly string[]) => void
  readonly side: 'a' | 'b'
}) {
  return (
    <select
      data-testid={`compare-key-field-${side}`}
      aria-label={`Field of ${side.toUpperCase()}`}
      value={JSON.stringify(value)}
      onChange={(e) => onChange(JSON.parse(e.target.value) as string[])}
    >
      {fields.map((path) => (
        <option key={JSON.stringify(path)} value={JSON.stringify(path)}>
          {pathLabel(path)}
        </option>
      ))}
      {!fields.some((p) => samePath(p, value)) && (
        <option value={JSON.stringify(value)}>{pathLabel(value)}</option>
      )}
    </select>
  )
}
