/** Reads Arrow IPC streams back into plain values, for tests of what the decoder emits. */
import { type Table, Vector, tableFromIPC } from 'apache-arrow'

/** An Arrow value as plain JS: lists become arrays, structs objects, Int64 stays BigInt. */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null
  if (value instanceof Vector) return [...value].map(plain)
  const json = (value as { toJSON(): Record<string, unknown> }).toJSON()
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, plain(v)]))
}

/** All rows of some IPC streams, in order, as plain objects. */
export function rowsOf(batches: readonly Uint8Array[]): Record<string, unknown>[] {
  return batches.flatMap((ipc) => tableRows(tableFromIPC(ipc)))
}

export function tableRows(table: Table): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = []
  for (let i = 0; i < table.numRows; i++) rows.push(plain(table.get(i)) as Record<string, unknown>)
  return rows
}
