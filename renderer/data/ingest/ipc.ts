/**
 * Rows RewardLens computed itself (parse facts, near-duplicate groups) as an Arrow IPC stream the
 * engine appends in one step, built by the loader's column builders (Arrow's own builders compile
 * code at run time, which the page's content policy forbids). Appending Arrow takes a few
 * milliseconds where an INSERT of 256 rows as SQL values took ~50 ms, each such statement holding
 * the engine a row click waits for.
 */
import { Field, RecordBatch, Schema, Struct, Table, makeData, tableToIPC } from 'apache-arrow'
import { arrowType } from './arrowType'
import { columnBuilder } from './columns'

/** A column of the stream: its name and the kind of its values (anything after is the caller's). */
export type IpcColumn = readonly [
  name: string,
  kind: 'string' | 'int' | 'float' | 'bool',
  ...unknown[],
]

/** `length` rows, `row(i)` giving the i-th row's values in `columns` order, as an IPC stream. */
export function rowsIPC(
  columns: readonly IpcColumn[],
  length: number,
  row: (i: number) => readonly unknown[],
): Uint8Array {
  const builders = columns.map(([, kind]) => columnBuilder({ kind }))
  for (let i = 0; i < length; i++) {
    for (const [j, value] of row(i).entries()) builders[j]!.append(value)
  }
  const schema = new Schema(
    columns.map(([name, kind]) => new Field(name, arrowType({ kind }), true)),
  )
  const data = makeData({
    type: new Struct(schema.fields),
    length,
    nullCount: 0,
    children: builders.map((b) => b.finish()),
  })
  return tableToIPC(new Table([new RecordBatch(schema, data)]), 'stream')
}
