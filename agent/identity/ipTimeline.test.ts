import { IpTimeline } from './ipTimeline';

describe('IpTimeline', () => {
  test('maps a time to the holder of that moment, [assigned, released)', () => {
    const t = new IpTimeline<string>();
    t.assign('10.0.0.1', 'a', 'pod-a', 100);
    t.release('10.0.0.1', 'a', 200);
    t.assign('10.0.0.1', 'b', 'pod-b', 300);
    expect(t.lookup('10.0.0.1', 99)).toBeUndefined();
    expect(t.lookup('10.0.0.1', 100)).toBe('pod-a');
    expect(t.lookup('10.0.0.1', 199)).toBe('pod-a');
    expect(t.lookup('10.0.0.1', 200)).toBeUndefined();
    expect(t.lookup('10.0.0.1', 300)).toBe('pod-b');
    expect(t.lookup('10.0.0.1')).toBe('pod-b');
    expect(t.lookup('10.0.0.2', 300)).toBeUndefined();
  });

  test('a new holder starting before the old one was released starts when it was', () => {
    const t = new IpTimeline<string>();
    t.assign('10.0.0.1', 'a', 'pod-a', 100);
    t.release('10.0.0.1', 'a', 250);
    t.assign('10.0.0.1', 'b', 'pod-b', 200);
    expect(t.lookup('10.0.0.1', 220)).toBe('pod-a');
    expect(t.holdingsOf('10.0.0.1').map((h) => [h.key, h.start, h.end])).toEqual([
      ['a', 100, 250],
      ['b', 250, undefined],
    ]);
  });

  test('closed holdings older than the retention are dropped, open and recent ones kept', () => {
    const fill = (retentionUs: number) => {
      const t = new IpTimeline<string>(retentionUs);
      for (let i = 0; i < 10; i++) {
        t.assign('10.0.0.1', `p${i}`, `pod-${i}`, i * 600);
        t.release('10.0.0.1', `p${i}`, i * 600 + 500);
      }
      t.assign('10.0.0.1', 'last', 'pod-last', 10_000);
      return t;
    };
    const short = fill(1000);
    expect(short.holdingsOf('10.0.0.1').map((h) => h.key)).toEqual(['last']);
    expect(short.lookup('10.0.0.1', 5500)).toBeUndefined();
    const long = fill(5000);
    expect(long.holdingsOf('10.0.0.1').map((h) => h.key)).toEqual(['p8', 'p9', 'last']);
    expect(long.lookup('10.0.0.1', 5500)).toBe('pod-9');
  });
});
