import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  const policy = { initialMs: 100, maxMs: 1000 };
  it('doubles per attempt up to the cap, with jitter between half and all of it', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelayMs(a, policy, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect([0, 1, 2, 3, 10].map((a) => backoffDelayMs(a, policy, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });
});
