// IPv4 and IPv6 addresses and CIDR blocks as integers, and a set of blocks that finds the most specific one
// holding an address in one hash lookup per distinct prefix length (blocklists run to tens of thousands of lines).
import { isIP } from 'node:net';

export interface ParsedAddress {
  version: 4 | 6;
  value: bigint;
}

export interface Cidr {
  version: 4 | 6;
  // The network address (host bits cleared) and the prefix length.
  network: bigint;
  prefix: number;
  text: string;
}

const BITS = { 4: 32, 6: 128 } as const;

export function parseAddress(text: string): ParsedAddress | undefined {
  const version = isIP(text);
  if (version === 4) {
    return { version: 4, value: ipv4Value(text) };
  }
  if (version === 6) {
    const value = ipv6Value(text);
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address, as the kernel treats it.
    if (value >> 32n === 0xffffn) {
      return { version: 4, value: value & 0xffffffffn };
    }
    return { version: 6, value };
  }
  return undefined;
}

// "a.b.c.d/n", "x::y/n", or a bare address (a /32 or /128). The error says what is wrong with it.
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseAddress(addressText);
  if (!address) {
    return `"${addressText}" is not an IPv4 or IPv6 address`;
  }
  const bits = BITS[address.version];
  let prefix = bits;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    // A mapped address keeps its IPv6 prefix length: ::ffff:10.0.0.0/104 is 10.0.0.0/8.
    const mapped = address.version === 4 && isIP(addressText) === 6 ? 96 : 0;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) - mapped < 0 || Number(prefixText) - mapped > bits) {
      return `prefix length "${prefixText}" is not 0–${bits + mapped}`;
    }
    prefix = Number(prefixText) - mapped;
  }
  return { version: address.version, network: mask(address.value, prefix, bits), prefix, text };
}

function mask(value: bigint, prefix: number, bits: number): bigint {
  const shift = BigInt(bits - prefix);
  return (value >> shift) << shift;
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(text: string): bigint {
  let t = text;
  const zone = t.indexOf('%');
  if (zone >= 0) {
    t = t.slice(0, zone);
  }
  // A trailing dotted IPv4 part stands for the last two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (dotted) {
    const v4 = Number(ipv4Value(dotted[1]));
    t = `${t.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = t.includes('::') ? t.split('::') : [t, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export class CidrSet<T> {
  private readonly byVersion = { 4: new Map<number, Map<bigint, T>>(), 6: new Map<number, Map<bigint, T>>() };
  // Prefix lengths present, longest first, per version.
  private readonly prefixes: { 4: number[]; 6: number[] } = { 4: [], 6: [] };
  size = 0;

  // The first value added for a block wins (the earliest line of a list names it).
  add(cidr: Cidr, value: T): void {
    const lengths = this.byVersion[cidr.version];
    let blocks = lengths.get(cidr.prefix);
    if (!blocks) {
      blocks = new Map();
      lengths.set(cidr.prefix, blocks);
      this.prefixes[cidr.version] = [...lengths.keys()].sort((a, b) => b - a);
    }
    if (!blocks.has(cidr.network)) {
      blocks.set(cidr.network, value);
      this.size++;
    }
  }

  // The most specific block holding the address.
  match(address: ParsedAddress): T | undefined {
    const lengths = this.byVersion[address.version];
    const bits = BITS[address.version];
    for (const prefix of this.prefixes[address.version]) {
      const hit = lengths.get(prefix)!.get(mask(address.value, prefix, bits));
      if (hit !== undefined) {
        return hit;
      }
    }
    return undefined;
  }
}
