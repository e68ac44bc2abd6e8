import type { ChangeEvent, ReactNode } from 'react'
import { DATASET_EXTENSIONS, type DatasetSource } from '../../../shared/host'
import { useServices } from '../../app/AppContext'

const ACCEPT = DATASET_EXTENSIONS.map((e) => `.${e}`).join(',')

/**
 * A button choosing a file to open beside the dataset (a file to compare with, a reference set):
 * the desktop shows the OS picker; the browser build a file input (`inputTestId`). `onChoose` gets
 * the Host request yielding the chosen source.
 */
export function SecondFileButton({
  testId,
  inputTestId,
  className,
  title,
  disabled,
  onChoose,
  children,
}: {
  readonly testId: string
  readonly inputTestId: string
  readonly className: string
  readonly title: string
  readonly disabled: boolean
  readonly onChoose: (request: () => Promise<DatasetSource | null>) => void
  readonly children: ReactNode
}) {
  const { host } = useServices()
  if (host.kind === 'desktop') {
    return (
      <button
        type="button"
        className={`button ${className}`}
        data-testid={testId}
        disabled={disabled}
        title={title}
        onClick={() => onChoose(() => host.pickFile())}
      >
        {children}
      </button>
    )
  }
  const onFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? [])
    event.target.value = ''
    if (files.length > 0) onChoose(() => host.openDropped(files))
  }
  return (
    <label
      className={`button ${className}${disabled ? ' disabled' : ''}`}
      data-testid={testId}
      title={title}
    >
      {children}
      <input
        type="file"
        data-testid={inputTestId}
        accept={ACCEPT}
        multiple
        disabled={disabled}
        className="visually-hidden"
        onChange={onFiles}
      />
    </label>
  )
}
