// RTT jitter over many connections: each one's samples (count, mean, standard deviation) pooled into the standard
// deviation of all their samples together, so edges and service pairs merge exactly instead of averaging jitters.
import type { TcpHealth } from './events';

export interface RttSpread {
  samples: number;
  meanUs: number;
  // Population standard deviation of the samples, as each connection reports it.
  jitterUs: number;
}

// A connection's spread, when its flow report has RTT samples.
export function rttSpreadOf(tcp: TcpHealth | undefined): RttSpread | undefined {
  if (!tcp?.rttSamples || tcp.rttAvgUs === undefined || tcp.rttJitterUs === undefined) {
    return undefined;
  }
  return { samples: tcp.rttSamples, meanUs: tcp.rttAvgUs, jitterUs: tcp.rttJitterUs };
}

// Undefined when no part has samples; malformed parts (not finite, negative) are left out.
export function poolRttSpreads(parts: Iterable<RttSpread | undefined | null>): RttSpread | undefined {
  let n = 0;
  let sum = 0;
  let sumSquares = 0;
  for (const p of parts) {
    if (!p || !(p.samples > 0) || !Number.isFinite(p.meanUs) || !(p.jitterUs >= 0) || !Number.isFinite(p.jitterUs)) {
      continue;
    }
    n += p.samples;
    sum += p.samples * p.meanUs;
    // Each part's sum of squares: n·(σ² + μ²).
    sumSquares += p.samples * (p.jitterUs * p.jitterUs + p.meanUs * p.meanUs);
  }
  if (n === 0) {
    return undefined;
  }
  const mean = sum / n;
  // Rounding can leave a tiny negative variance when every sample is equal.
  const variance = Math.max(0, sumSquares / n - mean * mean);
  return { samples: n, meanUs: mean, jitterUs: Math.sqrt(variance) };
}
