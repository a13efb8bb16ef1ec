import type { NetworkEvent } from '../../model/events';
import { EventStore } from './eventStore';

function event(time: number, extra: Partial<NetworkEvent> = {}): NetworkEvent {
  return {
    kind: 'flow',
    time,
    transport: 'tcp',
    src: { ip: '10.0.0.1', port: 40000, pod: 'client', namespace: 'shop' },
    dst: { ip: '10.0.0.2', port: 80, pod: 'server', namespace: 'shop' },
    source: 'pcap',
    ...extra,
  };
}

const all = { fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 1000 };

describe('EventStore', () => {
  it('returns events in time order even when they arrive late', () => {
    const store = new EventStore({ maxBytes: 1 << 20 });
    store.add(event(30));
    store.add(event(10));
    store.add(event(20));
    expect(store.query(all).events.map((e) => e.time)).toEqual([10, 20, 30]);
  });

  it('filters by kind, time, namespace, pod and trace id', () => {
    const store = new EventStore({ maxBytes: 1 << 20 });
    store.add(event(10, { kind: 'drop' }));
    store.add(event(20, { kind: 'http', traceId: 'a'.repeat(32) }));
    store.add(event(30, { src: { ip: '10.0.0.9', pod: 'other', namespace: 'ops' }, dst: { ip: '10.0.0.8' } }));
    expect(store.query({ ...all, kinds: new Set(['drop']) }).events.map((e) => e.time)).toEqual([10]);
    expect(store.query({ ...all, fromUs: 15, toUs: 25 }).events.map((e) => e.time)).toEqual([20]);
    expect(store.query({ ...all, namespace: 'ops' }).events.map((e) => e.time)).toEqual([30]);
    expect(store.query({ ...all, pod: 'server' }).events.map((e) => e.time)).toEqual([10, 20]);
    expect(store.query({ ...all, pod: 'server', namespace: 'ops' }).events).toEqual([]);
    expect(store.query({ ...all, traceId: 'a'.repeat(32) }).events.map((e) => e.time)).toEqual([20]);
  });

  it('keeps the newest events when the limit truncates', () => {
    const store = new EventStore({ maxBytes: 1 << 20 });
    [1, 2, 3, 4].forEach((t) => store.add(event(t)));
    const r = store.query({ ...all, limit: 2 });
    expect(r.truncated).toBe(true);
    expect(r.events.map((e) => e.time)).toEqual([3, 4]);
  });

  it('evicts the oldest events past the byte cap, counts them and forgets them in every index', () => {
    const store = new EventStore({ maxBytes: 5000 });
    for (let t = 0; t < 100; t++) {
      store.add(event(t, { traceId: t.toString(16).padStart(32, '0') }));
    }
    expect(store.bytes).toBeLessThanOrEqual(5000);
    expect(store.evictions).toBe(100 - store.size);
    expect(store.evictions).toBeGreaterThan(0);
    expect(store.query({ ...all, traceId: '0'.repeat(32) }).events).toEqual([]);
    expect(store.query({ ...all, pod: 'client' }).events).toHaveLength(store.size);
    expect(store.query(all).events[0].time).toBe(100 - store.size);
  });

  it('finds a connection by its 5-tuple from either direction', () => {
    const store = new EventStore({ maxBytes: 1 << 20 });
    store.add(event(1));
    expect(store.byConnection('10.0.0.2', 80, '10.0.0.1', 40000)).toHaveLength(1);
  });

  it('files late events across seconds in time order and keeps eviction cheap under sustained load', () => {
    const store = new EventStore({ maxBytes: 2_000_000 });
    const start = Date.now();
    for (let i = 0; i < 50_000; i++) {
      // Every tenth event is a flow reported 30 s after it began.
      const time = 1_000_000_000 + i * 1000 - (i % 10 === 0 ? 30_000_000 : 0);
      store.add(event(time, { traceId: (i + 1).toString(16).padStart(32, '0') }));
    }
    expect(Date.now() - start).toBeLessThan(5000);
    expect(store.evictions).toBeGreaterThan(0);
    const times = store.query({ ...all, limit: 100_000 }).events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.length).toBe(store.size);
    expect(store.query({ ...all, pod: 'client', limit: 100_000 }).events).toHaveLength(store.size);
  });

  it('serves the newest version of an event published again, never an older one', () => {
    const store = new EventStore({ maxBytes: 1 << 20 });
    const version = (revision: number, attempts: number) =>
      event(10, {
        kind: 'drop',
        id: 'syn-1/drop',
        revision,
        drop: { reason: 'unanswered_syn', verdict: 'dropped', attempts },
      });
    store.add(version(0, 2));
    store.add(event(11));
    store.add(version(1, 5));
    store.add(version(0, 2));
    expect(store.size).toBe(2);
    expect(store.query({ ...all, pod: 'client' }).events.map((e) => e.drop?.attempts)).toEqual([5, undefined]);
  });
});
