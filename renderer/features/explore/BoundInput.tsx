/** A number box for one end of a range: applied on Enter or when it loses focus; empty is open. */
export function BoundInput({
  label,
  placeholder,
  value,
  onCommit,
}: {
  readonly label: string
  readonly placeholder: string
  readonly value: number | null
  readonly onCommit: (value: number | null) => void
}) {
  const commit = (text: string) => {
    const n = text.trim() === '' ? null : Number(text)
    onCommit(n === null || Number.isFinite(n) ? n : value)
  }
  return (
    <input
      type="number"
      aria-label={label}
      placeholder={placeholder}
      step="any"
      // Keyed by the applied value, so undo or a chip's × shows in the box.
      key={String(value)}
      defaultValue={value ?? ''}
      onBlur={(e) => commit(e.target.value)}
      onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
    />
  )
}
