// TraceQL metrics instant queries (/api/metrics/query): one value per label set over the whole range.
import type { TimeRange } from '../datasource/types';
import type { UpstreamClient } from './http';
import { secondsRange } from './tempo';
import { otlpAttributes } from './tempoOtlpValues';
import type { Attributes } from './tempoSpan';

export interface InstantSeries {
  labels: Attributes;
  value: number;
}

export async function traceQLInstant(
  http: UpstreamClient,
  traceQL: string,
  range: TimeRange,
  signal?: AbortSignal
): Promise<InstantSeries[]> {
  const body = await http.getJson<unknown>('/api/metrics/query', {
    query: { q: traceQL, ...secondsRange(range) },
    signal,
  });
  return parseInstantSeries(body);
}

export function parseInstantSeries(body: unknown): InstantSeries[] {
  const series = (body as { series?: unknown } | null)?.series;
  if (!Array.isArray(series)) {
    return [];
  }
  const out: InstantSeries[] = [];
  for (const s of series as Array<{ labels?: unknown; value?: unknown }>) {
    const value = typeof s?.value === 'number' ? s.value : Number(s?.value);
    if (Number.isFinite(value)) {
      out.push({ labels: otlpAttributes(s.labels), value });
    }
  }
  return out;
}
