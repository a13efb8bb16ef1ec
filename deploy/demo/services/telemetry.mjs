// OpenTelemetry tracing for a demo service: OTLP/HTTP to Tempo, resource attributes the Wiretrace join reads.
import { networkInterfaces, hostname } from 'node:os';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

// The container's own address: without Kubernetes, the join matches drops to spans by pod IP.
export function podIp() {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) {
        return a.address;
      }
    }
  }
  return '127.0.0.1';
}

export function startTracing(serviceName, namespace) {
  const resource = resourceFromAttributes({
    'service.name': serviceName,
    'service.namespace': namespace,
    'k8s.namespace.name': namespace,
    'k8s.pod.name': hostname(),
    'k8s.pod.ip': podIp(),
  });
  const exporter = new OTLPTraceExporter({
    url: `${process.env.OTLP_ENDPOINT ?? 'http://tempo:4318'}/v1/traces`,
  });
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { tracer: trace.getTracer(serviceName), shutdown: () => provider.shutdown() };
}

// traceparent in and out of plain node:http requests.
export function extractContext(headers) {
  return propagation.extract(context.active(), headers);
}

export function injectContext(ctx, headers) {
  propagation.inject(ctx, headers);
  return headers;
}
