// Encodes a Frame as the Arrow IPC file Grafana's SDK reads (data.UnmarshalArrowFrames):
// schema metadata name/refId/meta, field metadata name/tstype/config/labels.
import { Field as ArrowField, RecordBatch, Schema, Struct, Table, makeData, tableToIPC } from 'apache-arrow';
import { TS_TYPE, FrameEncodingError, arrowTypeOf, buildColumn, fieldIsNullable } from './columns';
import type { Frame } from './frame';

export function frameRowCount(frame: Frame): number {
  const lengths = new Set(frame.fields.map((f) => f.values.length));
  if (lengths.size > 1) {
    const detail = frame.fields.map((f) => `${f.name}=${f.values.length}`).join(', ');
    throw new FrameEncodingError(frame.name ?? '', `frame fields have different lengths (${detail})`);
  }
  return frame.fields[0]?.values.length ?? 0;
}

export function encodeFrame(frame: Frame): Uint8Array {
  const length = frameRowCount(frame);
  const arrowFields: ArrowField[] = [];
  const columns = frame.fields.map((field) => {
    const nullable = fieldIsNullable(field);
    const metadata = new Map<string, string>([
      ['name', field.name],
      ['tstype', TS_TYPE[field.type]],
    ]);
    if (field.labels) {
      metadata.set('labels', JSON.stringify(field.labels));
    }
    if (field.config) {
      metadata.set('config', JSON.stringify(field.config));
    }
    arrowFields.push(new ArrowField(field.name, arrowTypeOf(field.type), nullable, metadata));
    return buildColumn(field, nullable);
  });
  const schemaMetadata = new Map<string, string>([
    ['name', frame.name ?? ''],
    ['refId', frame.refId ?? ''],
  ]);
  if (frame.meta) {
    schemaMetadata.set('meta', JSON.stringify(frame.meta));
  }
  const schema = new Schema(arrowFields, schemaMetadata);
  const struct = makeData({ type: new Struct(arrowFields), length, nullCount: 0, children: columns });
  const table = new Table(schema, [new RecordBatch(schema, struct)]);
  return tableToIPC(table, 'file');
}
