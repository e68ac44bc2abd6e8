import { errorMessage } from '../../data/errors'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useServices } from '../../app/AppContext'
import { formatBytes, formatCount } from '../../app/format'
import { useAppState } from '../../app/store'
import { useEngineQuery } from '../../app/useEngineQuery'
import { useEscapeKey } from '../../app/useEscapeKey'
import {
  ExportCancelled,
  type ExportOutcome,
  type ExportProgress,
  exportRows,
  startSourceHash,
} from '../../data/export/exportRows'
import { type ExportRoles, planExportRead } from '../../data/export/plan'
import { bRowsWhere } from '../../data/compare/queries'
import { keyLabel } from '../../data/compare/key'
import {
  DEFAULT_EXPORT_OPTIONS,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptions,
  exportFilter,
  formatLabel,
  suggestedName,
} from '../../data/export/options'
import { pairsUnavailable } from '../../data/export/pairs'
import { describeFilter } from '../../data/export/provenance'
import type { LoadedDataset } from '../../data/dataset'

/** Where the dialog is: choosing, writing, done, or stopped by an error. */
type Stage =
  | { readonly kind: 'form'; readonly notice: string | null }
  | { readonly kind: 'running'; readonly progress: ExportProgress }
  | { readonly kind: 'done'; readonly outcome: ExportOutcome }
  | { readonly kind: 'error'; readonly message: string }

/** What each format writes, in a sentence. */
function formatHint(format: ExportFormat, faithful: boolean, sourceName: string): string {
  switch (format) {
    case 'jsonl':
      return faithful
        ? `One line per row, copied byte for byte from ${sourceName}.`
        : 'One JSON object per line, with the columns’ own types.'
    case 'parquet':
      return 'The columns with their own types, nested as they are; ZSTD-compressed.'
    case 'csv':
      return 'One line per row under a header; nested values as JSON text.'
    case 'json':
      return faithful
        ? `One array of the original records of ${sourceName}.`
        : 'One JSON array of objects, with the columns’ own types.'
    case 'triplets':
      return '{prompt, chosen, rejected, metadata} per unit: the higher-scored side is chosen, ties are skipped.'
  }
}

