import type { NetworkEvent } from '../../../model/events';
import { NflogDropCoalescer } from './nflogDropCoalescer';

const T0 = 1_772_445_600_000_000;

function logged(offsetMs: number, srcPort = 40000): NetworkEvent {
  return {
    kind: 'drop',
    time: T0 + offsetMs * 1000,
    transport: 'tcp',
    src: { ip: '10.0.0.1', port: srcPort },
    dst: { ip: '10.0.0.2', port: 8080 },
    source: 'nflog',
    drop: { reason: 'nflog:drop:shop/deny', verdict: 'dropped', deniedBy: ['shop/deny'] },
  };
}

describe('NflogDropCoalescer', () => {
  it('folds a SYN and its retransmissions into one drop with attempts and an end time', () => {
    const out: NetworkEvent[] = [];
    const c = new NflogDropCoalescer((e) => out.push(e), { quietMs: 3000, maxAgeMs: 30_000, maxPending: 10 });
    [0, 1000, 3000].forEach((t) => c.push(logged(t)));
    c.push(logged(500, 40001));
    c.advance(T0 + 3_400_000);
    expect(out).toEqual([]);
    c.advance(T0 + 6_000_000);
    expect(out.map((e) => [e.src.port, e.drop?.attempts, e.time, e.endTime])).toEqual([
      [40000, 3, T0, T0 + 3_000_000],
      [40001, 1, T0 + 500_000, T0 + 500_000],
    ]);
    expect(out[0].drop?.deniedBy).toEqual(['shop/deny']);
  });

  it('starts a new drop after a quiet gap, emits early when full, and flushes what is held', () => {
    const out: NetworkEvent[] = [];
    const c = new NflogDropCoalescer((e) => out.push(e), { quietMs: 1000, maxAgeMs: 30_000, maxPending: 2 });
    c.push(logged(0));
    c.push(logged(5000));
    expect(out.map((e) => e.time)).toEqual([T0]);
    c.push(logged(5000, 1));
    c.push(logged(5000, 2));
    expect(c.emittedEarly).toBe(1);
    expect(out.map((e) => e.src.port)).toEqual([40000, 40000]);
    c.flush();
    expect(out.map((e) => e.src.port)).toEqual([40000, 40000, 1, 2]);
    expect(c.size).toBe(0);
  });
});
