// The one event schema every source (pcap, Hubble, NFLOG, Loki history) decodes into.
// Times are microseconds since the Unix epoch as safe integers; nanosecond strings appear only at the edges.

export type EventKind = 'flow' | 'drop' | 'reset' | 'dns' | 'http' | 'tls' | 'signal';

export type Transport = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6';

export interface Workload {
  kind: string;
  name: string;
}

export interface Endpoint {
  ip: string;
  port?: number;
  pod?: string;
  namespace?: string;
  node?: string;
  workload?: Workload;
  service?: string;
  labels?: Record<string, string>;
}

export type FlowState = 'established' | 'reset' | 'unanswered' | 'half_open' | 'closed' | 'active';

// One direction of a connection, as seen at the capture point.
export interface DirectionCounters {
  bytes: number;
  packets: number;
}

export interface TcpHealth {
  handshakeRttUs?: number;
  rttMinUs?: number;
  rttMaxUs?: number;
  rttAvgUs?: number;
  retransmits: number;
  fastRetransmits?: number;
  outOfOrder?: number;
  zeroWindow: number;
  // Times the sender filled the receiver's whole advertised window.
  windowFull?: number;
  // Lifecycle flags seen: SYN=1, SYN-ACK=2, ACK=4, DATA=8, FIN=16, RST=32.
  lifecycle: number;
  // Which side sent the RST, when one was seen.
  resetBy?: 'client' | 'server';
  // Payload bytes sent, both directions, resends included; goodput is what arrived once (payload minus resent).
  payloadBytes?: number;
  retransmittedBytes?: number;
  goodputBytes?: number;
  // RTT jitter: the standard deviation of the RTT samples, and how many there were.
  rttJitterUs?: number;
  rttSamples?: number;
  // Mean receive window each side advertised, window scaling applied (bytes).
  receiveWindow?: { client?: number; server?: number };
  // Retransmitted share of the packets and its class (0–1 % healthy, 1–5 % degraded, 5 % and more severe).
  retransmitRate?: number;
  health?: TcpHealthClass;
}

export type TcpHealthClass = 'healthy' | 'degraded' | 'severe';

export interface FlowDetails {
  state: FlowState;
  toServer: DirectionCounters;
  toClient: DirectionCounters;
  tcp?: TcpHealth;
  // Application protocol recognised on the connection (http, http2, grpc, tls, dns).
  appProtocol?: string;
}

export type PolicyDirection = 'egress' | 'ingress';

// One rule of a policy selecting the pod, checked against the connection's peer and port.
export interface PolicyRuleCheck {
  policy: string;
  // 1-based; 0 stands for a policy with no rule in this direction (it admits nothing).
  rule: number;
  peers: string;
  ports: string;
  peerMatches: boolean;
  portMatches: boolean;
}

// Verdict of one direction: null where that end is not a pod (no policy can select it).
export interface DirectionVerdict {
  allowed: boolean | null;
  policies: string[];
  reason: string;
  // For a denial carried by a drop: every rule of the selecting policies and what of it did not match.
  rules?: PolicyRuleCheck[];
}

export interface PolicyExplanation {
  allowed: boolean;
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
}

// The smallest NetworkPolicy change that allows a denied flow in one direction, confirmed by re-evaluation.
export interface PolicySuggestion {
  direction: PolicyDirection;
  // create: a new narrow policy; edit: one rule added to an existing policy that already selects the pod.
  change: 'create' | 'edit';
  // namespace/name of the policy created or edited.
  policy: string;
  description: string;
  // The whole NetworkPolicy manifest (apiVersion, kind, metadata, spec), and the same as YAML.
  manifest: Record<string, unknown>;
  yaml: string;
}

export interface DropDetails {
  reason: string;
  verdict: 'dropped' | 'denied' | 'error';
  attempts?: number;
  // When each attempt (a SYN and its retransmissions) was seen, in µs; the first few only.
  attemptTimes?: number[];
  policy?: PolicyExplanation;
  // For a policy denial: the change that would allow this flow without changing any other pod's isolation.
  suggestions?: PolicySuggestion[];
  // Policy names the data source itself named (Hubble's *_denied_by, an NFLOG prefix).
  deniedBy?: string[];
}

export interface DnsDetails {
  id: number;
  query: string;
  qtype: string;
  rcode?: string;
  answers: string[];
  latencyUs?: number;
  answered: boolean;
}