/** The export dialog: format, options, what will be written, then progress and the result. */
export function ExportDialog({
  dataset: open,
  onClose,
}: {
  readonly dataset: LoadedDataset
  readonly onClose: () => void
}) {
  const { store, engine, host } = useServices()
  const filter = useAppState(store, (s) => s.filter)
  const profile = useAppState(store, (s) => s.profile)
  const compare = useAppState(store, (s) => s.compare)
  const reference = useAppState(store, (s) =>
    s.nearDup?.reference?.matched ? s.nearDup.reference : null,
  )
  // Comparing, the export writes either file's rows of the pairs the filter shows.
  const [side, setSide] = useState<'A' | 'B'>('A')
  const { dataset, roles } = useMemo((): {
    dataset: LoadedDataset
    roles: ExportRoles | null
  } => {
    const b = compare?.b
    const key = compare?.build?.key
    if (!profile || !b || !key || !compare.build) return { dataset: open, roles: profile }
    const label = keyLabel(key)
    if (side === 'A') {
      return {
        dataset: open,
        roles: { ...profile, compared: { dataset: b.dataset, key: label, side } },
      }
    }
    return {
      dataset: b.dataset,
      roles: {
        profile: b.profile.profile,
        relations: b.profile.relations,
        compared: { dataset: open, key: label, side },
        rows: bRowsWhere(compare.build.table, profile.relations, filter),
      },
    }
  }, [open, profile, compare, side, filter])
  const [options, setOptions] = useState<ExportOptions>(DEFAULT_EXPORT_OPTIONS)
  const [stage, setStage] = useState<Stage>({ kind: 'form', notice: null })
  const abort = useRef<AbortController | null>(null)
  const change = (patch: Partial<ExportOptions>) => setOptions((o) => ({ ...o, ...patch }))

  // The provenance record needs the source's hash: start it now, while the person chooses.
  useEffect(() => startSourceHash(dataset, host), [dataset, host])
  useEffect(() => () => abort.current?.abort(), [])

  const plan = useEngineQuery(planExportRead(dataset, roles, filter, options))
  const running = stage.kind === 'running'
  const cancel = useCallback(() => abort.current?.abort(), [])
  useEscapeKey(running ? cancel : onClose)

  const start = async () => {
    const controller = new AbortController()
    abort.current = controller
    setStage({
      kind: 'running',
      progress: { phase: 'Choosing where to save', fraction: 0, rows: 0, total: 0, bytes: 0 },
    })
    try {
      const outcome = await exportRows(
        await engine(),
        host,
        dataset,
        roles,
        filter,
        options,
        (progress) => {
          if (!controller.signal.aborted) setStage({ kind: 'running', progress })
        },
        controller.signal,
      )
      setStage(outcome ? { kind: 'done', outcome } : { kind: 'form', notice: null })
    } catch (error) {
      if (error instanceof ExportCancelled) {
        setStage({ kind: 'form', notice: 'The export was cancelled; nothing was written.' })
      } else {
        setStage({ kind: 'error', message: errorMessage(error) })
      }
    } finally {
      if (abort.current === controller) abort.current = null
    }
  }

  const effective = exportFilter(filter, options)
  const planned = plan.current ? plan.value : undefined
  const pairsReason =
    side === 'B'
      ? 'Preference pairs are made from the open file (A) only.'
      : pairsUnavailable(roles?.profile ?? null)
  const fileName = suggestedName(dataset, filter, options)
  const triplets = options.format === 'triplets'
  const browser = host.kind === 'browser'

  return (
    <div className="modal-backdrop" onClick={running ? undefined : onClose}>
      <div
        className="modal export-dialog"
        role="dialog"
        aria-label="Export"
        aria-modal="true"
        data-testid="export-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="modal-head">
          <strong>Export</strong>
          <span className="muted">{dataset.source.name}</span>
          <span className="spacer" />
          {!running && (
            <button type="button" className="button ghost small" onClick={onClose}>
              Close
            </button>
          )}
        </div>

        {stage.kind === 'form' && (
          <div className="modal-body export-body">
            {compare?.b && compare.build && (
              <fieldset className="export-side" data-testid="export-side">
                <legend>Rows of</legend>
                {(['A', 'B'] as const).map((s) => (
                  <label key={s}>
                    <input
                      type="radio"
                      name="export-side"
                      value={s}
                      checked={side === s}
                      onChange={() => {
                        setSide(s)
                        if (s === 'B' && options.format === 'triplets') change({ format: 'jsonl' })
                      }}
                    />{' '}
                    {s}: {s === 'A' ? open.source.name : compare.b!.dataset.source.name}
                  </label>
                ))}
                <span className="muted small">
                  {side === 'A'
                    ? 'the rows the filter shows'
                    : 'the rows paired with the rows the filter shows (and, unless the filter asks for pairs in both files, the rows only in B)'}
                </span>
              </fieldset>
            )}
            <p className="export-summary" data-testid="export-summary">
              {planned === undefined
                ? 'Counting…'
                : triplets && planned.pairs
                  ? `${formatCount(planned.rows)} pairs from ${formatCount(planned.pairs.units)} units, filter: ${describeFilter(effective)}`
                  : `${formatCount(planned.rows)} rows of ${formatCount(planned.total)}, filter: ${describeFilter(effective)}`}
            </p>
            {planned?.pairs && triplets && (
              <p className="muted small" data-testid="export-pairs-skipped">
                Skipped: {formatCount(planned.pairs.ties)} ties,{' '}
                {formatCount(planned.pairs.belowGap)} under the minimum gap,{' '}
                {formatCount(planned.pairs.incomplete)} missing a side or a score.
              </p>
            )}
            {plan.error && <p className="error-text">{plan.error}</p>}

            <fieldset className="export-formats" data-testid="export-format">
              <legend>Format</legend>
              {EXPORT_FORMATS.map((format) => {
                const disabled = format === 'triplets' && pairsReason !== null
                return (
                  <label
                    key={format}
                    className={`export-format${options.format === format ? ' selected' : ''}${disabled ? ' disabled' : ''}`}
                    title={disabled ? (pairsReason ?? undefined) : undefined}
                  >
                    <input
                      type="radio"
                      name="export-format"
                      value={format}
                      checked={options.format === format}
                      disabled={disabled}
                      onChange={() => change({ format })}
                    />
                    <span className="export-format-name">{formatLabel(format)}</span>
                    <span className="muted small">
                      {disabled
                        ? pairsReason
                        : formatHint(format, planned?.faithful ?? false, dataset.source.name)}
                    </span>
                  </label>
                )
              })}
            </fieldset>

            <fieldset className="export-options">
              <legend>Options</legend>
              {!triplets && (
                <>
                  <label className="export-check">
                    <input
                      type="checkbox"
                      data-testid="export-derived"
                      checked={options.derived}
                      disabled={roles === null}
                      onChange={(e) => change({ derived: e.target.checked })}
                    />
                    Add derived columns: language, extracted code, test re-run results, QA findings
                  </label>
                  <label className="export-check">
                    <input
                      type="checkbox"
                      data-testid="export-flags"
                      checked={options.flags}
                      onChange={(e) => change({ flags: e.target.checked })}
                    />
                    Add flags and notes
                  </label>
                  {options.format === 'csv' && (
                    <label className="export-check">
                      <input
                        type="checkbox"
                        data-testid="export-spreadsheet-safe"
                        checked={options.spreadsheetSafe}
                        onChange={(e) => change({ spreadsheetSafe: e.target.checked })}
                      />
                      Spreadsheet-safe: text starting with = + − @ gets a leading ' so a spreadsheet
                      shows it instead of running it as a formula
                    </label>
                  )}
                </>
              )}
              <label className="export-field">
                Flagged rows
                <select
                  data-testid="export-flagged"
                  value={options.flagged ?? 'filter'}
                  onChange={(e) =>
                    change({
                      flagged:
                        e.target.value === 'filter' ? null : (e.target.value as 'only' | 'exclude'),
                    })
                  }
                >
                  <option value="filter">As the filter shows them</option>
                  <option value="only">Only flagged rows</option>
                  <option value="exclude">Leave flagged rows out</option>
                </select>
              </label>
              {reference && filter.contaminated === null && (
                <label className="export-check">
                  <input
                    type="checkbox"
                    data-testid="export-leave-out-contaminated"
                    checked={options.leaveOutContaminated}
                    onChange={(e) => change({ leaveOutContaminated: e.target.checked })}
                  />
                  Leave out the rows matching the reference set ({reference.name})
                </label>
              )}
              {triplets && (
                <label className="export-field">
                  Minimum score gap
                  <input
                    type="number"
                    min={0}
                    step="any"
                    data-testid="export-min-gap"
                    value={options.minScoreGap}
                    onChange={(e) =>
                      change({ minScoreGap: Math.max(0, Number(e.target.value) || 0) })
                    }
                  />
                </label>
              )}
            </fieldset>

            <p className="muted small">
              {browser ? 'Downloads' : 'Saves'} <span className="mono">{fileName}</span> and its
              provenance record <span className="mono">{fileName}.meta.json</span> (source file,
              size and SHA-256, the filter, counts, columns, options).
            </p>
            {stage.notice && (
              <p className="export-notice" role="status">
                {stage.notice}
              </p>
            )}
            <div className="export-actions">
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
              <button
                type="button"
                className="button primary"
                data-testid="export-start"
                disabled={planned === undefined || planned.unavailable !== null}
                onClick={() => void start()}
              >
                Export
                {planned ? ` ${formatCount(planned.rows)} ${triplets ? 'pairs' : 'rows'}` : ''}…
              </button>
            </div>
          </div>
        )}

        {stage.kind === 'running' && (
          <div className="modal-body export-body" data-testid="export-progress">
            <progress
              max={100}
              value={Math.round(stage.progress.fraction * 100)}
              aria-label="Export progress"
            />
            <div className="load-detail">
              <span>
                {stage.progress.phase}
                {stage.progress.total > 0 &&
                  ` · ${formatCount(stage.progress.rows)} of ${formatCount(stage.progress.total)} ${triplets ? 'pairs' : 'rows'}`}
                {stage.progress.bytes > 0 && ` · ${formatBytes(stage.progress.bytes)}`}
              </span>
              <span>{Math.round(stage.progress.fraction * 100)}%</span>
            </div>
            <div className="export-actions">
              <button type="button" className="button" data-testid="export-cancel" onClick={cancel}>
                Cancel
              </button>
            </div>
          </div>
        )}

        {stage.kind === 'done' && (
          <div className="modal-body export-body" data-testid="export-done">
            <p className="export-result">
              {browser ? 'Downloaded' : 'Exported'} {formatCount(stage.outcome.rows)}{' '}
              {triplets ? 'pairs' : 'rows'} ({formatBytes(stage.outcome.result.bytes)}) to
            </p>
            <p className="mono export-path" data-testid="export-done-path">
              {stage.outcome.result.path}
            </p>
            <p className="muted small">with its provenance record</p>
            <p className="mono export-path" data-testid="export-done-meta">
              {stage.outcome.result.metaPath}
            </p>
            <pre className="export-meta" data-testid="export-done-meta-text">
              {stage.outcome.meta}
            </pre>
            <div className="export-actions">
              <button type="button" className="button primary" onClick={onClose}>
                Done
              </button>
            </div>
          </div>
        )}

        {stage.kind === 'error' && (
          <div className="modal-body export-body">
            <p className="error-text" role="alert" data-testid="export-error">
              {stage.message}
            </p>
            <p className="muted small">Nothing was left half-written.</p>
            <div className="export-actions">
              <button
                type="button"
                className="button"
                onClick={() => setStage({ kind: 'form', notice: null })}
              >
                Back
              </button>
              <button type="button" className="button primary" onClick={onClose}>
                Close
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  )
}
