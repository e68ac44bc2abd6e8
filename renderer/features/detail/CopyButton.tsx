import { useState } from 'react'
import type { CellValue } from '../../data/values'

/** Copies a value (text as is, anything else as JSON) to the clipboard. */
export function CopyButton({ value }: { readonly value: CellValue }) {
  const [done, setDone] = useState(false)
  const copy = () => {
    const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2)
    navigator.clipboard
      .writeText(text)
      .then(() => {
        setDone(true)
        setTimeout(() => setDone(false), 1200)
      })
      .catch(() => undefined)
  }
  return (
    <button type="button" className="button ghost small" onClick={copy}>
      {done ? 'Copied' : 'Copy'}
    </button>
  )
}
