import { FieldType, toDataFrame } from '@grafana/data';
import { lastValueFrom, of } from 'rxjs';
import {
  isDropOrReset,
  isPolicyDenial,
  keepRows,
  keepRowsTransform,
  pickFrames,
  pickTraceTransform,
  topPairs,
} from './frameRows';

const drops = toDataFrame({
  fields: [
    { name: 'src_namespace', type: FieldType.string, values: ['shop', 'shop', 'shop', 'ops'] },
    { name: 'src_pod', type: FieldType.string, values: ['checkout-1', 'checkout-1', 'frontend-1', null] },
    { name: 'src_ip', type: FieldType.string, values: ['10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.9'] },
    { name: 'dst_namespace', type: FieldType.string, values: ['pay', 'pay', 'shop', null] },
    { name: 'dst_service', type: FieldType.string, values: ['payments', 'payments', 'checkout', null] },
    { name: 'dst_ip', type: FieldType.string, values: ['10.0.1.1', '10.0.1.1', '10.0.0.1', '10.0.1.7'] },
    { name: 'trace_id', type: FieldType.string, values: ['4bf92f3577b34da6a3ce929d0e0e4736', null, '', 'aa'] },
  ],
});

describe('topPairs', () => {
  it('counts drops per namespaced source and destination, most frequent first, by IP where no name is known', () => {
    const frame = topPairs([drops], 10);
    expect(frame.fields.map((f) => f.name)).toEqual(['source', 'destination', 'drops']);
    expect(frame.fields[0].values).toEqual(['shop/checkout-1', '10.0.0.9', 'shop/frontend-1']);
    expect(frame.fields[1].values).toEqual(['pay/payments', '10.0.1.7', 'shop/checkout']);
    expect(frame.fields[2].values).toEqual([2, 1, 1]);
  });

  it('honours the limit and skips frames without endpoint columns', () => {
    expect(topPairs([drops], 1).length).toBe(1);
    expect(topPairs([toDataFrame({ fields: [{ name: 'x', values: [1] }] })], 5).length).toBe(0);
  });
});

describe('keepRows', () => {
  const events = toDataFrame({
    fields: [
      { name: 'kind', values: ['flow', 'drop', 'dns', 'reset'] },
      { name: 'src_pod', values: ['a', 'b', 'c', 'd'] },
    ],
  });

  it('keeps the drops and resets of a list of events', () => {
    const [kept] = keepRows([events], isDropOrReset);
    expect(kept.length).toBe(2);
    expect(kept.fields[1].values).toEqual(['b', 'd']);
  });

  it('works as a scene transformation', async () => {
    const operator = keepRowsTransform(isDropOrReset)({ interpolate: (s: string) => s });
    const [frame] = await lastValueFrom(of([events]).pipe(operator));
    expect(frame.length).toBe(2);
  });
});

describe('picking frames', () => {
  const trace = {
    ...toDataFrame({ name: 'trace', fields: [] }),
    meta: { preferredVisualisationType: 'trace' as const },
  };
  const logs = toDataFrame({ name: 'trace_logs', fields: [] });
  const network = toDataFrame({ name: 'network_events', fields: [] });

  it('by name', () => {
    expect(pickFrames([trace, logs, network], ['network_events', 'missing'])).toEqual([network]);
  });

  it('the trace frame by its preferred visualisation', async () => {
    const operator = pickTraceTransform()({ interpolate: (s: string) => s });
    expect(await lastValueFrom(of([logs, trace, network]).pipe(operator))).toEqual([trace]);
  });
});

describe('isPolicyDenial', () => {
  it('keeps drops a policy denied, whatever the source called them, and no others', () => {
    const frame = toDataFrame({
      fields: [
        {
          name: 'reason',
          type: FieldType.string,
          values: ['policy_denied', 'unanswered_syn', 'unanswered_syn', 'nflog:x'],
        },
        { name: 'verdict', type: FieldType.string, values: ['dropped', 'dropped', 'dropped', 'denied'] },
        {
          name: 'explanation',
          type: FieldType.string,
          values: ['', 'ingress denied (shop/p): no rule …', 'SYN never answered (silently dropped on the path)', ''],
        },
      ],
    });
    expect(keepRows([frame], isPolicyDenial)[0].fields[0].values).toEqual([
      'policy_denied',
      'unanswered_syn',
      'nflog:x',
    ]);
  });
});
