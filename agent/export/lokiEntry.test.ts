import type { NetworkEvent } from '../../model/events';
import { DEFAULT_EXPORT_SELECTION, isExported } from './exportFilter';
import { lokiEntry, lokiPushBody } from './lokiEntry';
import { numberedEvent } from '../testkit/testEvents';

describe('Loki entries', () => {
  it('labels streams with low-cardinality labels only and puts pods, IPs and trace ids in structured metadata', () => {
    const drop = numberedEvent(2);
    const body = lokiPushBody([lokiEntry(drop), lokiEntry(numberedEvent(3)), lokiEntry(numberedEvent(5))]);
    expect(body.streams).toEqual([
      {
        stream: { service_name: 'wiretrace-agent', kind: 'drop', verdict: 'dropped', namespace: 'db' },
        values: [
          [
            `${drop.time}000`,
            JSON.stringify(drop),
            {
              src_ip: '10.244.1.3',
              dst_ip: '10.244.2.15',
              pod: 'client-2',
              trace_id: '0'.repeat(31) + '2',
              node: 'node-a',
            },
          ],
        ],
      },
      {
        stream: { service_name: 'wiretrace-agent', kind: 'flow', verdict: 'forwarded', namespace: 'shop' },
        values: [
          [
            expect.stringMatching(/000$/),
            JSON.stringify(numberedEvent(3)),
            expect.objectContaining({ pod: 'client-3' }),
          ],
        ],
      },
      {
        stream: { service_name: 'wiretrace-agent', kind: 'flow', verdict: 'forwarded', namespace: 'db' },
        values: [
          [expect.any(String), JSON.stringify(numberedEvent(5)), expect.objectContaining({ src_ip: '10.244.1.6' })],
        ],
      },
    ]);
  });

  it('exports drops, flows and failed DNS lookups by default, not answered lookups or HTTP exchanges', () => {
    const dns = (rcode: string): NetworkEvent => ({
      ...numberedEvent(1),
      kind: 'dns',
      dns: { id: 1, query: 'x.svc', qtype: 'A', rcode, answers: [], answered: true },
    });
    expect(isExported(numberedEvent(0), DEFAULT_EXPORT_SELECTION)).toBe(true);
    expect(isExported(dns('NXDOMAIN'), DEFAULT_EXPORT_SELECTION)).toBe(true);
    expect(isExported(dns('NOERROR'), DEFAULT_EXPORT_SELECTION)).toBe(false);
    expect(isExported({ ...numberedEvent(1), kind: 'http' }, DEFAULT_EXPORT_SELECTION)).toBe(false);
    expect(isExported({ ...numberedEvent(2), kind: 'signal' }, DEFAULT_EXPORT_SELECTION)).toBe(true);
    expect(isExported({ ...numberedEvent(1), kind: 'http' }, { kinds: ['http'], dnsErrorsOnly: true })).toBe(true);
  });

  it('keeps nanosecond timestamps exact for microsecond event times', () => {
    const event = { ...numberedEvent(0), time: 1_772_445_600_123_456 };
    expect(lokiEntry(event).tsNs).toBe('1772445600123456000');
  });
});
