// IP address text for decoded packets: cached per address so the hot path rarely builds a string.

const V4_SLOTS = 1 << 16;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Text: Array<string | undefined> = new Array(V4_SLOTS).fill(undefined);

export function ipv4Text(b: Uint8Array, o: number): string {
  const key = (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  // Direct-mapped: a collision only costs a rebuild, never a wrong answer.
  const slot = (key ^ (key >>> 16)) & (V4_SLOTS - 1);
  if (v4Keys[slot] === key) {
    const cached = v4Text[slot];
    if (cached !== undefined) {
      return cached;
    }
    const text = `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
    v4Text[slot] = text;
    return text;
  }
  // An address's first sighting only claims the slot: its text is kept from the second on, so a stream of addresses
  // each seen once (a scan, a flood of clients) leaves short-lived strings instead of filling the cache with them.
  v4Keys[slot] = key;
  v4Text[slot] = undefined;
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

const V6_SLOTS = 1 << 12;
const v6Keys = new Int32Array(V6_SLOTS * 4);
const v6Text: Array<string | undefined> = new Array(V6_SLOTS).fill(undefined);

function word(b: Uint8Array, o: number): number {
  return (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
}

export function ipv6Text(b: Uint8Array, o: number): string {
  const w0 = word(b, o);
  const w1 = word(b, o + 4);
  const w2 = word(b, o + 8);
  const w3 = word(b, o + 12);
  const hash = Math.imul(w0 ^ Math.imul(w1, 31) ^ Math.imul(w2, 961) ^ Math.imul(w3, 29791), 0x9e3779b1);
  const slot = (hash >>> 20) & (V6_SLOTS - 1);
  const k = slot * 4;
  const cached = v6Text[slot];
  if (
    cached !== undefined &&
    v6Keys[k] === w0 &&
    v6Keys[k + 1] === w1 &&
    v6Keys[k + 2] === w2 &&
    v6Keys[k + 3] === w3
  ) {
    return cached;
  }
  const text = formatIpv6(b, o);
  v6Keys[k] = w0;
  v6Keys[k + 1] = w1;
  v6Keys[k + 2] = w2;
  v6Keys[k + 3] = w3;
  v6Text[slot] = text;
  return text;
}

// RFC 5952 text: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as "::", IPv4-mapped in dotted form.
export function formatIpv6(b: Uint8Array, o: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) {
    groups.push((b[o + 2 * i] << 8) | b[o + 2 * i + 1]);
  }
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    return `::ffff:${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (g: number) => g.toString(16);
  if (bestStart < 0) {
    return groups.map(hex).join(':');
  }
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups
    .slice(bestStart + bestLength)
    .map(hex)
    .join(':');
  return `${head}::${tail}`;
}
