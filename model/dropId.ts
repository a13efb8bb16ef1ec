// A drop's id, written by the backend's frames and read back by the pages: `<time µs>-<src ip>-<dst ip>-<dst port>`.
// Stable across agents and Loki for the same drop (IPv6 addresses have no '-').

export interface DropKey {
  timeUs: number;
  srcIp: string;
  dstIp: string;
  dstPort: number;
}

// What a drop id is made of; a NetworkEvent fits.
export interface DropIdentity {
  time: number;
  src: { ip: string };
  dst: { ip: string; port?: number };
}

export function formatDropId(drop: DropIdentity): string {
  return `${drop.time}-${drop.src.ip}-${drop.dst.ip}-${drop.dst.port ?? 0}`;
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

// The window around a drop a page or query looks in, in milliseconds since the epoch.
export function dropWindow(key: DropKey, marginMs = 5 * 60_000): { from: number; to: number } {
  const ms = Math.floor(key.timeUs / 1000);
  return { from: ms - marginMs, to: ms + marginMs };
}