export type ExchangePhaseName = 'dns' | 'connect' | 'tls' | 'request' | 'ttfb' | 'transfer';

// One stretch of an exchange's time, in µs since the epoch: dns (the client's lookup that gave the server address),
// connect (SYN → SYN-ACK), tls (ClientHello → first application data), request (its first → last byte),
// ttfb (request's last byte → response's first byte), transfer (response's first → last byte).
export interface ExchangePhase {
  phase: ExchangePhaseName;
  startUs: number;
  endUs: number;
}

// Where one exchange's time went. A reused connection has a zero-length connect phase (and no dns or tls).
export interface ExchangeTiming {
  reused: boolean;
  phases: ExchangePhase[];
  dnsQuery?: string;
}

export interface HttpDetails {
  method: string;
  path: string;
  host?: string;
  status?: number;
  latencyUs?: number;
  requestHeaders: Record<string, string>;
  responseHeaders?: Record<string, string>;
  requestBody?: string;
  responseBody?: string;
  protocol?: string;
  // A gRPC call (HTTP/2 with content-type application/grpc): the :path split and the status from its trailers.
  grpc?: GrpcDetails;
  // HTTP/2: the stream ended by RST_STREAM (its error code name) or by the server's GOAWAY before it was processed.
  streamError?: string;
  // Set on an exchange seen only as TLS records: no method, path or status, its timing still measured.
  encrypted?: boolean;
  timing?: ExchangeTiming;
}

export interface GrpcDetails {
  // "/package.Service/Method" → package.Service and Method.
  service: string;
  method: string;
  // grpc-status (0 OK … 16 UNAUTHENTICATED) and its name; absent when the call ended without trailers.
  status?: number;
  statusName?: string;
  // grpc-message, percent-decoded.
  message?: string;
}

// A TLS handshake that did not finish: an alert (its description), a reset or a close before the first data.
export interface TlsFailure {
  reason: 'alert' | 'reset' | 'closed';
  by: 'client' | 'server';
  alert?: string;
}

export interface TlsDetails {
  sni?: string;
  version?: string;
  // The cipher suite the server chose (IANA name when known) and its number.
  cipher?: string;
  cipherSuite?: number;
  // ALPN: what the client offered and what the server chose.
  offeredAlpn?: string[];
  alpn?: string;
  // ClientHello → the client's first application data.
  handshakeUs?: number;
  failure?: TlsFailure;
}

export type SignalRule = 'suspicious_port' | 'external_address' | 'blocklisted_address';

// One configured rule a connection matched.
export interface SignalMatch {
  rule: SignalRule;
  // The end of the connection that matched: dst for the server port or address, src for a blocklisted client.
  end: 'src' | 'dst';
  // What matched: the port, the blocklist entry as "file:line cidr", the cluster ranges it is outside of.
  detail: string;
}

// A connection worth a security look, reported once per connection when it is first seen.
export interface SignalDetails {
  severity: 'warning' | 'critical';
  matches: SignalMatch[];
  // What the connection had done when it was flagged: a SYN, a flow report, a drop.
  seenAs: 'syn' | 'flow' | 'drop';
}

export interface NetworkEvent {
  // Set on an event that may be published again with newer counts (an unanswered SYN tried again): every version
  // carries the same id and a higher revision, and readers keep the newest. Published versions never change.
  id?: string;
  revision?: number;
  kind: EventKind;
  time: number;
  endTime?: number;
  transport: Transport;
  src: Endpoint;
  dst: Endpoint;
  // Which sensor produced it: pcap, hubble, nflog, loki.
  source: string;
  // Seen inside an overlay tunnel (VXLAN, Geneve, GRE): the outer endpoints, the nodes carrying it.
  underlay?: { srcIp: string; dstIp: string; encapsulation: 'vxlan' | 'geneve' | 'gre' };
  node?: string;
  traceId?: string;
  spanId?: string;
  flow?: FlowDetails;
  drop?: DropDetails;
  dns?: DnsDetails;
  http?: HttpDetails;
  tls?: TlsDetails;
  signal?: SignalDetails;
}

export const LIFECYCLE = { SYN: 1, SYN_ACK: 2, ACK: 4, DATA: 8, FIN: 16, RST: 32 } as const;
