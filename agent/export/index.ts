/**
 * Durable export of NetworkEvents.
 *
 * - `LokiExporter`: POST /loki/api/v1/push (JSON; labels {service_name, kind, namespace, verdict}; the event as the
 *   line; pod, src_ip, dst_ip, trace_id, node as structured metadata), batched by size and time, retried with
 *   exponential backoff and jitter on 429/5xx/network errors, tenant (X-Scope-OrgID) and bearer/basic auth,
 *   through a bounded buffer in memory or in `bufferDir` (survives restarts).
 * - `OtlpDropExporter`: drops with a known trace as `network.drop` spans to OTLP/HTTP `/v1/traces` (protobuf).
 * - `ExportMetrics`: prom-client counters of what was sent, retried and shed, and the buffered bytes.
 *
 * `export(event)` never throws and never blocks; what does not fit the bound is counted as shed.
 */
export { LokiExporter } from './lokiExporter';
export type { LokiExporterOptions } from './lokiExporter';
export { OtlpDropExporter } from './otlpDropExporter';
export type { OtlpDropExporterOptions } from './otlpDropExporter';
export { ExportMetrics } from './exportMetrics';
export type { ShedReason } from './exportMetrics';
export type { BatchPusherCounters } from './batchPusher';
export { DEFAULT_EXPORT_SELECTION, isExported } from './exportFilter';
export type { ExportSelection } from './exportFilter';
export { lokiEntry, lokiLabels, lokiMetadata, lokiPushBody } from './lokiEntry';
export { dropSpan, DROP_SPAN_NAME } from './dropSpan';
export type { DropSpan } from './dropSpan';
