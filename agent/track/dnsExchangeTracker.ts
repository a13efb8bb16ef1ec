// Pairs DNS queries with responses (message id + 5-tuple), over UDP or TCP; unanswered queries time out into events.
import type { NetworkEvent, Transport } from '../../model/events';
import type { TrackerOptions } from './trackerOptions';
import type { TrackerStats } from './trackerStats';

// The fields the pairing needs from a parsed DNS message.
export interface DnsMessageSummary {
  id: number;
  isResponse: boolean;
  rcode: string;
  question?: { name: string; type: string };
  // Answer data as text (addresses, CNAME targets).
  answers: string[];
}

export interface DnsPacketContext {
  timeUs: number;
  transport: Transport;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  // The overlay tunnel the message came in, if any.
  underlay?: NetworkEvent['underlay'];
}

interface PendingQuery {
  ctx: DnsPacketContext;
  message: DnsMessageSummary;
}

export class DnsExchangeTracker {
  // Insertion order is query time order, so expiry walks from the front.
  private readonly pending = new Map<string, PendingQuery>();

  constructor(
    private readonly options: TrackerOptions,
    private readonly emit: (event: NetworkEvent) => void,
    private readonly stats: TrackerStats
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  onMessage(message: DnsMessageSummary, ctx: DnsPacketContext): void {
    if (!message.isResponse) {
      const key = exchangeKey(ctx.srcIp, ctx.srcPort, ctx.dstIp, ctx.dstPort, message.id);
      // A retransmitted query keeps the first attempt's time.
      if (this.pending.has(key)) {
        return;
      }
      if (this.pending.size >= this.options.maxPendingDnsQueries) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) {
          this.pending.delete(oldest);
          this.stats.dnsPendingEvicted++;
        }
      }
      this.pending.set(key, { ctx, message });
      return;
    }
    const key = exchangeKey(ctx.dstIp, ctx.dstPort, ctx.srcIp, ctx.srcPort, message.id);
    const query = this.pending.get(key);
    if (query) {
      this.pending.delete(key);
      this.emit(
        dnsEvent(this.options, query.ctx, message.id, query.message.question ?? message.question, message, ctx.timeUs)
      );
    } else {
      // The query happened before the capture started: report the answer without a latency.
      const asQuery: DnsPacketContext = {
        ...ctx,
        srcIp: ctx.dstIp,
        srcPort: ctx.dstPort,
        dstIp: ctx.srcIp,
        dstPort: ctx.srcPort,
        ...(ctx.underlay
          ? { underlay: { ...ctx.underlay, srcIp: ctx.underlay.dstIp, dstIp: ctx.underlay.srcIp } }
          : {}),
      };
      this.emit(dnsEvent(this.options, asQuery, message.id, message.question, message, undefined));
    }
  }

  advance(nowUs: number): void {
    const timeoutUs = this.options.dnsTimeoutMs * 1000;
    for (const [key, q] of this.pending) {
      if (nowUs - q.ctx.timeUs < timeoutUs) {
        break;
      }
      this.pending.delete(key);
      this.emit(dnsEvent(this.options, q.ctx, q.message.id, q.message.question, undefined, undefined));
    }
  }

  // End of capture: every query still waiting is reported unanswered.
  flush(): void {
    for (const q of this.pending.values()) {
      this.emit(dnsEvent(this.options, q.ctx, q.message.id, q.message.question, undefined, undefined));
    }
    this.pending.clear();
  }
}

function exchangeKey(clientIp: string, clientPort: number, serverIp: string, serverPort: number, id: number): string {
  return clientIp + ':' + clientPort + '>' + serverIp + ':' + serverPort + '#' + id;
}

function dnsEvent(
  options: TrackerOptions,
  query: DnsPacketContext,
  id: number,
  question: DnsMessageSummary['question'],
  response: DnsMessageSummary | undefined,
  responseUs: number | undefined
): NetworkEvent {
  const answered = response !== undefined;
  return {
    kind: 'dns',
    time: query.timeUs,
    ...(responseUs !== undefined ? { endTime: responseUs } : {}),
    transport: query.transport,
    src: { ip: query.srcIp, port: query.srcPort },
    dst: { ip: query.dstIp, port: query.dstPort },
    source: options.source,
    ...(options.node ? { node: options.node } : {}),
    ...(query.underlay ? { underlay: query.underlay } : {}),
    dns: {
      id,
      query: question?.name ?? '',
      qtype: question?.type ?? '',
      ...(response ? { rcode: response.rcode } : {}),
      answers: response?.answers ?? [],
      ...(responseUs !== undefined ? { latencyUs: responseUs - query.timeUs } : {}),
      answered,
    },
  };
}
