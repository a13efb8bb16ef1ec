// The frontend service of the scenario, run inside its pod's namespace: an ordinary Node program instrumented with
// the OpenTelemetry SDK's HTTP instrumentation, exporting OTLP. Every CLIENT span (its timing, status, attributes)
// comes from the instrumentation around the real request; the program only opens a "checkout" span around its calls.
// Usage: node instrumentedCheckout.cjs <plan.json>; prints one JSON line with the outcome of each call.
'use strict';
// Stable HTTP semantic conventions (server.address, url.full, network.peer.address), as current services emit.
process.env.OTEL_SEMCONV_STABILITY_OPT_IN = 'http';
const { readFileSync } = require('node:fs');
const { SpanKind, SpanStatusCode, trace } = require('@opentelemetry/api');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BatchSpanProcessor, NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
const { BatchLogRecordProcessor, LoggerProvider } = require('@opentelemetry/sdk-logs');
const { SeverityNumber } = require('@opentelemetry/api-logs');

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes(plan.resource),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: plan.otlpTracesUrl }))],
});
provider.register();
// Application logs go out through the OpenTelemetry logs SDK, which stamps each record with the active span's trace.
const logs = new LoggerProvider({
  resource: resourceFromAttributes(plan.resource),
  processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: plan.otlpLogsUrl }) })],
});
const logger = logs.getLogger('shop-frontend');
// Enabled on construction, with the provider registered above.
new HttpInstrumentation();
// Loaded after the instrumentation is registered, as an instrumented service loads it.
const http = require('node:http');

function call(request) {
  return new Promise((resolve) => {
    // The client's own connect/idle timeout: the call fails as an application's would. Given as the `timeout` option
    // it covers the connect too (req.setTimeout starts only once the socket has connected).
    const req = http.request(request.url, { method: request.method, agent: false, timeout: request.timeoutMs });
    const startMs = Date.now();
    req.on('timeout', () => {
      const err = new Error(`connect ETIMEDOUT ${new URL(request.url).host}`);
      err.code = 'ETIMEDOUT';
      req.destroy(err);
    });
    const traceparent = String(req.getHeader('traceparent') ?? '');
    const [, traceId, spanId] = traceparent.split('-');
    const done = (outcome) => resolve({ ...request, traceId, spanId, startMs, endMs: Date.now(), ...outcome });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode }));
    });
    req.on('error', (err) => done({ error: err.code ?? err.message, message: err.message }));
    req.end();
  });
}

async function main() {
  const tracer = trace.getTracer('shop-frontend');
  const results = [];
  for (const checkout of plan.checkouts) {
    await tracer.startActiveSpan(checkout.name, { kind: SpanKind.INTERNAL }, async (span) => {
      logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `${checkout.name} started` });
      for (const request of checkout.requests) {
        const result = await call(request);
        results.push({ checkout: checkout.name, ...result });
        if (result.error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.message });
          logger.emit({
            severityNumber: SeverityNumber.ERROR,
            severityText: 'ERROR',
            body: `${checkout.name} failed: ${request.method} ${request.url}: ${result.message}`,
          });
          break;
        }
      }
      span.end();
    });
  }
  // A collector that is down (the outage checks stop Jaeger) must not keep the program waiting on retries: each
  // flush gets a bounded wait, as a service's shutdown hook would give it, and what it could not send is lost.
  await settle(logs.forceFlush(), FLUSH_WAIT_MS);
  await settle(provider.forceFlush(), FLUSH_WAIT_MS);
  process.stdout.write(JSON.stringify(results) + '\n');
  process.exit(0);
}

const FLUSH_WAIT_MS = 10_000;

function settle(promise, ms) {
  return Promise.race([promise.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
