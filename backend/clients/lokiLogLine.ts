// One log entry as the Loki (or VictoriaLogs) client returns it: both time forms, labels split by where Loki keeps them.

export interface LogLine {
  // Nanoseconds since the epoch, exactly as Loki sent it (keeps the ordering Loki uses).
  timeNs: string;
  timeUs: number;
  line: string;
  // Stream labels (indexed).
  labels: Record<string, string>;
  structuredMetadata: Record<string, string>;
  // Labels a parser stage (| json, | logfmt) extracted at query time.
  parsed: Record<string, string>;
  // Normalised 32-hex trace id from structured metadata, a parsed label, or the JSON line.
  traceId?: string;
}

export function logPod(line: LogLine): { namespace?: string; pod?: string } {
  const pick = (...keys: string[]) => {
    for (const key of keys) {
      const value = line.labels[key] ?? line.structuredMetadata[key] ?? line.parsed[key];
      if (value) {
        return value;
      }
    }
    return undefined;
  };
  return {
    namespace: pick('namespace', 'k8s_namespace_name', 'namespace_name', 'k8s.namespace.name'),
    pod: pick('pod', 'k8s_pod_name', 'pod_name', 'k8s.pod.name'),
  };
}
