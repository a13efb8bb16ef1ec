// One nullable frame field from rows, so table builders read as a list of columns.
import type { Field, FieldConfig } from '../frames/frame';

export function column<T>(
  rows: readonly T[],
  name: string,
  type: Field['type'],
  pick: (row: T, index: number) => unknown,
  config?: FieldConfig
): Field {
  return { name, type, values: rows.map((row, i) => pick(row, i) ?? null), nullable: true, config };
}
