// Which Grafana datasource opens the traces of the configured trace store (Tempo or Jaeger), and its trace-id query.
import type { TraceStoreKind, WiretraceJsonData } from '../../model/settings';

export interface TraceStoreLink {
  kind: TraceStoreKind;
  // "Tempo" or "Jaeger", for button labels.
  name: string;
  // The Grafana datasource to open traces in; absent when none was picked in the config editor.
  uid?: string;
}

export function traceStoreLink(jsonData: WiretraceJsonData | undefined): TraceStoreLink {
  if (jsonData?.traceStore === 'jaeger') {
    return { kind: 'jaeger', name: 'Jaeger', uid: jsonData.jaeger?.datasourceUid };
  }
  return { kind: 'tempo', name: 'Tempo', uid: jsonData?.tempo?.datasourceUid };
}

// Tempo looks a trace up with a TraceQL query of its id; Grafana's Jaeger datasource does when queryType is unset.
export function traceIdQuery(kind: TraceStoreKind, traceId: string): Record<string, unknown> {
  return kind === 'jaeger' ? { query: traceId } : { queryType: 'traceql', query: traceId };
}
