import { useState } from 'react'
import { useServices } from '../../app/AppContext'
import { formatCount, formatNumber } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import type { NearDupKind } from '../../data/neardup/core'
import {
  type GroupMember,
  MEMBERS_SHOWN,
  type NearDupUnit,
  type UnitNearDup,
  groupMembersQuery,
  nearDupOfRowQuery,
  parseGroupMembers,
  parseNearDupUnits,
} from '../../data/neardup/queries'
import type { ProfileState } from '../../data/profile/session'
import { readQuery } from '../../data/sql'
import { CodeDiff } from '../diff/CodeDiff'
import { useUnits } from '../detail/useUnits'
import './neardup.css'

/** Units of a row whose near-duplicates are listed at most (a row of 80 completions has many). */
const UNITS_SHOWN = 5

const KIND_LABEL: Record<NearDupKind, string> = { prompt: 'Prompt', code: 'Code' }

/**
 * The selected row's near-duplicates (`near-dup-section`): for its prompt and its code, the group
 * they are in with each member's similarity, one click to open a member or diff its code; and the
 * reference row it matches, with that row's text.
 */
export function NearDupSection({
  state,
  rowId,
}: {
  readonly state: ProfileState
  readonly rowId: number
}) {
  const { store } = useServices()
  const found = useAppState(store, (s) => s.nearDup?.summary ?? null)
  const read = useEngineQuery(
    found
      ? readQuery(nearDupOfRowQuery(state.relations, rowId), (rows) => ({
          rowId,
          units: parseNearDupUnits(rows),
        }))
      : null,
  )
  // The row's last answer stays while it is read again (a table changed): no flicker.
  const units = (read.value?.rowId === rowId ? read.value.units : []).filter(
    (u) => u.prompt.group !== null || u.code.group !== null || hasMatch(u),
  )
  if (!found || units.length === 0) return null
  return (
    <section className="near-dup-section" data-testid="near-dup-section">
      <h3 className="fields-title">Near-duplicates</h3>
      {units.slice(0, UNITS_SHOWN).map((unit, index) => (
        <div key={unit.item ?? 0}>
          {unit.item !== null && <p className="muted small">#{unit.item}</p>}
          {/* The row's prompt once: the units of a row share it (AceCode's completions). */}
          {(index === 0 ? (['prompt', 'code'] as const) : (['code'] as const)).map((kind) => (
            <KindView key={kind} state={state} rowId={rowId} unit={unit} kind={kind} />
          ))}
        </div>
      ))}
      {units.length > UNITS_SHOWN && (
        <p className="muted small">
          and {formatCount(units.length - UNITS_SHOWN)} more units of this row with near-duplicates
        </p>
      )}
    </section>
  )
}

function hasMatch(unit: NearDupUnit): boolean {
  return unit.prompt.refRow !== null || unit.code.refRow !== null
}

function KindView({
  state,
  rowId,
  unit,
  kind,
}: {
  readonly state: ProfileState
  readonly rowId: number
  readonly unit: NearDupUnit
  readonly kind: NearDupKind
}) {
  const info: UnitNearDup = unit[kind]
  return (
    <>
      {info.group !== null && (
        <Group state={state} rowId={rowId} item={unit.item} info={info} kind={kind} />
      )}
      {info.refRow !== null && (
        <details className="near-dup-ref" data-testid={`near-dup-ref-${kind}`}>
          <summary className="small">
            <strong>In the reference set:</strong> {KIND_LABEL[kind].toLowerCase()} matches
            reference row {formatCount(info.refRow + 1)} (similarity {(info.refSim ?? 0).toFixed(2)}
            )
          </summary>
          <pre className="near-dup-ref-text">{info.refText}</pre>
        </details>
      )}
    </>
  )
}

function Group({
  state,
  rowId,
  item,
  info,
  kind,
}: {
  readonly state: ProfileState
  readonly rowId: number
  readonly item: number | null
  readonly info: UnitNearDup
  readonly kind: NearDupKind
}) {
  const { store } = useServices()
  const [diffWith, setDiffWith] = useState<GroupMember | null>(null)
  const read = useEngineQuery(
    readQuery(groupMembersQuery(state.relations, kind, info.group!, rowId), parseGroupMembers),
  )
  const members = (read.value ?? []).filter((m) => !(m.row === rowId && m.item === item))
  const similarity = (m: GroupMember) =>
    info.id === null ? null : store.nearDupSimilarity(kind, info.id, m.id)
  return (
    <div data-testid={`near-dup-group-${kind}`}>
      <p className="small">
        <strong>{KIND_LABEL[kind]}</strong>: near-duplicate group {info.group} ·{' '}
        {formatCount(info.size ?? 0)} {kind === 'prompt' ? 'rows' : 'units'}
      </p>
      <ul>
        {members.slice(0, MEMBERS_SHOWN).map((m) => {
          const sim = similarity(m)
          return (
            <li key={`${m.row}:${m.item ?? 0}`} className="near-dup-member" data-row={m.row}>
              <span className="sim" title="Estimated Jaccard similarity to this row's text">
                {sim === null ? '' : sim.toFixed(2)}
              </span>
              <span>
                row {formatCount(m.row + 1)}
                {m.item !== null ? ` #${m.item}` : ''}
              </span>
              {m.reward !== null && <span className="muted">reward {formatNumber(m.reward)}</span>}
              <button
                type="button"
                className="button link small"
                data-testid="near-dup-open"
                onClick={() => store.select(m.row)}
              >
                Open
              </button>
              {state.profile.codeA && (
                <button
                  type="button"
                  className="button link small"
                  data-testid="near-dup-diff"
                  aria-pressed={diffWith === m}
                  onClick={() => setDiffWith(diffWith === m ? null : m)}
                >
                  Diff
                </button>
              )}
            </li>
          )
        })}
      </ul>
      {members.length > MEMBERS_SHOWN && (
        <p className="muted small">the first {MEMBERS_SHOWN} members are listed</p>
      )}
      {diffWith && <MemberDiff state={state} rowId={rowId} item={item} other={diffWith} />}
    </div>
  )
}

/** This unit's code beside a group member's. */
function MemberDiff({
  state,
  rowId,
  item,
  other,
}: {
  readonly state: ProfileState
  readonly rowId: number
  readonly item: number | null
  readonly other: GroupMember
}) {
  const mine = useUnits(state, rowId)?.find((u) => u.item === item)
  const theirs = useUnits(state, other.row)?.find((u) => u.item === other.item)
  if (!mine || !theirs) return <p className="muted small">Loading…</p>
  const side = (label: string, unit: typeof mine) => ({
    label,
    code: unit.codeA.code,
    raw: unit.codeA.raw,
    facts: unit.reward !== null ? `reward ${formatNumber(unit.reward)}` : undefined,
  })
  return (
    <CodeDiff
      testId="near-dup-code-diff"
      a={side('this row', mine)}
      b={side(
        `row ${formatCount(other.row + 1)}${other.item !== null ? ` #${other.item}` : ''}`,
        theirs,
      )}
      language={mine.language}
    />
  )
}
