// Hubble flows as our protobuf subset decodes them (upstream field names, enums as names, 64-bit integers as strings).
// Both inputs, the gRPC stream and JSON lines, arrive in this one shape before mapping to NetworkEvents.

export interface HubbleTimestamp {
  seconds?: string;
  nanos?: number;
}

export interface HubbleEndpoint {
  ID?: number;
  identity?: number;
  namespace?: string;
  labels?: string[];
  pod_name?: string;
  workloads?: Array<{ name?: string; kind?: string }>;
  cluster_name?: string;
}

export interface HubbleTcpFlags {
  FIN?: boolean;
  SYN?: boolean;
  RST?: boolean;
  PSH?: boolean;
  ACK?: boolean;
  URG?: boolean;
  ECE?: boolean;
  CWR?: boolean;
  NS?: boolean;
}

export interface HubblePorts {
  source_port?: number;
  destination_port?: number;
}

export interface HubbleLayer4 {
  TCP?: HubblePorts & { flags?: HubbleTcpFlags };
  UDP?: HubblePorts;
  SCTP?: HubblePorts;
  ICMPv4?: { type?: number; code?: number };
  ICMPv6?: { type?: number; code?: number };
}

export interface HubbleDns {
  query?: string;
  ips?: string[];
  ttl?: number;
  cnames?: string[];
  observation_source?: string;
  rcode?: number;
  qtypes?: string[];
  rrtypes?: string[];
}

export interface HubbleHttp {
  code?: number;
  method?: string;
  url?: string;
  protocol?: string;
  headers?: Array<{ key?: string; value?: string }>;
}

export interface HubbleLayer7 {
  type?: 'UNKNOWN_L7_TYPE' | 'REQUEST' | 'RESPONSE' | 'SAMPLE';
  latency_ns?: string;
  dns?: HubbleDns;
  http?: HubbleHttp;
}

export interface HubblePolicy {
  name?: string;
  namespace?: string;
  labels?: string[];
  revision?: string;
  kind?: string;
}

export type HubbleVerdict =
  'VERDICT_UNKNOWN' | 'FORWARDED' | 'DROPPED' | 'ERROR' | 'AUDIT' | 'REDIRECTED' | 'TRACED' | 'TRANSLATED';

export interface HubbleFlow {
  time?: HubbleTimestamp;
  uuid?: string;
  verdict?: HubbleVerdict;
  drop_reason?: number;
  IP?: { source?: string; destination?: string; ipVersion?: string; encrypted?: boolean; source_xlated?: string };
  l4?: HubbleLayer4;
  source?: HubbleEndpoint;
  destination?: HubbleEndpoint;
  Type?: 'UNKNOWN_TYPE' | 'L3_L4' | 'L7' | 'SOCK';
  node_name?: string;
  source_names?: string[];
  destination_names?: string[];
  l7?: HubbleLayer7;
  event_type?: { type?: number; sub_type?: number };
  source_service?: { name?: string; namespace?: string };
  destination_service?: { name?: string; namespace?: string };
  traffic_direction?: 'TRAFFIC_DIRECTION_UNKNOWN' | 'INGRESS' | 'EGRESS';
  policy_match_type?: number;
  // An enum name, or the number when our subset does not know the value yet.
  drop_reason_desc?: string | number;
  is_reply?: { value?: boolean };
  interface?: { index?: number; name?: string };
  proxy_port?: number;
  trace_context?: { parent?: { trace_id?: string } };
  egress_allowed_by?: HubblePolicy[];
  ingress_allowed_by?: HubblePolicy[];
  egress_denied_by?: HubblePolicy[];
  ingress_denied_by?: HubblePolicy[];
  policy_log?: string[];
}

export interface HubbleLostEvent {
  source?: string;
  num_events_lost?: string;
}

// One message of the GetFlows stream, also the line format of `hubble observe -o json` and Hubble's exporter files.
export interface HubbleFlowsResponse {
  flow?: HubbleFlow;
  lost_events?: HubbleLostEvent;
  node_name?: string;
  time?: HubbleTimestamp;
}
