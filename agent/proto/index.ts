/**
 * Wiretrace's own protobuf subsets (Hubble flow/observer, OTLP traces), embedded as text so the bundled agent
 * reads no .proto file from disk. Each root is parsed once, on first use, keeping the upstream field names.
 */
import protobuf from 'protobufjs';
import { HUBBLE_FLOW_PROTO } from './hubbleFlow';
import { HUBBLE_OBSERVER_PROTO } from './hubbleObserver';
import { OTLP_COLLECTOR_TRACE_PROTO, OTLP_TRACE_PROTO } from './otlpTrace';
import { WELL_KNOWN_PROTO } from './wellKnown';

function parseRoot(sources: string[]): protobuf.Root {
  const root = new protobuf.Root();
  for (const source of sources) {
    protobuf.parse(source, root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}

let hubbleRoot: protobuf.Root | undefined;
let otlpRoot: protobuf.Root | undefined;

export function hubbleProtoRoot(): protobuf.Root {
  hubbleRoot ??= parseRoot([WELL_KNOWN_PROTO, HUBBLE_FLOW_PROTO, HUBBLE_OBSERVER_PROTO]);
  return hubbleRoot;
}

export function otlpTraceProtoRoot(): protobuf.Root {
  otlpRoot ??= parseRoot([OTLP_TRACE_PROTO, OTLP_COLLECTOR_TRACE_PROTO]);
  return otlpRoot;
}
