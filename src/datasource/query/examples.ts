import type { WiretraceQueryModel } from '../../../model/query';

export interface QueryExample {
  title: string;
  explanation: string;
  query: WiretraceQueryModel;
}

// The cheat sheet: one example per question an on-call engineer asks.
export const QUERY_EXAMPLES: QueryExample[] = [
  {
    title: 'Which requests did a NetworkPolicy drop?',
    explanation: 'Drops in a namespace, each with the policy explanation and a link to Investigate.',
    query: { queryType: 'drops', namespace: '$namespace', limit: 500 },
  },
  {
    title: 'Drop rate by policy (alertable)',
    explanation: 'One series per policy; use it in an alert rule.',
    query: { queryType: 'drops', asTimeSeries: true, groupBy: 'policy' },
  },
  {
    title: 'Was it the network? (one trace)',
    explanation: 'The trace with every drop, reset and retransmit on its spans’ connections.',
    query: { queryType: 'traceNetwork', traceId: '$traceId', slackMs: 500 },
  },
  {
    title: 'Who talks to whom',
    explanation: 'Node graph of observed traffic; edges red where drops or errors happened.',
    query: { queryType: 'topology', namespace: '$namespace' },
  },
  {
    title: 'Failed DNS lookups',
    explanation: 'NXDOMAIN, SERVFAIL and unanswered queries.',
    query: { queryType: 'dns', search: 'NXDOMAIN', limit: 200 },
  },
  {
    title: 'Retransmits and RTT by service pair',
    explanation: 'TCP health of each connection pair as time series.',
    query: { queryType: 'tcpHealth', asTimeSeries: true },
  },
  {
    title: 'Logs of a trace',
    explanation: 'Application logs carrying the trace id, in time order.',
    query: { queryType: 'logs', traceId: '$traceId' },
  },
];
