import type { QueryType } from '../../../model/query';

// The filters each query type reads; the editor shows exactly these.
export type QueryField =
  | 'namespace'
  | 'pod'
  | 'service'
  | 'policy'
  | 'traceId'
  | 'search'
  | 'kinds'
  | 'limit'
  | 'slackMs'
  | 'asTimeSeries'
  | 'groupBy';

export const QUERY_FIELDS: Record<QueryType, readonly QueryField[]> = {
  drops: ['namespace', 'pod', 'service', 'policy', 'traceId', 'slackMs', 'asTimeSeries', 'groupBy', 'limit'],
  traceNetwork: ['traceId', 'slackMs', 'limit'],
  topology: ['namespace', 'service'],
  flows: ['namespace', 'pod', 'service', 'policy', 'traceId', 'kinds', 'search', 'limit'],
  tcpHealth: ['namespace', 'pod', 'service', 'asTimeSeries', 'limit'],
  dns: ['namespace', 'pod', 'search', 'limit'],
  logs: ['namespace', 'pod', 'traceId', 'search', 'limit'],
  signals: ['namespace', 'pod', 'search', 'limit'],
};

export const QUERY_TYPE_LABELS: Record<QueryType, { label: string; description: string }> = {
  drops: { label: 'Drops', description: 'Dropped and denied connections with the policy that explains them' },
  traceNetwork: { label: 'Trace network', description: 'A trace with the network events on its spans' },
  topology: { label: 'Topology', description: 'Observed traffic as a node graph' },
  flows: { label: 'Flows', description: 'Connections, drops, DNS and HTTP exchanges' },
  tcpHealth: { label: 'TCP health', description: 'Retransmits, RTT and resets by service pair' },
  dns: { label: 'DNS', description: 'DNS queries, failures and latency' },
  logs: { label: 'Logs', description: 'Application logs joined by trace id or pod and time' },
  signals: {
    label: 'Security signals',
    description: 'Connections to suspicious ports, outside the cluster or on blocklists',
  },
};

export const EVENT_KINDS = ['flow', 'drop', 'reset', 'dns', 'http', 'tls', 'signal'] as const;

export function hasField(queryType: QueryType, field: QueryField): boolean {
  return QUERY_FIELDS[queryType].includes(field);
}
