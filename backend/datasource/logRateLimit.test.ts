import { LogRateLimit } from './logRateLimit';

describe('LogRateLimit', () => {
  it('lets a few lines per kind through each window and reports how many it held back', () => {
    let now = 0;
    const limit = new LogRateLimit(2, 1000, () => now);
    expect([1, 2, 3, 4].map(() => limit.allow('flows/400').allowed)).toEqual([true, true, false, false]);
    expect(limit.allow('dns/502')).toEqual({ allowed: true, suppressed: 0 });
    now = 1000;
    expect(limit.allow('flows/400')).toEqual({ allowed: true, suppressed: 2 });
    expect(limit.allow('flows/400')).toEqual({ allowed: true, suppressed: 0 });
  });
});
