import { Type, tableFromIPC } from 'apache-arrow';
import { encodeFrame } from './arrow';
import type { Frame } from './frame';

const IPC_FILE_MAGIC = 'ARROW1';

function sampleFrame(): Frame {
  return {
    name: 'flows',
    refId: 'A',
    meta: { preferredVisualisationType: 'table', notices: [{ severity: 'warning', text: 'agent b unreachable' }] },
    fields: [
      { name: 'time', type: 'time', values: [1_700_000_000_000, 1_700_000_000_000.5] },
      { name: 'pod', type: 'string', values: ['api-7d9', 'api-7d9'], labels: { namespace: 'shop' } },
      { name: 'bytes', type: 'int64', values: [12, 9_007_199_254_740_993n] },
      { name: 'rtt', type: 'number', values: [0.25, null], config: { unit: 'ms' } },
      { name: 'reset', type: 'boolean', values: [true, false] },
      { name: 'policy', type: 'json', values: [{ allowed: false }, null] },
    ],
  };
}

describe('encodeFrame', () => {
  it.each([
    ['ASCII', ['api-7d9', '', null, 'payments']],
    ['multi-byte', ['api', 'café', null, '日本語', '']],
    ['split surrogate pairs', ['a\ud83d', '\ude00b', '😀']],
  ])('reads back %s strings value by value', (_, values) => {
    const frame: Frame = { fields: [{ name: 'text', type: 'string', values }] };
    const read = tableFromIPC(encodeFrame(frame)).getChild('text')!.toArray();
    const expected = values.map((v) => (v === null ? null : Buffer.from(v, 'utf8').toString('utf8')));
    expect([...read]).toEqual(expected);
  });

  const bytes = encodeFrame(sampleFrame());
  const table = tableFromIPC(bytes);

  it('writes the Arrow IPC file format, not the stream format', () => {
    expect(Buffer.from(bytes.subarray(0, 6)).toString('latin1')).toBe(IPC_FILE_MAGIC);
    expect(Buffer.from(bytes.subarray(bytes.length - 6)).toString('latin1')).toBe(IPC_FILE_MAGIC);
  });

  it('puts name, refId and meta JSON in the schema metadata', () => {
    expect(table.schema.metadata.get('name')).toBe('flows');
    expect(table.schema.metadata.get('refId')).toBe('A');
    expect(JSON.parse(table.schema.metadata.get('meta')!)).toEqual(sampleFrame().meta);
  });

  it('uses the types the Go SDK reader expects, never dictionary strings', () => {
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, f.type]));
    expect(types.time.typeId).toBe(Type.Timestamp);
    expect(types.time.unit).toBe(3);
    expect(types.time.timezone ?? null).toBeNull();
    expect(types.pod.typeId).toBe(Type.Utf8);
    expect(types.bytes.typeId).toBe(Type.Int);
    expect(types.bytes.bitWidth).toBe(64);
    expect(types.rtt.typeId).toBe(Type.Float);
    expect(types.reset.typeId).toBe(Type.Bool);
    expect(types.policy.typeId).toBe(Type.Binary);
  });

  it('marks nullability from the values and writes field metadata', () => {
    const byName = Object.fromEntries(table.schema.fields.map((f) => [f.name, f]));
    expect(byName.rtt.nullable).toBe(true);
    expect(byName.pod.nullable).toBe(false);
    expect(byName.pod.metadata.get('labels')).toBe('{"namespace":"shop"}');
    expect(JSON.parse(byName.rtt.metadata.get('config')!)).toEqual({ unit: 'ms' });
    expect(byName.time.metadata.get('tstype')).toBe('time');
    expect(byName.policy.metadata.get('tstype')).toBe('other');
  });

  it('keeps values: ns time, int64 beyond 2^53, nulls and JSON bytes', () => {
    const time = table.getChild('time')!.data[0].values as BigInt64Array;
    expect(time[0]).toBe(1_700_000_000_000_000_000n);
    expect(time[1]).toBe(1_700_000_000_000_500_000n);
    expect(table.getChild('bytes')!.get(1)).toBe(9_007_199_254_740_993n);
    expect(table.getChild('rtt')!.toArray()[0]).toBe(0.25);
    expect(table.getChild('rtt')!.get(1)).toBeNull();
    expect(table.getChild('reset')!.get(0)).toBe(true);
    expect(Buffer.from(table.getChild('policy')!.get(0) as Uint8Array).toString()).toBe('{"allowed":false}');
    expect(table.getChild('policy')!.get(1)).toBeNull();
    expect(table.getChild('pod')!.get(1)).toBe('api-7d9');
  });

  it('encodes a frame with no rows and one with no fields', () => {
    const empty = tableFromIPC(encodeFrame({ name: 'e', fields: [{ name: 'x', type: 'string', values: [] }] }));
    expect(empty.numRows).toBe(0);
    expect(tableFromIPC(encodeFrame({ name: 'none', fields: [] })).schema.fields).toHaveLength(0);
  });

  it('rejects fields of different lengths, naming them', () => {
    const frame: Frame = {
      fields: [
        { name: 'a', type: 'number', values: [1, 2] },
        { name: 'b', type: 'number', values: [1] },
      ],
    };
    expect(() => encodeFrame(frame)).toThrow(/a=2, b=1/);
  });

  it('rejects a value of the wrong type and a null in a non-nullable field', () => {
    expect(() => encodeFrame({ fields: [{ name: 'n', type: 'number', values: ['x'] }] })).toThrow(/"n": row 0/);
    expect(() => encodeFrame({ fields: [{ name: 'n', type: 'number', nullable: false, values: [null] }] })).toThrow(
      /non-nullable/
    );
  });

  it('round-trips multi-byte UTF-8 text', () => {
    const t = tableFromIPC(encodeFrame({ fields: [{ name: 's', type: 'string', values: ['żółw', '', '🚀'] }] }));
    expect(t.getChild('s')!.toArray()).toEqual(['żółw', '', '🚀']);
  });
});
