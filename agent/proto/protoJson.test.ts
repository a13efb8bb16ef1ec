import { hubbleProtoRoot } from './index';
import { messageFromProtoJson, parseRfc3339, ProtoJsonError } from './protoJson';

describe('protobuf JSON reader', () => {
  const flowType = () => hubbleProtoRoot().lookupType('flow.Flow');

  it('parses RFC 3339 times to the nanosecond, with offsets', () => {
    expect(parseRfc3339('2026-03-02T10:15:00.123456789Z')).toEqual({
      seconds: String(Date.UTC(2026, 2, 2, 10, 15) / 1000),
      nanos: 123456789,
    });
    expect(parseRfc3339('2026-03-02T12:15:00.5+02:00')).toEqual({
      seconds: String(Date.UTC(2026, 2, 2, 10, 15) / 1000),
      nanos: 500000000,
    });
    expect(parseRfc3339('2026-03-02 10:15:00')).toBeUndefined();
  });

  it('accepts proto and JSON field names, enum names or numbers, wrappers as bare values, and skips unknown fields', () => {
    const message = messageFromProtoJson(flowType(), {
      verdict: 2,
      Type: 'L7',
      is_reply: true,
      dropReasonDesc: 'POLICY_DENIED',
      egress_denied_by: [{ name: 'p', revision: '18446744073709551615' }],
      somethingNewer: { x: 1 },
      traffic_direction: 'A_DIRECTION_FROM_THE_FUTURE',
    });
    expect(flowType().toObject(message, { enums: String, longs: String })).toEqual({
      verdict: 'DROPPED',
      Type: 'L7',
      is_reply: { value: true },
      drop_reason_desc: 'POLICY_DENIED',
      egress_denied_by: [{ name: 'p', revision: '18446744073709551615' }],
    });
  });

  it('names the field whose value has the wrong type', () => {
    expect(() => messageFromProtoJson(flowType(), { IP: { source: 7 } })).toThrow(
      new ProtoJsonError('Flow.IP.source', 'expected a string')
    );
    expect(() => messageFromProtoJson(flowType(), { source_names: 'x' })).toThrow(
      'Flow.source_names: expected an array'
    );
    expect(() => messageFromProtoJson(flowType(), { time: 'yesterday' })).toThrow(
      'Flow.time: "yesterday" is not an RFC 3339 timestamp'
    );
    expect(() => messageFromProtoJson(flowType(), { proxy_port: 1.5 })).toThrow('Flow.proxy_port: expected an integer');
    expect(() => messageFromProtoJson(flowType(), [])).toThrow('Flow: expected an object for Flow');
  });
});
