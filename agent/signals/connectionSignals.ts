// One `signal` event per connection that matches a security rule, raised at the first sign of the connection: the
// client's SYN when the capture saw it, else its first flow report or drop (Hubble, NFLOG, a capture that began
// mid-connection). Connections already flagged are remembered (bounded) so retransmitted SYNs and later flow
// reports stay quiet; a new SYN on the same ports with another sequence number is a new connection.
import type { NetworkEvent, SignalDetails, Transport } from '../../model/events';
import type { ConnectionWatcher, SynSeen } from '../pipeline';
import type { SignalRules } from './signalRules';

export const MAX_REMEMBERED_CONNECTIONS = 65_536;

export class ConnectionSignals implements ConnectionWatcher {
  // Flagged connections by 5-tuple, oldest first; the value is the SYN's sequence number when one was seen.
  private readonly flagged = new Map<string, number | undefined>();
  signals = 0;

  constructor(
    private readonly rules: SignalRules,
    private readonly source: { source: string; node?: string }
  ) {}

  onSyn(syn: SynSeen): NetworkEvent | undefined {
    const key = `tcp|${syn.srcIp}|${syn.srcPort}|${syn.dstIp}|${syn.dstPort}`;
    if (this.flagged.has(key) && this.flagged.get(key) === syn.isn) {
      return undefined;
    }
    const matches = this.rules.matches(syn);
    if (matches.length === 0) {
      return undefined;
    }
    this.remember(key, syn.isn);
    return this.signal(
      'tcp',
      syn.timeUs,
      { ip: syn.srcIp, port: syn.srcPort },
      { ip: syn.dstIp, port: syn.dstPort },
      this.source.source,
      { severity: severityOf(matches), matches, seenAs: 'syn' }
    );
  }

  // Flow reports and drops from every source: the first one of a connection not flagged yet may raise its signal.
  onEvent(event: NetworkEvent): NetworkEvent | undefined {
    if (event.kind !== 'flow' && event.kind !== 'drop') {
      return undefined;
    }
    const key = `${event.transport}|${event.src.ip}|${event.src.port ?? ''}|${event.dst.ip}|${event.dst.port ?? ''}`;
    if (this.flagged.has(key)) {
      // Seen again: it stays remembered as long as it keeps reporting.
      const isn = this.flagged.get(key);
      this.flagged.delete(key);
      this.flagged.set(key, isn);
      return undefined;
    }
    const matches = this.rules.matches({ srcIp: event.src.ip, dstIp: event.dst.ip, dstPort: event.dst.port });
    if (matches.length === 0) {
      return undefined;
    }
    this.remember(key, undefined);
    const src = { ip: event.src.ip, ...(event.src.port !== undefined ? { port: event.src.port } : {}) };
    const dst = { ip: event.dst.ip, ...(event.dst.port !== undefined ? { port: event.dst.port } : {}) };
    return this.signal(event.transport, event.time, src, dst, event.source, {
      severity: severityOf(matches),
      matches,
      seenAs: event.kind,
    });
  }

  private remember(key: string, isn: number | undefined): void {
    this.flagged.delete(key);
    if (this.flagged.size >= MAX_REMEMBERED_CONNECTIONS) {
      this.flagged.delete(this.flagged.keys().next().value!);
    }
    this.flagged.set(key, isn);
  }

  private signal(
    transport: Transport,
    time: number,
    src: NetworkEvent['src'],
    dst: NetworkEvent['dst'],
    source: string,
    signal: SignalDetails
  ): NetworkEvent {
    this.signals++;
    const event: NetworkEvent = { kind: 'signal', time, transport, src, dst, source, signal };
    if (this.source.node) {
      event.node = this.source.node;
    }
    return event;
  }
}

function severityOf(matches: SignalDetails['matches']): SignalDetails['severity'] {
  return matches.some((m) => m.rule === 'blocklisted_address') ? 'critical' : 'warning';
}
