// The few google.protobuf well-known types our subsets use, declared here so no .proto file is read at run time.
export const WELL_KNOWN_PROTO = `
syntax = "proto3";
package google.protobuf;

message Timestamp {
  int64 seconds = 1;
  int32 nanos = 2;
}

message BoolValue {
  bool value = 1;
}

message Int32Value {
  int32 value = 1;
}
`;
