// A drop's id as the backend's frames write it: `<time µs>-<src ip>-<dst ip>-<dst port>` (IPv6 has no '-').
export interface DropKey {
  timeUs: number;
  srcIp: string;
  dstIp: string;
  dstPort: number;
}

const DROP_ID = /^(\d{10,19})-([0-9a-fA-F.:]+)-([0-9a-fA-F.:]+)-(\d{1,5})$/;

export function parseDropId(raw: string | undefined): DropKey | undefined {
  const match = raw ? DROP_ID.exec(raw.trim()) : null;
  if (!match) {
    return undefined;
  }
  const dstPort = Number(match[4]);
  return dstPort > 65535 ? undefined : { timeUs: Number(match[1]), srcIp: match[2], dstIp: match[3], dstPort };
}

// The window around a drop the page looks in, in milliseconds since the epoch.
export function dropWindow(key: DropKey, marginMs = 5 * 60_000): { from: number; to: number } {
  const ms = Math.floor(key.timeUs / 1000);
  return { from: ms - marginMs, to: ms + marginMs };
}
