// Which configured rules a connection matches: a suspicious server port, an address outside the cluster's ranges
// (from inside them), an address on a blocklist at either end.
import type { SignalMatch } from '../../model/events';
import type { BlocklistFiles } from './blocklistFiles';
import { CidrSet, parseAddress, type ParsedAddress } from './cidr';
import type { SignalConfig } from './signalConfig';

export interface ConnectionEnds {
  srcIp: string;
  dstIp: string;
  dstPort?: number;
}

export class SignalRules {
  private readonly ports: Set<number>;
  private readonly ranges: CidrSet<string> | undefined;
  private readonly rangesText: string;

  constructor(
    config: SignalConfig,
    private readonly blocklist: BlocklistFiles | undefined
  ) {
    this.ports = new Set(config.suspiciousPorts);
    if (config.clusterRanges) {
      this.ranges = new CidrSet();
      for (const cidr of config.clusterRanges) {
        this.ranges.add(cidr, cidr.text);
      }
    }
    this.rangesText = (config.clusterRanges ?? []).map((c) => c.text).join(', ');
  }

  matches(c: ConnectionEnds): SignalMatch[] {
    const out: SignalMatch[] = [];
    if (c.dstPort !== undefined && this.ports.has(c.dstPort)) {
      out.push({ rule: 'suspicious_port', end: 'dst', detail: `port ${c.dstPort}` });
    }
    if (this.ranges) {
      const src = parseAddress(c.srcIp);
      const dst = parseAddress(c.dstIp);
      if (src && dst && this.ranges.match(src) !== undefined && this.ranges.match(dst) === undefined && routable(dst)) {
        out.push({ rule: 'external_address', end: 'dst', detail: `outside ${this.rangesText}` });
      }
    }
    if (this.blocklist) {
      for (const end of ['dst', 'src'] as const) {
        const entry = this.blocklist.match(end === 'dst' ? c.dstIp : c.srcIp);
        if (entry) {
          out.push({ rule: 'blocklisted_address', end, detail: `${entry.file}:${entry.line} ${entry.cidr.text}` });
        }
      }
    }
    return out;
  }
}

// Loopback, link-local, multicast and unspecified addresses never leave the node for the outside world.
function routable(a: ParsedAddress): boolean {
  if (a.version === 4) {
    const first = Number(a.value >> 24n);
    const second = Number((a.value >> 16n) & 0xffn);
    return !(first === 0 || first === 127 || (first === 169 && second === 254) || first >= 224);
  }
  const top = a.value >> 112n;
  return !(a.value === 0n || a.value === 1n || top >> 6n === 0x3fan || top >> 8n === 0xffn);
}
