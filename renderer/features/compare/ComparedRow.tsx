/**
 * The selected row as the second file has it: its pair's key, A's code against B's for the same
 * prompt, and every field of both side by side (the fields that differ marked).
 */
import { useServices } from '../../app/AppContext'
import { formatCount, formatNumber } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { type UnitPair, pairsOfRowQuery, parsePairs } from '../../data/compare/queries'
import type { LoadedDataset } from '../../data/dataset'
import type { ReviewUnit } from '../../data/profile/review'
import type { ProfileState } from '../../data/profile/session'
import { parseRow, rowQuery } from '../../data/rows'
import { readQuery } from '../../data/sql'
import type { Row } from '../../data/values'
import { CodeDiff } from '../diff/CodeDiff'
import { useUnits } from '../detail/useUnits'
import { ValueView } from '../detail/ValueView'

/** One side's units of a row, with every role. */
function useRow(dataset: LoadedDataset | null, row: number | null): Row | null {
  const read = useEngineQuery(
    dataset && row !== null ? readQuery(rowQuery(dataset, row), parseRow) : null,
  )
  return read.current ? (read.value ?? null) : null
}

/** The comparison's view of the selected row; nothing when not comparing. */
export function ComparedRow({
  dataset,
  rowId,
}: {
  readonly dataset: LoadedDataset
  readonly rowId: number
}) {
  const { store } = useServices()
  const compare = useAppState(store, (s) => s.compare)
  const profile = useAppState(store, (s) => s.profile)
  const build = compare?.build ?? null
  const pairs = useEngineQuery(
    build ? readQuery(pairsOfRowQuery(build.table, rowId), parsePairs) : null,
  ).value
  if (!compare?.b || !build || compare.building) return null
  const pair: UnitPair | undefined = pairs?.find((p) => p.bRow !== null) ?? pairs?.[0]
  return (
    <section className="compared-row" data-testid="compared-row">
      <h3>
        In B <span className="muted small">({compare.source.name})</span>
      </h3>
      {pairs && (!pair || pair.bRow === null) && (
        <p className="muted small" data-testid="compared-row-none">
          Only in A: B has no row with this key.
        </p>
      )}
      {pair && pair.bRow !== null && (
        <PairView
          dataset={dataset}
          aState={profile}
          aRow={rowId}
          pair={pair}
          bDataset={compare.b.dataset}
          bState={compare.b.profile}
          others={(pairs ?? []).filter((p) => p.bRow !== null).length - 1}
        />
      )}
    </section>
  )
}

function PairView({
  dataset,
  aState,
  aRow,
  pair,
  bDataset,
  bState,
  others,
}: {
  readonly dataset: LoadedDataset
  readonly aState: ProfileState | null
  readonly aRow: number
  readonly pair: UnitPair
  readonly bDataset: LoadedDataset
  readonly bState: ProfileState
  readonly others: number
}) {
  const unitsA = useUnits(aState, aRow)
  const unitsB = useUnits(bState, pair.bRow)
  const rowA = useRow(dataset, aRow)
  const rowB = useRow(bDataset, pair.bRow)
  const unitA = unitsA?.find((u) => u.item === pair.aItem) ?? unitsA?.[0]
  const unitB = unitsB?.find((u) => u.item === pair.bItem) ?? unitsB?.[0]
  const side = (label: string, unit: ReviewUnit | undefined) => ({
    label,
    code: unit?.codeA.code ?? null,
    raw: unit?.codeA.raw ?? null,
    facts:
      unit?.reward !== null && unit?.reward !== undefined
        ? `reward ${formatNumber(unit.reward)}`
        : undefined,
  })
  const names = [...new Set([...dataset.columns, ...bDataset.columns].map((c) => c.name))]
  return (
    <>
      <p className="muted small" data-testid="compared-row-pair">
        B row {formatCount(pair.bRow! + 1)}
        {pair.bItem !== null ? ` #${pair.bItem}` : ''}
        {others > 0 ? ` (and ${formatCount(others)} more units of this row paired)` : ''}
      </p>
      {unitA && unitB && (unitA.codeA.raw !== null || unitB.codeA.raw !== null) && (
        <CodeDiff
          testId="compare-diff"
          a={side('A', unitA)}
          b={side('B', unitB)}
          language={unitA.language}
        />
      )}
      {rowA && rowB && (
        <table className="compared-fields small" data-testid="compared-fields">
          <thead>
            <tr>
              <th>field</th>
              <th>A</th>
              <th>B</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const [va, vb] = [rowA[name] ?? null, rowB[name] ?? null]
              const differs = JSON.stringify(va) !== JSON.stringify(vb)
              return (
                <tr
                  key={name}
                  data-field={name}
                  data-differs={differs}
                  className={differs ? 'differs' : ''}
                >
                  <th>{name}</th>
                  <td>
                    <ValueView value={va} />
                  </td>
                  <td>
                    <ValueView value={vb} />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </>
  )
}
