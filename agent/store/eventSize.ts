// A cheap estimate of what one event costs in memory, so the store's cap is in bytes without serialising every event.

const OBJECT_OVERHEAD = 64;
const STRING_OVERHEAD = 24;

function endpointBytes(e: {
  ip: string;
  pod?: string;
  namespace?: string;
  service?: string;
  labels?: Record<string, string>;
}): number {
  let bytes = OBJECT_OVERHEAD + STRING_OVERHEAD + e.ip.length;
  for (const s of [e.pod, e.namespace, e.service]) {
    if (s) {
      bytes += STRING_OVERHEAD + s.length;
    }
  }
  if (e.labels) {
    for (const [k, v] of Object.entries(e.labels)) {
      bytes += 2 * STRING_OVERHEAD + k.length + v.length;
    }
  }
  return bytes;
}

function recordBytes(r: Record<string, string> | undefined): number {
  if (!r) {
    return 0;
  }
  let bytes = OBJECT_OVERHEAD;
  for (const key in r) {
    bytes += 2 * STRING_OVERHEAD + key.length + r[key].length;
  }
  return bytes;
}

export function estimateEventBytes(event: import('../../model/events').NetworkEvent): number {
  let bytes = 2 * OBJECT_OVERHEAD + endpointBytes(event.src) + endpointBytes(event.dst);
  if (event.flow) {
    bytes += 4 * OBJECT_OVERHEAD;
  }
  if (event.drop) {
    bytes += OBJECT_OVERHEAD + event.drop.reason.length + (event.drop.policy ? 1024 : 0);
  }
  if (event.dns) {
    bytes +=
      OBJECT_OVERHEAD + event.dns.query.length + event.dns.answers.reduce((n, a) => n + STRING_OVERHEAD + a.length, 0);
  }
  if (event.http) {
    const h = event.http;
    bytes += OBJECT_OVERHEAD + h.path.length + (h.host?.length ?? 0);
    bytes += recordBytes(h.requestHeaders) + recordBytes(h.responseHeaders);
    bytes += (h.requestBody?.length ?? 0) + (h.responseBody?.length ?? 0);
  }
  if (event.traceId) {
    bytes += 2 * STRING_OVERHEAD + 48;
  }
  return bytes;
}
