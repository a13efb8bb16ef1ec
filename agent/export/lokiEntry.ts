/**
 * A NetworkEvent as one Loki entry, per docs/interfaces.md: low-cardinality stream labels
 * {service_name, kind, namespace, verdict}; the event as the JSON line; pod, IPs, trace id and node as structured metadata.
 */
import type { NetworkEvent } from '../../model/events';
import { AGENT_EVENTS_SERVICE_NAME } from '../../model/eventStreams';

export interface LokiEntry {
  // Canonical form of the labels, used to group entries into streams.
  streamKey: string;
  labels: Record<string, string>;
  // Nanoseconds since the epoch, as Loki's JSON push format wants: a decimal string.
  tsNs: string;
  line: string;
  metadata: Record<string, string>;
}

function verdictLabel(event: NetworkEvent): 'dropped' | 'forwarded' | 'error' {
  if (event.kind !== 'drop') {
    return 'forwarded';
  }
  return event.drop?.verdict === 'error' ? 'error' : 'dropped';
}

export function lokiLabels(event: NetworkEvent): Record<string, string> {
  const labels: Record<string, string> = {
    service_name: AGENT_EVENTS_SERVICE_NAME,
    kind: event.kind,
    verdict: verdictLabel(event),
  };
  const namespace = event.dst.namespace ?? event.src.namespace;
  if (namespace) {
    labels.namespace = namespace;
  }
  return labels;
}

export function lokiMetadata(event: NetworkEvent): Record<string, string> {
  const metadata: Record<string, string> = { src_ip: event.src.ip, dst_ip: event.dst.ip };
  // The client's pod when known: the one whose spans and logs the join looks for.
  const pod = event.src.pod ?? event.dst.pod;
  if (pod) {
    metadata.pod = pod;
  }
  if (event.traceId) {
    metadata.trace_id = event.traceId;
  }
  if (event.node) {
    metadata.node = event.node;
  }
  return metadata;
}

export function streamKeyOf(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
}

export function lokiEntry(event: NetworkEvent): LokiEntry {
  const labels = lokiLabels(event);
  return {
    streamKey: streamKeyOf(labels),
    labels,
    tsNs: `${Math.trunc(event.time)}000`,
    line: JSON.stringify(event),
    metadata: lokiMetadata(event),
  };
}

interface LokiPushStream {
  stream: Record<string, string>;
  values: Array<[string, string, Record<string, string>]>;
}

/** The JSON body of POST /loki/api/v1/push: entries grouped by stream, order kept within each stream. */
export function lokiPushBody(entries: readonly LokiEntry[]): { streams: LokiPushStream[] } {
  const streams = new Map<string, LokiPushStream>();
  for (const entry of entries) {
    let stream = streams.get(entry.streamKey);
    if (!stream) {
      stream = { stream: entry.labels, values: [] };
      streams.set(entry.streamKey, stream);
    }
    stream.values.push([entry.tsNs, entry.line, entry.metadata]);
  }
  return { streams: [...streams.values()] };
}
