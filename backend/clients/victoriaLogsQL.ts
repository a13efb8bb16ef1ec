// LogsQL (VictoriaLogs' query language) built from query filters, values quoted, for both label conventions:
// OpenTelemetry's resource attributes (k8s.pod.name) and promtail/Loki-push labels (pod, namespace, service_name).
import { AGENT_EVENTS_SERVICE_NAME } from '../../model/eventStreams';

// A LogsQL quoted string: JSON's escaping is LogsQL's.
export function logsQLString(value: string): string {
  return JSON.stringify(value);
}

function anyOf(fields: string[], values: string[]): string {
  const list = values.map(logsQLString).join(',');
  return `(${fields.map((f) => `${f}:in(${list})`).join(' OR ')})`;
}

// Every application entry, but not the agents' own durable events.
export const APP_ENTRIES = `-service_name:=${JSON.stringify(AGENT_EVENTS_SERVICE_NAME)}`;

export function traceLogsQL(traceId: string): string {
  return `${APP_ENTRIES} (trace_id:=${logsQLString(traceId)} OR ${logsQLString(traceId)})`;
}

export function podsLogsQL(pods: string[]): string {
  return `${APP_ENTRIES} ${anyOf(['k8s.pod.name', 'pod'], pods)}`;
}

export interface PodLogsFilter {
  namespace?: string;
  pod?: string;
  service?: string;
  search?: string;
}

export function podFilterLogsQL(filter: PodLogsFilter): string {
  const parts = [APP_ENTRIES];
  if (filter.service) {
    parts.push(anyOf(['service.name', 'service_name'], [filter.service]));
  }
  if (filter.namespace) {
    parts.push(anyOf(['k8s.namespace.name', 'namespace'], [filter.namespace]));
  }
  if (filter.pod) {
    parts.push(anyOf(['k8s.pod.name', 'pod'], [filter.pod]));
  }
  if (filter.search) {
    // A case-insensitive substring of the message, as the Loki path's |~ "(?i)…".
    parts.push(`_msg:~${logsQLString(`(?i)${filter.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)}`);
  }
  return parts.join(' ');
}
