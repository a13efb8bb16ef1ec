// Our subset of Cilium's api/v1/observer/observer.proto (package observer): the GetFlows server stream.
export const HUBBLE_OBSERVER_PROTO = `
syntax = "proto3";
package observer;

service Observer {
  rpc GetFlows(GetFlowsRequest) returns (stream GetFlowsResponse) {}
}

message GetFlowsRequest {
  uint64 number = 1;
  bool first = 9;
  bool follow = 3;
  repeated flow.FlowFilter blacklist = 5;
  repeated flow.FlowFilter whitelist = 6;
  google.protobuf.Timestamp since = 7;
  google.protobuf.Timestamp until = 8;
}

message GetFlowsResponse {
  oneof response_types {
    flow.Flow flow = 1;
    flow.LostEvent lost_events = 3;
  }
  string node_name = 1000;
  google.protobuf.Timestamp time = 1001;
}
`;
