// Pooled RTT jitter: the same standard deviation as computing it over every sample at once.
import { poolRttSpreads, rttSpreadOf, type RttSpread } from './rttSpread';

function spreadOf(samples: number[]): RttSpread {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length;
  return { samples: samples.length, meanUs: mean, jitterUs: Math.sqrt(variance) };
}

describe('poolRttSpreads', () => {
  it('gives the spread of all samples together, not the mean of the jitters', () => {
    const a = [1000, 1200, 1100];
    const b = [5000, 5400];
    const pooled = poolRttSpreads([spreadOf(a), spreadOf(b)])!;
    const all = spreadOf([...a, ...b]);
    expect(pooled.samples).toBe(5);
    expect(pooled.meanUs).toBeCloseTo(all.meanUs, 6);
    expect(pooled.jitterUs).toBeCloseTo(all.jitterUs, 6);
    // Two steady connections on very different paths: each has little jitter, the edge a lot.
    expect(pooled.jitterUs).toBeGreaterThan(1900);
  });

  it('is undefined without samples and leaves malformed parts out', () => {
    expect(poolRttSpreads([])).toBeUndefined();
    expect(poolRttSpreads([undefined, null, { samples: 0, meanUs: 5, jitterUs: 1 }])).toBeUndefined();
    const one = spreadOf([300, 500]);
    expect(
      poolRttSpreads([one, { samples: 3, meanUs: Number.NaN, jitterUs: 1 }, { samples: 2, meanUs: 1, jitterUs: -1 }])
    ).toEqual(one);
  });

  it('never goes negative when every sample is the same', () => {
    expect(poolRttSpreads([spreadOf([1e9 + 0.1, 1e9 + 0.1]), spreadOf([1e9 + 0.1])])!.jitterUs).toBeGreaterThanOrEqual(
      0
    );
  });

  it("reads a flow report's RTT samples, average and jitter", () => {
    expect(
      rttSpreadOf({ retransmits: 0, zeroWindow: 0, lifecycle: 0, rttSamples: 4, rttAvgUs: 900, rttJitterUs: 30 })
    ).toEqual({
      samples: 4,
      meanUs: 900,
      jitterUs: 30,
    });
    expect(rttSpreadOf({ retransmits: 0, zeroWindow: 0, lifecycle: 0, rttAvgUs: 900 })).toBeUndefined();
    expect(rttSpreadOf(undefined)).toBeUndefined();
  });
});
