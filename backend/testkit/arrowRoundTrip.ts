// Encodes frames exactly as the protocol layer does and reads them back, so handler tests catch frames Grafana
// could not decode (ragged fields, wrong value types).
import { tableFromIPC } from 'apache-arrow';
import { encodeFrame } from '../frames/arrow';
import type { Frame } from '../frames/frame';

export function expectArrowRoundTrip(frames: Frame[]): void {
  for (const frame of frames) {
    const table = tableFromIPC(encodeFrame(frame));
    expect({ name: frame.name, rows: table.numRows, fields: table.schema.fields.map((f) => f.name) }).toEqual({
      name: frame.name,
      rows: frame.fields[0]?.values.length ?? 0,
      fields: frame.fields.map((f) => f.name),
    });
  }
}
