// Agent, Tempo and Loki served over loopback from a process of their own, answering what each request asks: the
// agent its kind, range, namespace, pod and limit; Tempo its TraceQL pod/namespace/status filters, range, limit
// and spans per span set; Loki its stream selector, pod matchers and line filters, range, limit and direction.
// Every exchange is timed from arrival to its last byte; a control endpoint hands out the union of those
// intervals since it was last asked (the upstreams' own share of a query) and times JSON.parse of the bodies.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObservabilityData, BenchLogLine } from './observabilityData';

type Answer = (url: URL) => string;

interface Exchange {
  start: number;
  end: number;
}

export interface UpstreamUrls {
  agent: string;
  tempo: string;
  loki: string;
  control: string;
}

export async function serveUpstreams(data: ObservabilityData): Promise<UpstreamUrls> {
  let exchanges: Exchange[] = [];
  let bodies: string[] = [];
  let lastBodies: string[] = [];
  const cache = new Map<string, string>();
  const serve = (answer: Answer) => (req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now();
    const url = new URL(req.url ?? '/', 'http://upstream');
    let body = cache.get(req.url ?? '');
    if (body === undefined) {
      body = answer(url);
      cache.set(req.url ?? '', body);
    }
    bodies.push(body);
    res.on('finish', () => exchanges.push({ start, end: performance.now() }));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const control = (req: IncomingMessage, res: ServerResponse) => {
    let body: string;
    if (req.url === '/take') {
      body = JSON.stringify({ upstreamMs: unionMs(exchanges), requests: exchanges.length });
      exchanges = [];
      lastBodies = bodies;
      bodies = [];
    } else {
      body = JSON.stringify(floorOf(lastBodies));
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  };
  const [agent, tempo, loki, ctl] = await Promise.all([
    listen(serve((url) => agentAnswer(data, url))),
    listen(serve((url) => tempoAnswer(data, url))),
    listen(serve((url) => lokiAnswer(data, url))),
    listen(control),
  ]);
  return { agent, tempo, loki, control: ctl };
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function unionMs(exchanges: Exchange[]): number {
  const sorted = [...exchanges].sort((a, b) => a.start - b.start);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const e of sorted) {
    if (e.start > to) {
      total += to - from > 0 ? to - from : 0;
      from = e.start;
      to = e.end;
    } else {
      to = Math.max(to, e.end);
    }
  }
  return total + (to - from > 0 ? to - from : 0);
}

// The floor: JSON.parse of one query's upstream bodies, median of several runs, with their size.
function floorOf(bodies: string[]): { parseMs: number; bytes: number; bodies: number } {
  const times: number[] = [];
  for (let run = 0; run < 15; run++) {
    const started = performance.now();
    for (const body of bodies) {
      JSON.parse(body);
    }
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
  return { parseMs: times[Math.floor(times.length / 2)], bytes, bodies: bodies.length };
}

function agentAnswer(data: ObservabilityData, url: URL): string {
  const q = url.searchParams;
  const kinds = q.get('kind')?.split(',');
  const fromUs = Number(BigInt(q.get('from') ?? '0') / 1000n);
  const toUs = Number(BigInt(q.get('to') ?? `${Number.MAX_SAFE_INTEGER}`) / 1000n);
  const namespace = q.get('namespace');
  const pod = q.get('pod');
  const limit = Number(q.get('limit') ?? Infinity);
  const events = data.drops.filter(
    (e) =>
      (!kinds || kinds.includes(e.kind)) &&
      e.time >= fromUs &&
      e.time <= toUs &&
      (!namespace || e.src.namespace === namespace || e.dst.namespace === namespace) &&
      (!pod || e.src.pod === pod || e.dst.pod === pod)
  );
  return JSON.stringify({ node: 'bench', events: events.slice(0, limit), truncated: events.length > limit });
}

// A TraceQL string condition `attr =~ "regex"` or `attr = "value"` as a test, or undefined when absent.
function traceQLCondition(q: string, attribute: string): ((v: string) => boolean) | undefined {
  const m = new RegExp(`${attribute.replace(/\./g, '\\.')} (=~|=) ("(?:[^"\\\\]|\\\\.)*")`).exec(q);
  if (!m) {
    return undefined;
  }
  const value = JSON.parse(m[2]) as string;
  if (m[1] === '=') {
    return (v) => v === value;
  }
  const re = new RegExp(`^(?:${value})$`);
  return (v) => re.test(v);
}

function tempoAnswer(data: ObservabilityData, url: URL): string {
  const q = url.searchParams.get('q') ?? '';
  const startUs = Number(url.searchParams.get('start') ?? 0) * 1e6;
  const endUs = Number(url.searchParams.get('end') ?? Infinity) * 1e6;
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const spss = Number(url.searchParams.get('spss') ?? 3);
  const pod = traceQLCondition(q, 'resource.k8s.pod.name');
  const namespace = traceQLCondition(q, 'resource.k8s.namespace.name');
  // Every bench span is a CLIENT span with status error, so `kind = client && status = error` keeps them all.
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const traces = new Map<string, { traceID: string; spans: object[]; start: number; matched: number }>();
  for (const s of data.spans) {
    if (s.startUs < startUs || s.startUs > endUs || (pod && !pod(s.pod)) || (namespace && !namespace(s.namespace))) {
      continue;
    }
    let trace = traces.get(s.traceId);
    if (!trace) {
      if (traces.size >= limit) {
        continue;
      }
      trace = { traceID: s.traceId, spans: [], start: s.startUs, matched: 0 };
      traces.set(s.traceId, trace);
    }
    trace.matched++;
    if (trace.spans.length < spss) {
      trace.spans.push({
        spanID: s.spanId,
        name: 'POST',
        startTimeUnixNano: `${s.startUs}000`,
        durationNanos: `${s.durationUs}000`,
        attributes: [
          str('kind', 'client'),
          str('status', 'error'),
          str('statusMessage', 'connect ETIMEDOUT'),
          str('k8s.pod.name', s.pod),
          str('k8s.namespace.name', s.namespace),
          str('service.name', 'frontend'),
          str('server.address', s.serverAddress),
          { key: 'server.port', value: { intValue: '8443' } },
        ],
      });
    }
  }
  const out = [...traces.values()].map((t) => ({
    traceID: t.traceID,
    rootServiceName: 'frontend',
    startTimeUnixNano: `${t.start}000`,
    durationMs: 10,
    spanSets: [{ spans: t.spans, matched: t.matched }],
  }));
  return JSON.stringify({ traces: out, metrics: { inspectedTraces: out.length } });
}

function lokiAnswer(data: ObservabilityData, url: URL): string {
  const q = url.searchParams.get('query') ?? '';
  const startNs = BigInt(url.searchParams.get('start') ?? '0');
  const endNs = BigInt(url.searchParams.get('end') ?? `${2n ** 62n}`);
  const limit = Number(url.searchParams.get('limit') ?? 100);
  const forward = url.searchParams.get('direction') === 'forward';
  let source: BenchLogLine[];
  let keep: (l: BenchLogLine) => boolean;
  if (q.startsWith('{service_name="wiretrace-agent"')) {
    const kinds = /kind=~"([^"]*)"/.exec(q)?.[1];
    const kindRe = kinds ? new RegExp(`^(?:${kinds})$`) : undefined;
    const needles = [...q.matchAll(/\|= ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
    source = data.eventLines;
    keep = (l) => (!kindRe || kindRe.test(l.labels.kind)) && needles.every((n) => l.line.includes(n));
  } else {
    const podRe = /pod=~("(?:[^"\\]|\\.)*")/.exec(q);
    const re = podRe ? new RegExp(`^(?:${JSON.parse(podRe[1]) as string})$`) : undefined;
    source = data.appLogs;
    keep = (l) => !re || re.test(l.labels.pod);
  }
  const inRange = source.filter((l) => l.timeNs >= startNs && l.timeNs < endNs && keep(l));
  const picked = (forward ? inRange : inRange.reverse()).slice(0, limit);
  const streams = new Map<string, { stream: Record<string, string>; values: string[][] }>();
  for (const l of picked) {
    const key = JSON.stringify(l.labels);
    let s = streams.get(key);
    if (!s) {
      s = { stream: l.labels, values: [] };
      streams.set(key, s);
    }
    s.values.push([l.timeNs.toString(), l.line]);
  }
  return JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [...streams.values()] } });
}
