import type { ReactNode } from 'react'

/** A labelled checkbox of a toolbar or panel: the box, then its words, all clickable. */
export function Checkbox({
  testId,
  checked,
  onChange,
  className = 'small',
  children,
}: {
  readonly testId: string
  readonly checked: boolean
  readonly onChange: (checked: boolean) => void
  readonly className?: string
  /** The label. */
  readonly children: ReactNode
}) {
  return (
    <label className={className}>
      <input
        type="checkbox"
        data-testid={testId}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />{' '}
      {children}
    </label>
  )
}
