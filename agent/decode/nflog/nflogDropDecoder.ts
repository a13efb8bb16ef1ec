/**
 * NFLOG frames → drop events. Each logged packet is a drop whose reason is `nflog:<prefix>`; when the prefix
 * pattern names a policy it becomes `drop.deniedBy`. The logged IP packet goes through the shared PacketDecoder.
 */
import type { NetworkEvent, Transport } from '../../../model/events';
import type { DecodedPacket } from '../packet';
import { PacketDecoder } from '../packetDecoder';
import { type CapturedFrame, LINKTYPE } from '../../sensors/captureFrame';
import { decodeNflogFrame, LINKTYPE_NFLOG } from '../../sensors/nflog/nflogFrame';
import { NflogPrefixPattern } from '../../sensors/nflog/nflogPrefix';

export interface NflogCounters {
  frames: number;
  events: number;
  // Frames whose NFLOG TLVs did not parse, or whose IP packet did not decode.
  malformed: number;
  // Logged without a payload (e.g. --nflog-size 0): nothing to say which flow it was.
  noPayload: number;
  unsupportedLinkType: number;
}

export interface NflogDropOptions {
  prefixPattern?: string | string[];
  node?: string;
}

const TRANSPORTS: Record<number, Transport> = { 6: 'tcp', 17: 'udp', 132: 'sctp', 1: 'icmp', 58: 'icmpv6' };

function ports(packet: DecodedPacket): { src?: number; dst?: number } {
  const l4 = packet.tcp ?? packet.udp;
  return l4 ? { src: l4.srcPort, dst: l4.dstPort } : {};
}

export class NflogDropDecoder {
  readonly counters: NflogCounters = { frames: 0, events: 0, malformed: 0, noPayload: 0, unsupportedLinkType: 0 };
  private readonly packets = new PacketDecoder();
  private readonly pattern: NflogPrefixPattern;

  constructor(private readonly options: NflogDropOptions = {}) {
    this.pattern = new NflogPrefixPattern(options.prefixPattern);
  }

  decodeFrame(frame: CapturedFrame): NetworkEvent | undefined {
    this.counters.frames++;
    if (frame.linkType !== LINKTYPE_NFLOG) {
      this.counters.unsupportedLinkType++;
      return undefined;
    }
    const message = decodeNflogFrame(frame.data);
    if (message === 'malformed') {
      this.counters.malformed++;
      return undefined;
    }
    if (message === 'no_payload') {
      this.counters.noPayload++;
      return undefined;
    }
    const time = message.timeUs ?? frame.timeUs;
    const length = message.payloadEnd - message.payloadStart;
    const packet = this.packets.decodeRange(
      frame.data,
      message.payloadStart,
      message.payloadEnd,
      LINKTYPE.RAW,
      time,
      length
    );
    if (!packet) {
      this.counters.malformed++;
      return undefined;
    }
    const { src, dst } = ports(packet);
    const policy = message.prefix ? this.pattern.policyOf(message.prefix) : undefined;
    const event: NetworkEvent = {
      kind: 'drop',
      time,
      transport: TRANSPORTS[packet.protocol] ?? 'tcp',
      src: src === undefined ? { ip: packet.srcIp } : { ip: packet.srcIp, port: src },
      dst: dst === undefined ? { ip: packet.dstIp } : { ip: packet.dstIp, port: dst },
      source: 'nflog',
      drop: { reason: message.prefix ? `nflog:${message.prefix}` : 'nflog', verdict: 'dropped' },
    };
    if (policy) {
      event.drop!.deniedBy = [policy];
    }
    if (this.options.node) {
      event.node = this.options.node;
    }
    this.counters.events++;
    return event;
  }
}
