// The backend's own Prometheus metrics, served to Grafana through Diagnostics/CollectMetrics.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUERY_TYPES } from '../../model/query';
import { RESOURCE_ROUTES } from '../resources/routes';
import type { ErrorSource } from './types';

export type Endpoint = 'queryData' | 'checkHealth' | 'callResource';

// Every label value comes from a closed set: a label per raw request value would grow memory without bound.
const KNOWN_TARGETS: ReadonlySet<string> = new Set<string>(['', ...QUERY_TYPES, ...RESOURCE_ROUTES]);

export function targetLabel(value: string): string {
  return KNOWN_TARGETS.has(value) ? value : 'unknown';
}

function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : 'other';
}

export class BackendMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'wiretrace_backend_requests_total',
    help: 'Requests handled, by endpoint, query type and HTTP-like status.',
    labelNames: ['endpoint', 'query_type', 'status'] as const,
    registers: [this.registry],
  });

  readonly duration = new Histogram({
    name: 'wiretrace_backend_request_duration_seconds',
    help: 'Time to answer a request, by endpoint and query type.',
    labelNames: ['endpoint', 'query_type'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'wiretrace_backend_query_errors_total',
    help: 'Queries answered with an error, by query type and error source (plugin or downstream).',
    labelNames: ['query_type', 'source'] as const,
    registers: [this.registry],
  });

  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) {
      collectDefaultMetrics({ register: this.registry, prefix: 'wiretrace_backend_' });
    }
  }

  // target is a query type or a resource route; anything else is counted as "unknown".
  observe(endpoint: Endpoint, target: string, status: number, seconds: number): void {
    const queryType = targetLabel(target);
    this.requests.inc({ endpoint, query_type: queryType, status: statusLabel(status) });
    this.duration.observe({ endpoint, query_type: queryType }, seconds);
  }

  queryFailed(queryType: string, source: ErrorSource): void {
    this.errors.inc({ query_type: targetLabel(queryType), source: source === 'downstream' ? source : 'plugin' });
  }

  async prometheusText(): Promise<string> {
    return this.registry.metrics();
  }
}
