// Our subset of Cilium's api/v1/flow/flow.proto (package flow): the fields Wiretrace maps, with upstream field numbers.
// Unlisted fields are skipped by the decoder, so newer Hubble servers stay compatible.
export const HUBBLE_FLOW_PROTO = `
syntax = "proto3";
package flow;

message Flow {
  google.protobuf.Timestamp time = 1;
  string uuid = 34;
  Verdict verdict = 2;
  uint32 drop_reason = 3;
  IP IP = 5;
  Layer4 l4 = 6;
  Endpoint source = 8;
  Endpoint destination = 9;
  FlowType Type = 10;
  string node_name = 11;
  repeated string source_names = 13;
  repeated string destination_names = 14;
  Layer7 l7 = 15;
  CiliumEventType event_type = 19;
  Service source_service = 20;
  Service destination_service = 21;
  TrafficDirection traffic_direction = 22;
  uint32 policy_match_type = 23;
  DropReason drop_reason_desc = 25;
  google.protobuf.BoolValue is_reply = 26;
  NetworkInterface interface = 28;
  uint32 proxy_port = 29;
  TraceContext trace_context = 30;
  repeated Policy egress_allowed_by = 21001;
  repeated Policy ingress_allowed_by = 21002;
  repeated Policy egress_denied_by = 21004;
  repeated Policy ingress_denied_by = 21005;
  repeated string policy_log = 21006;
}

enum FlowType {
  UNKNOWN_TYPE = 0;
  L3_L4 = 1;
  L7 = 2;
  SOCK = 3;
}

enum Verdict {
  VERDICT_UNKNOWN = 0;
  FORWARDED = 1;
  DROPPED = 2;
  ERROR = 3;
  AUDIT = 4;
  REDIRECTED = 5;
  TRACED = 6;
  TRANSLATED = 7;
}

enum TrafficDirection {
  TRAFFIC_DIRECTION_UNKNOWN = 0;
  INGRESS = 1;
  EGRESS = 2;
}

enum IPVersion {
  IP_NOT_USED = 0;
  IPv4 = 1;
  IPv6 = 2;
}

enum L7FlowType {
  UNKNOWN_L7_TYPE = 0;
  REQUEST = 1;
  RESPONSE = 2;
  SAMPLE = 3;
}

message IP {
  string source = 1;
  string destination = 2;
  IPVersion ipVersion = 3;
  bool encrypted = 4;
  string source_xlated = 5;
}

message Layer4 {
  oneof protocol {
    TCP TCP = 1;
    UDP UDP = 2;
    ICMPv4 ICMPv4 = 3;
    ICMPv6 ICMPv6 = 4;
    SCTP SCTP = 5;
  }
}

message TCP {
  uint32 source_port = 1;
  uint32 destination_port = 2;
  TCPFlags flags = 3;
}

message TCPFlags {
  bool FIN = 1;
  bool SYN = 2;
  bool RST = 3;
  bool PSH = 4;
  bool ACK = 5;
  bool URG = 6;
  bool ECE = 7;
  bool CWR = 8;
  bool NS = 9;
}

message UDP {
  uint32 source_port = 1;
  uint32 destination_port = 2;
}

message SCTP {
  uint32 source_port = 1;
  uint32 destination_port = 2;
}

message ICMPv4 {
  uint32 type = 1;
  uint32 code = 2;
}

message ICMPv6 {
  uint32 type = 1;
  uint32 code = 2;
}

message Endpoint {
  uint32 ID = 1;
  uint32 identity = 2;
  string namespace = 3;
  repeated string labels = 4;
  string pod_name = 5;
  repeated Workload workloads = 6;
  string cluster_name = 7;
}

message Workload {
  string name = 1;
  string kind = 2;
}

message Service {
  string name = 1;
  string namespace = 2;
}

message Policy {
  string name = 1;
  string namespace = 2;
  repeated string labels = 3;
  uint64 revision = 4;
  string kind = 5;
}

message CiliumEventType {
  int32 type = 1;
  int32 sub_type = 2;
}

message NetworkInterface {
  uint32 index = 1;
  string name = 2;
}

message TraceContext {
  TraceParent parent = 1;
}

message TraceParent {
  string trace_id = 1;
}

message Layer7 {
  L7FlowType type = 1;
  uint64 latency_ns = 2;
  oneof record {
    DNS dns = 100;
    HTTP http = 101;
  }
}

message DNS {
  string query = 1;
  repeated string ips = 2;
  uint32 ttl = 3;
  repeated string cnames = 4;
  string observation_source = 5;
  uint32 rcode = 6;
  repeated string qtypes = 7;
  repeated string rrtypes = 8;
}

message HTTPHeader {
  string key = 1;
  string value = 2;
}

message HTTP {
  uint32 code = 1;
  string method = 2;
  string url = 3;
  string protocol = 4;
  repeated HTTPHeader headers = 5;
}

message EventTypeFilter {
  int32 type = 1;
  bool match_sub_type = 2;
  int32 sub_type = 3;
}

// All fields of one filter must match; a request's list of filters is OR-ed.
message FlowFilter {
  repeated string uuid = 29;
  repeated string source_ip = 1;
  repeated string source_pod = 2;
  repeated string source_fqdn = 7;
  repeated string source_label = 10;
  repeated string source_service = 16;
  repeated Workload source_workload = 26;
  repeated string destination_ip = 3;
  repeated string destination_pod = 4;
  repeated string destination_fqdn = 8;
  repeated string destination_label = 11;
  repeated string destination_service = 17;
  repeated Workload destination_workload = 27;
  repeated TrafficDirection traffic_direction = 30;
  repeated Verdict verdict = 5;
  repeated DropReason drop_reason_desc = 33;
  repeated EventTypeFilter event_type = 6;
  repeated string http_status_code = 9;
  repeated string protocol = 12;
  repeated string source_port = 13;
  repeated string destination_port = 14;
  repeated bool reply = 15;
  repeated string dns_query = 18;
  repeated uint32 source_identity = 19;
  repeated uint32 destination_identity = 20;
  repeated string http_method = 21;
  repeated string http_path = 22;
  repeated string http_url = 31;
  repeated TCPFlags tcp_flags = 23;
  repeated string node_name = 24;
  repeated IPVersion ip_version = 25;
  repeated string trace_id = 28;
}

enum LostEventSource {
  UNKNOWN_LOST_EVENT_SOURCE = 0;
  PERF_EVENT_RING_BUFFER = 1;
  OBSERVER_EVENTS_QUEUE = 2;
  HUBBLE_RING_BUFFER = 3;
}

message LostEvent {
  LostEventSource source = 1;
  uint64 num_events_lost = 2;
  google.protobuf.Int32Value cpu = 3;
}

// Values shared with Cilium's bpf/lib/common.h; the lowercased name becomes the drop reason.
enum DropReason {
  DROP_REASON_UNKNOWN = 0;
  INVALID_SOURCE_MAC = 130;
  INVALID_DESTINATION_MAC = 131;
  INVALID_SOURCE_IP = 132;
  POLICY_DENIED = 133;
  INVALID_PACKET_DROPPED = 134;
  CT_TRUNCATED_OR_INVALID_HEADER = 135;
  CT_MISSING_TCP_ACK_FLAG = 136;
  CT_UNKNOWN_L4_PROTOCOL = 137;
  CT_CANNOT_CREATE_ENTRY_FROM_PACKET = 138;
  UNSUPPORTED_L3_PROTOCOL = 139;
  MISSED_TAIL_CALL = 140;
  ERROR_WRITING_TO_PACKET = 141;
  UNKNOWN_L4_PROTOCOL = 142;
  UNKNOWN_ICMPV4_CODE = 143;
  UNKNOWN_ICMPV4_TYPE = 144;
  UNKNOWN_ICMPV6_CODE = 145;
  UNKNOWN_ICMPV6_TYPE = 146;
  ERROR_RETRIEVING_TUNNEL_KEY = 147;
  ERROR_RETRIEVING_TUNNEL_OPTIONS = 148;
  INVALID_GENEVE_OPTION = 149;
  UNKNOWN_L3_TARGET_ADDRESS = 150;
  STALE_OR_UNROUTABLE_IP = 151;
  NO_MATCHING_LOCAL_CONTAINER_FOUND = 152;
  ERROR_WHILE_CORRECTING_L3_CHECKSUM = 153;
  ERROR_WHILE_CORRECTING_L4_CHECKSUM = 154;
  CT_MAP_INSERTION_FAILED = 155;
  INVALID_IPV6_EXTENSION_HEADER = 156;
  IP_FRAGMENTATION_NOT_SUPPORTED = 157;
  SERVICE_BACKEND_NOT_FOUND = 158;
  NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT = 160;
  FAILED_TO_INSERT_INTO_PROXYMAP = 161;
  REACHED_EDT_RATE_LIMITING_DROP_HORIZON = 162;
  UNKNOWN_CONNECTION_TRACKING_STATE = 163;
  LOCAL_HOST_IS_UNREACHABLE = 164;
  NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION = 165;
  UNSUPPORTED_L2_PROTOCOL = 166;
  NO_MAPPING_FOR_NAT_MASQUERADE = 167;
  UNSUPPORTED_PROTOCOL_FOR_NAT_MASQUERADE = 168;
  FIB_LOOKUP_FAILED = 169;
  ENCAPSULATION_TRAFFIC_IS_PROHIBITED = 170;
  INVALID_IDENTITY = 171;
  UNKNOWN_SENDER = 172;
  NAT_NOT_NEEDED = 173;
  IS_A_CLUSTERIP = 174;
  FIRST_LOGICAL_DATAGRAM_FRAGMENT_NOT_FOUND = 175;
  FORBIDDEN_ICMPV6_MESSAGE = 176;
  DENIED_BY_LB_SRC_RANGE_CHECK = 177;
  SOCKET_LOOKUP_FAILED = 178;
  SOCKET_ASSIGN_FAILED = 179;
  PROXY_REDIRECTION_NOT_SUPPORTED_FOR_PROTOCOL = 180;
  POLICY_DENY = 181;
  VLAN_FILTERED = 182;
  INVALID_VNI = 183;
  INVALID_TC_BUFFER = 184;
  NO_SID = 185;
  MISSING_SRV6_STATE = 186;
  NAT46 = 187;
  NAT64 = 188;
  AUTH_REQUIRED = 189;
  CT_NO_MAP_FOUND = 190;
  SNAT_NO_MAP_FOUND = 191;
  INVALID_CLUSTER_ID = 192;
  UNSUPPORTED_PROTOCOL_FOR_DSR_ENCAP = 193;
  NO_EGRESS_GATEWAY = 194;
  UNENCRYPTED_TRAFFIC = 195;
  TTL_EXCEEDED = 196;
  NO_NODE_ID = 197;
  DROP_RATE_LIMITED = 198;
  IGMP_HANDLED = 199;
  IGMP_SUBSCRIBED = 200;
  MULTICAST_HANDLED = 201;
  DROP_HOST_NOT_READY = 202;
  DROP_EP_NOT_READY = 203;
  DROP_NO_EGRESS_IP = 204;
  DROP_PUNT_PROXY = 205;
}
`;
