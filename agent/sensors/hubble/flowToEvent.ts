/**
 * One Hubble flow → at most one NetworkEvent, the same kinds the packet pipeline produces:
 * DROPPED/ERROR/AUDIT → drop, L7 DNS/HTTP responses → dns/http, TCP RST → reset, other L3/L4 traces → flow.
 * Flows that carry nothing Wiretrace models return a skip reason, which the source counts.
 */
import {
  type DropDetails,
  type FlowDetails,
  LIFECYCLE,
  type NetworkEvent,
  type Transport,
} from '../../../model/events';
import { normalizeTraceId } from '../../../model/traceId';
import { flowEndpoints } from './flowEndpoints';
import { DEFAULT_REDACTED_HEADERS, dnsDetails, httpExchange } from './flowL7';
import type { HubbleFlow, HubblePolicy, HubbleTcpFlags, HubbleTimestamp } from './flowTypes';

export type FlowSkipReason = 'no_ip' | 'no_time' | 'l7_request' | 'l7_other' | 'sock_trace' | 'translated';

export type FlowMapping = { event: NetworkEvent } | { skipped: FlowSkipReason };

export interface FlowMappingOptions {
  // Header names (lowercase) whose values are replaced by "[redacted]".
  redactHeaders?: readonly string[];
  // Node name to use when the flow does not name one.
  node?: string;
}

export function timestampToUs(ts: HubbleTimestamp | undefined): number | undefined {
  if (!ts || ts.seconds === undefined) {
    return undefined;
  }
  return Number(ts.seconds) * 1_000_000 + Math.floor((ts.nanos ?? 0) / 1000);
}

function transportOf(flow: HubbleFlow): Transport | undefined {
  const l4 = flow.l4;
  if (l4?.TCP) {
    return 'tcp';
  }
  if (l4?.UDP) {
    return 'udp';
  }
  if (l4?.SCTP) {
    return 'sctp';
  }
  if (l4?.ICMPv4) {
    return 'icmp';
  }
  if (l4?.ICMPv6) {
    return 'icmpv6';
  }
  if (flow.l7?.dns) {
    return 'udp';
  }
  if (flow.l7?.http) {
    return 'tcp';
  }
  return undefined;
}

function policyName(p: HubblePolicy): string {
  return p.namespace ? `${p.namespace}/${p.name ?? ''}` : (p.name ?? '');
}

// Cilium's DropReason enum names, lowercased: POLICY_DENIED → policy_denied.
export function dropReasonOf(flow: HubbleFlow): string {
  const desc = flow.drop_reason_desc;
  if (typeof desc === 'string' && desc !== 'DROP_REASON_UNKNOWN') {
    return desc.toLowerCase();
  }
  const code = typeof desc === 'number' && desc !== 0 ? desc : flow.drop_reason;
  return code ? `drop_reason_${code}` : 'unknown';
}

function dropDetails(flow: HubbleFlow): DropDetails {
  const deniedBy = [...(flow.egress_denied_by ?? []), ...(flow.ingress_denied_by ?? [])]
    .map(policyName)
    .filter(Boolean);
  let details: DropDetails;
  if (flow.verdict === 'AUDIT') {
    // Audit mode: the policy denies this traffic but enforcement is off, so it still flowed.
    details = { reason: 'policy_audit', verdict: 'denied' };
  } else if (flow.verdict === 'ERROR') {
    details = { reason: flow.drop_reason_desc ? dropReasonOf(flow) : 'error', verdict: 'error' };
  } else {
    details = { reason: dropReasonOf(flow), verdict: 'dropped' };
  }
  if (deniedBy.length > 0) {
    details.deniedBy = [...new Set(deniedBy)];
  }
  return details;
}

