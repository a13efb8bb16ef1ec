// What the harness did, so tests can check the agent found exactly that.

export interface PodRecord {
  name: string;
  namespace: string;
  ip: string;
  // The network namespace the pod runs in.
  netns: string;
  // Which bridge: the captured local pod network, or the routed remote one behind the node.
  network: 'local' | 'remote';
}

export interface HttpExchangeRecord {
  client: string;
  server: string;
  serverIp: string;
  serverPort: number;
  srcPort?: number;
  method: string;
  path: string;
  status?: number;
  error?: string;
  traceId: string;
  spanId: string;
  // Which propagation header carried it.
  propagation: 'traceparent' | 'b3' | 'uber-trace-id';
  startUs: number;
  endUs: number;
}

export interface ConnectFailureRecord {
  client: string;
  clientIp: string;
  srcPort?: number;
  server: string;
  serverIp: string;
  serverPort: number;
  // The iptables target that caused it.
  rule: 'DROP' | 'REJECT tcp-reset';
  error: string;
  startUs: number;
  endUs: number;
}

export interface DnsLookupRecord {
  client: string;
  server: string;
  serverIp: string;
  name: string;
  qtype: 'A';
  // NOERROR with answers, or NXDOMAIN.
  rcode: string;
  answers: string[];
}

export interface LossPathRecord {
  client: string;
  server: string;
  serverIp: string;
  serverPort: number;
  probability: number;
  requests: number;
  completed: number;
}

export interface HarnessManifest {
  runId: string;
  captureFile?: string;
  // A Kubernetes List of the pods, for the agent's --cluster.
  clusterFile?: string;
  pods: PodRecord[];
  exchanges: HttpExchangeRecord[];
  drops: ConnectFailureRecord[];
  resets: ConnectFailureRecord[];
  dns: DnsLookupRecord[];
  lossPaths: LossPathRecord[];
}
