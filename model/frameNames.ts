// The names of the frames the backend answers with, which the app's pages pick by name: one list for both sides.
export const FRAME = {
  drops: 'drops',
  dropSpanMatches: 'drop_span_matches',
  flows: 'flows',
  networkEvents: 'network_events',
  trace: 'trace',
  traceLogs: 'trace_logs',
  logs: 'logs',
  dnsLookups: 'dns_lookups',
  dnsFailures: 'dns_failures',
  signals: 'signals',
  signalSummary: 'signal_summary',
  tcpHealth: 'tcp_health',
  topologyNodes: 'nodes',
  topologyEdges: 'edges',
} as const;

export type FrameName = (typeof FRAME)[keyof typeof FRAME];

// The endpoint columns of event tables (drops, flows, network events): the pages name pairs and pods from them.
export const ENDPOINT_COLUMN = {
  srcNamespace: 'src_namespace',
  srcPod: 'src_pod',
  srcIp: 'src_ip',
  dstNamespace: 'dst_namespace',
  dstPod: 'dst_pod',
  dstIp: 'dst_ip',
  dstService: 'dst_service',
  // One-column endpoints ("ns/pod", "service:port") of the signals, matches and topology edge frames.
  source: 'source',
  destination: 'destination',
} as const;

// Columns of the drops and drop_span_matches frames that the case view reads by name.
export const DROP_COLUMN = {
  time: 'time',
  endTime: 'endTime',
  verdict: 'verdict',
  attempts: 'attempts',
  confidence: 'confidence',
  dropId: 'drop_id',
  traceId: 'trace_id',
  spanId: 'span_id',
  span: 'span',
  service: 'service',
  statusMessage: 'status_message',
  why: 'why',
  reason: 'reason',
  dstPort: 'dst_port',
  attemptTimes: 'attempt_times',
  policyExplanation: 'policy_explanation',
  explanation: 'explanation',
  suggestions: 'suggestions',
  logCount: 'log_count',
} as const;
