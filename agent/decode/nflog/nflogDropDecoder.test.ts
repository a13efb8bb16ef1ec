import type { NetworkEvent } from '../../../model/events';
import { ipv4Packet, ipv6Packet, tcpSegment, TCP_FLAGS, udpDatagram } from '../../testkit/packetBuilder';
import { CaptureStreamParser } from '../../sensors/captureStreamParser';
import { writePcap } from '../../testkit/captureWriter';
import { NflogDropDecoder } from './nflogDropDecoder';
import { decodeNflogFrame, LINKTYPE_NFLOG } from '../../sensors/nflog/nflogFrame';
import { NflogPrefixPattern } from '../../sensors/nflog/nflogPrefix';
import { nflogFrame } from '../../testkit/nflogFrameBuilder';

const T0 = Date.UTC(2026, 2, 2, 10, 0, 0) * 1000;

function syn(src: string, dst: string, srcPort: number, dstPort: number): Uint8Array {
  return ipv4Packet({ src, dst, protocol: 6 }, tcpSegment({ srcPort, dstPort, flags: TCP_FLAGS.SYN }));
}

function decodePcap(bytes: Uint8Array, decoder: NflogDropDecoder): NetworkEvent[] {
  const events: NetworkEvent[] = [];
  const parser = new CaptureStreamParser((frame) => {
    const event = decoder.decodeFrame(frame);
    if (event) {
      events.push(event);
    }
  });
  parser.push(bytes);
  parser.end();
  return events;
}

describe('NFLOG capture decoding', () => {
  it('turns logged packets into drops named by their prefix, reading either TLV byte order', () => {
    const frames = [
      nflogFrame({
        group: 7,
        prefix: 'calico-drop:payments/allow-frontend',
        timeUs: T0 + 5,
        payload: syn('10.244.1.7', '10.244.2.15', 43512, 8080),
      }),
      nflogFrame({
        group: 7,
        prefix: 'KUBE-NWPLCY-3H5RVYJ2QXNW6ZB4',
        littleEndian: false,
        payload: ipv4Packet(
          { src: '10.244.1.7', dst: '10.96.0.10', protocol: 17 },
          udpDatagram({ srcPort: 5000, dstPort: 53 })
        ),
      }),
      nflogFrame({
        group: 7,
        prefix: 'audit-log',
        payload: ipv6Packet(
          { src: 'fd00::1', dst: 'fd00::2', protocol: 6 },
          tcpSegment({ srcPort: 1, dstPort: 443, flags: TCP_FLAGS.SYN })
        ),
      }),
    ];
    const pcap = writePcap(
      frames.map((data, i) => ({ timeUs: T0 + 1000 * (i + 1), data })),
      { linkType: LINKTYPE_NFLOG }
    );
    const decoder = new NflogDropDecoder({ node: 'node-a' });
    const events = decodePcap(pcap, decoder);
    expect(events).toEqual([
      {
        kind: 'drop',
        time: T0 + 5,
        transport: 'tcp',
        src: { ip: '10.244.1.7', port: 43512 },
        dst: { ip: '10.244.2.15', port: 8080 },
        source: 'nflog',
        node: 'node-a',
        drop: {
          reason: 'nflog:calico-drop:payments/allow-frontend',
          verdict: 'dropped',
          deniedBy: ['payments/allow-frontend'],
        },
      },
      {
        kind: 'drop',
        time: T0 + 2000,
        transport: 'udp',
        src: { ip: '10.244.1.7', port: 5000 },
        dst: { ip: '10.96.0.10', port: 53 },
        source: 'nflog',
        node: 'node-a',
        drop: {
          reason: 'nflog:KUBE-NWPLCY-3H5RVYJ2QXNW6ZB4',
          verdict: 'dropped',
          deniedBy: ['KUBE-NWPLCY-3H5RVYJ2QXNW6ZB4'],
        },
      },
      {
        kind: 'drop',
        time: T0 + 3000,
        transport: 'tcp',
        src: { ip: 'fd00::1', port: 1 },
        dst: { ip: 'fd00::2', port: 443 },
        source: 'nflog',
        node: 'node-a',
        drop: { reason: 'nflog:audit-log', verdict: 'dropped' },
      },
    ]);
    expect(decoder.counters).toEqual({ frames: 3, events: 3, malformed: 0, noPayload: 0, unsupportedLinkType: 0 });
  });

  it('counts frames without payload, broken TLVs and undecodable packets instead of throwing', () => {
    const good = nflogFrame({ group: 1, prefix: 'drop:a/b', payload: syn('10.0.0.1', '10.0.0.2', 1, 2) });
    const brokenTlv = Uint8Array.from(good);
    brokenTlv[4] = 0xff; // first TLV length now runs past the frame in both byte orders
    brokenTlv[5] = 0x7f;
    const frames = [
      nflogFrame({ group: 1, prefix: 'drop:a/b' }),
      brokenTlv,
      good.subarray(0, 6),
      nflogFrame({ group: 1, prefix: 'drop:a/b', payload: new Uint8Array([0x45, 0, 0]) }),
      good,
    ];
    const decoder = new NflogDropDecoder();
    const events = decodePcap(
      writePcap(
        frames.map((data) => ({ timeUs: T0, data })),
        { linkType: LINKTYPE_NFLOG }
      ),
      decoder
    );
    expect(events).toHaveLength(1);
    expect(decoder.counters).toEqual({ frames: 5, events: 1, malformed: 3, noPayload: 1, unsupportedLinkType: 0 });

    const ethernet = new NflogDropDecoder();
    decodePcap(writePcap([{ timeUs: T0, data: good }], { linkType: 1 }), ethernet);
    expect(ethernet.counters.unsupportedLinkType).toBe(1);
  });

  it('reads the group, hook, interface and timestamp TLVs', () => {
    const frame = nflogFrame({
      group: 300,
      prefix: 'x',
      hook: 2,
      inIfIndex: 12,
      timeUs: 1_772_445_600_123_456,
      payload: syn('1.1.1.1', '2.2.2.2', 3, 4),
    });
    expect(decodeNflogFrame(frame)).toMatchObject({
      family: 2,
      group: 300,
      prefix: 'x',
      hook: 2,
      inIfIndex: 12,
      timeUs: 1_772_445_600_123_456,
    });
  });
});

describe('NflogPrefixPattern', () => {
  it('resolves Calico-style and kube-router prefixes, and a custom pattern', () => {
    const defaults = new NflogPrefixPattern();
    expect(defaults.policyOf('calico-drop:shop/deny-all')).toBe('shop/deny-all');
    expect(defaults.policyOf('deny-db/only-api')).toBe('db/only-api');
    expect(defaults.policyOf('KUBE-NWPLCY-ABC123')).toBe('KUBE-NWPLCY-ABC123');
    expect(defaults.policyOf('some other log')).toBeUndefined();
    const custom = new NflogPrefixPattern('^np\\|(?<namespace>[^|]+)\\|(?<policy>[^|]+)');
    expect(custom.policyOf('np|shop|deny-egress')).toBe('shop/deny-egress');
  });

  it('rejects a pattern without a policy group, or an invalid one, with a clear message', () => {
    expect(() => new NflogPrefixPattern('^drop:(.*)')).toThrow('needs a named group (?<policy>...)');
    expect(() => new NflogPrefixPattern('(?<policy>[')).toThrow('is not a valid regular expression');
  });
});