function lifecycleOf(flags: HubbleTcpFlags | undefined): number {
  if (!flags) {
    return 0;
  }
  let bits = 0;
  if (flags.SYN && flags.ACK) {
    bits |= LIFECYCLE.SYN_ACK;
  } else if (flags.SYN) {
    bits |= LIFECYCLE.SYN;
  } else if (flags.ACK) {
    bits |= LIFECYCLE.ACK;
  }
  if (flags.PSH) {
    bits |= LIFECYCLE.DATA;
  }
  if (flags.FIN) {
    bits |= LIFECYCLE.FIN;
  }
  if (flags.RST) {
    bits |= LIFECYCLE.RST;
  }
  return bits;
}

// A Hubble L3/L4 flow is one traced packet: counters hold that packet, the state what its flags say.
function packetFlow(flow: HubbleFlow, reply: boolean): FlowDetails {
  const flags = flow.l4?.TCP?.flags;
  const one = { bytes: 0, packets: 1 };
  const none = { bytes: 0, packets: 0 };
  const details: FlowDetails = {
    state: flags?.RST ? 'reset' : flags?.FIN ? 'closed' : flags?.SYN && !flags.ACK ? 'active' : 'established',
    toServer: reply ? none : one,
    toClient: reply ? one : none,
  };
  if (flow.l4?.TCP) {
    const lifecycle = lifecycleOf(flags);
    details.tcp = { retransmits: 0, zeroWindow: 0, lifecycle };
    if (flags?.RST) {
      details.tcp.resetBy = reply ? 'server' : 'client';
    }
  }
  return details;
}

export function hubbleFlowToEvent(flow: HubbleFlow, options: FlowMappingOptions = {}): FlowMapping {
  if (!flow.IP?.source || !flow.IP.destination) {
    return { skipped: 'no_ip' };
  }
  const time = timestampToUs(flow.time);
  if (time === undefined) {
    return { skipped: 'no_time' };
  }
  if (flow.Type === 'SOCK') {
    return { skipped: 'sock_trace' };
  }
  if (flow.verdict === 'TRANSLATED') {
    return { skipped: 'translated' };
  }
  const reply = flow.is_reply?.value === true || flow.l7?.type === 'RESPONSE';
  const ends = flowEndpoints(flow);
  // Events name the client as src: a reply's endpoints are swapped back.
  const { src, dst } = reply ? { src: ends.dst, dst: ends.src } : ends;
  const event: NetworkEvent = {
    kind: 'flow',
    time,
    transport: transportOf(flow) ?? 'tcp',
    src,
    dst,
    source: 'hubble',
  };
  const node = flow.node_name || options.node;
  if (node) {
    event.node = node;
  }
  const traceId = normalizeTraceId(flow.trace_context?.parent?.trace_id);
  if (traceId) {
    event.traceId = traceId;
  }

  if (flow.verdict === 'DROPPED' || flow.verdict === 'ERROR' || flow.verdict === 'AUDIT') {
    event.kind = 'drop';
    event.drop = dropDetails(flow);
    return { event };
  }

  const l7 = flow.l7;
  if (l7 || flow.Type === 'L7') {
    // A request is reported again, with status and latency, by its response.
    if (!l7 || l7.type === 'REQUEST') {
      return { skipped: 'l7_request' };
    }
    if (l7.dns) {
      event.kind = 'dns';
      event.dns = dnsDetails(l7.dns, l7);
      return { event };
    }
    if (l7.http) {
      const exchange = httpExchange(l7.http, l7, options.redactHeaders ?? DEFAULT_REDACTED_HEADERS);
      event.kind = 'http';
      event.http = exchange.details;
      event.traceId ??= exchange.traceId;
      if (exchange.spanId && event.traceId === exchange.traceId) {
        event.spanId = exchange.spanId;
      }
      if (event.traceId === undefined) {
        delete event.traceId;
      }
      return { event };
    }
    return { skipped: 'l7_other' };
  }

  event.flow = packetFlow(flow, reply);
  if (flow.l4?.TCP?.flags?.RST) {
    event.kind = 'reset';
  }
  return { event };
}
