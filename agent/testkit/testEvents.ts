// Events for exporter tests: numbered drops and flows spread over a few namespaces, so order is checkable per stream.
import type { NetworkEvent } from '../../model/events';

export const BASE_TIME_US = Date.UTC(2026, 2, 2, 10, 0, 0) * 1000;

export function numberedEvent(seq: number, namespaces: string[] = ['shop', 'payments', 'db']): NetworkEvent {
  const namespace = namespaces[seq % namespaces.length];
  const isDrop = seq % 2 === 0;
  const event: NetworkEvent = {
    kind: isDrop ? 'drop' : 'flow',
    time: BASE_TIME_US + seq * 1000,
    transport: 'tcp',
    src: { ip: `10.244.1.${(seq % 250) + 1}`, port: 40000 + seq, pod: `client-${seq % 7}`, namespace: 'shop' },
    dst: { ip: '10.244.2.15', port: 8080, pod: 'server-0', namespace },
    source: 'pcap',
    node: 'node-a',
  };
  if (isDrop) {
    event.drop = { reason: 'unanswered_syn', verdict: 'dropped', attempts: 3 };
    event.traceId = seq.toString(16).padStart(32, '0');
  } else {
    event.flow = { state: 'established', toServer: { bytes: seq, packets: 1 }, toClient: { bytes: 0, packets: 0 } };
  }
  return event;
}
