import type { Span } from '../tempoSpan';
import { clientSpanSelection, jaegerSearches } from './jaegerSearch';

const range = { fromMs: 1_000, toMs: 2_000 };

function span(patch: Partial<Span> = {}): Span {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: '00f067aa0ba902b7',
    name: 'POST',
    kind: 'client',
    startUs: 1_000_000,
    endUs: 1_500_000,
    status: { code: 'error', message: 'connect ETIMEDOUT' },
    service: 'frontend',
    resource: { 'service.name': 'frontend', 'k8s.pod.name': 'frontend-1', 'k8s.namespace.name': 'shop', host: 'n1' },
    attributes: { 'server.address': 'payments', 'server.port': 8443, 'http.request.method': 'POST' },
    events: [{ timeUs: 1_500_000, name: 'exception', attributes: {} }],
    ...patch,
  };
}

describe('jaegerSearches', () => {
  it('asks once per pod, since an attribute map is a conjunction', () => {
    const searches = jaegerSearches({ pods: ['b', 'a', 'b'], namespace: 'shop', range, limit: 50 });
    expect(searches).toEqual([
      {
        serviceName: undefined,
        startTimeMinMs: 1_000,
        startTimeMaxMs: 2_000,
        // Two searches share the limit, each asking at least 20 traces.
        searchDepth: 25,
        attributes: { 'k8s.namespace.name': 'shop', 'k8s.pod.name': 'a' },
      },
      expect.objectContaining({ attributes: { 'k8s.namespace.name': 'shop', 'k8s.pod.name': 'b' } }),
    ]);
  });

  it('falls back to namespaces, then to one unfiltered search with the service', () => {
    expect(jaegerSearches({ namespaces: ['shop'], range, limit: 5 }).map((s) => s.attributes)).toEqual([
      { 'k8s.namespace.name': 'shop' },
    ]);
    const [only] = jaegerSearches({ service: 'frontend', range, limit: 5 });
    expect(only.serviceName).toBe('frontend');
    expect(only.attributes).toBeUndefined();
  });
});

describe('clientSpanSelection', () => {
  it('keeps client spans of the asked pods with errors only by default', () => {
    const select = clientSpanSelection({ pods: ['frontend-1'], range, limit: 5 });
    expect(select.accepts(span())).toBe(true);
    expect(select.accepts(span({ kind: 'server' }))).toBe(false);
    expect(select.accepts(span({ status: { code: 'ok' } }))).toBe(false);
    expect(select.accepts(span({ resource: { 'k8s.pod.name': 'other' } }))).toBe(false);
    expect(clientSpanSelection({ range, limit: 5, errorsOnly: false }).accepts(span({ status: { code: 'ok' } }))).toBe(
      true
    );
  });

  it('trims to the attributes the join reads, as Tempo search returns them', () => {
    const trimmed = clientSpanSelection({ range, limit: 5 }).trim(span());
    expect(trimmed.resource).toEqual({
      'service.name': 'frontend',
      'k8s.pod.name': 'frontend-1',
      'k8s.namespace.name': 'shop',
    });
    expect(trimmed.attributes).toEqual({ 'server.address': 'payments', 'server.port': 8443 });
    expect(trimmed.events).toEqual([]);
  });
});
