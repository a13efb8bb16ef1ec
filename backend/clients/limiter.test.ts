import { ConcurrencyLimiter } from './limiter';

describe('ConcurrencyLimiter', () => {
  it('runs at most limit tasks at once and runs them all', async () => {
    const limiter = new ConcurrencyLimiter(3);
    let running = 0;
    let peak = 0;
    const task = async (i: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => limiter.run(() => task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
  });

  it('drops a queued task whose signal aborts and frees its slot on failure', async () => {
    const limiter = new ConcurrencyLimiter(1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    const queued = limiter.run(async () => 'never', controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(queued).rejects.toThrow('cancelled');
    expect(limiter.queued).toBe(0);
    release();
    await first;
    await expect(
      limiter.run(async () => {
        throw new Error('x');
      })
    ).rejects.toThrow('x');
    expect(limiter.running).toBe(0);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow('positive integer');
  });
});
