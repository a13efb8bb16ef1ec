// Hubble's L7 records (Cilium proxy access logs) as Wiretrace http and dns details.
import { dnsRcodeName } from '../../../model/dnsRcode';
import type { DnsDetails, HttpDetails } from '../../../model/events';
import { normalizeSpanId, normalizeTraceId } from '../../../model/traceId';
import type { HubbleDns, HubbleHttp, HubbleLayer7 } from './flowTypes';

export const DEFAULT_REDACTED_HEADERS = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'];

export function latencyUs(l7: HubbleLayer7): number | undefined {
  if (!l7.latency_ns) {
    return undefined;
  }
  const ns = Number(l7.latency_ns);
  return Number.isFinite(ns) && ns > 0 ? Math.round(ns / 1000) : undefined;
}

export function dnsDetails(dns: HubbleDns, l7: HubbleLayer7): DnsDetails {
  const answered = l7.type === 'RESPONSE';
  const details: DnsDetails = {
    id: 0,
    query: (dns.query ?? '').replace(/\.$/, ''),
    qtype: dns.qtypes?.[0] ?? '',
    answers: [...(dns.ips ?? []), ...(dns.cnames ?? []).map((c) => c.replace(/\.$/, ''))],
    answered,
  };
  if (answered) {
    details.rcode = dnsRcodeName(dns.rcode ?? 0);
  }
  const latency = latencyUs(l7);
  if (latency !== undefined) {
    details.latencyUs = latency;
  }
  return details;
}

export interface HttpExchange {
  details: HttpDetails;
  traceId?: string;
  spanId?: string;
}

// Query strings often carry tokens: only the path is kept, as the packet pipeline does.
function withoutQuery(target: string): string {
  const q = target.search(/[?#]/);
  return q < 0 ? target : target.slice(0, q);
}

function splitUrl(url: string): { path: string; host?: string } {
  try {
    const parsed = new URL(url);
    return { path: parsed.pathname, host: parsed.host || undefined };
  } catch {
    // Cilium logs absolute URLs; a bare path is kept as it is.
    return { path: withoutQuery(url) };
  }
}

// W3C traceparent: version-traceid-parentid-flags.
function fromTraceparent(value: string | undefined): { traceId?: string; spanId?: string } {
  const parts = value?.trim().split('-');
  if (!parts || parts.length < 4) {
    return {};
  }
  return { traceId: normalizeTraceId(parts[1]), spanId: normalizeSpanId(parts[2]) };
}

export function httpExchange(http: HubbleHttp, l7: HubbleLayer7, redact: readonly string[]): HttpExchange {
  const headers: Record<string, string> = {};
  for (const h of http.headers ?? []) {
    if (!h.key) {
      continue;
    }
    const key = h.key.toLowerCase();
    headers[key] = redact.includes(key) ? '[redacted]' : (h.value ?? '');
  }
  const { path, host } = splitUrl(http.url ?? '');
  const details: HttpDetails = {
    method: http.method ?? '',
    path,
    requestHeaders: headers,
  };
  if (host ?? headers.host) {
    details.host = host ?? headers.host;
  }
  if (l7.type === 'RESPONSE' && http.code) {
    details.status = http.code;
  }
  const latency = latencyUs(l7);
  if (latency !== undefined) {
    details.latencyUs = latency;
  }
  if (http.protocol) {
    details.protocol = http.protocol;
  }
  return { details, ...fromTraceparent(headers.traceparent) };
}
