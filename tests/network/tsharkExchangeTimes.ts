// tshark's view of a capture's HTTP exchanges, for comparing with the agent's time decomposition: per connection the
// SYN, SYN-ACK and ClientHello frame times; with the TLS key log, which frames carry application data (not session
// tickets, Finished or alerts); each exchange's phases computed from those frame times; and the negotiation as
// tshark reads it without keys (what the agent can see).
import { execFileSync } from 'node:child_process';
import type { ExchangePhase } from '../../model/events';

export interface TsharkFrame {
  us: number;
  stream: number;
  srcPort: number;
  dstPort: number;
  syn: boolean;
  ack: boolean;
  payload: number;
  // Record content types, decrypted ones with their inner type (23 only for application data).
  contentTypes: number[];
  handshakeTypes: number[];
  requestLines: string[];
}

export interface TsharkExchange {
  stream: number;
  clientPort: number;
  phases: ExchangePhase[];
  // The request's header lines tshark read (decrypted with the key log for TLS).
  requestLines: string[];
}

export interface TsharkNegotiation {
  clientPort: number;
  sni?: string;
  offeredAlpn: string[];
  version?: string;
  cipher?: string;
  alpn?: string;
}

const tshark = (args: string[]) =>
  execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });

// frame.time_epoch to µs without passing through a float (a pcap keeps µs).
function epochUs(text: string): number {
  const [s, frac = ''] = text.split('.');
  return Number(s) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

const numbers = (text: string) => (text ? text.split(';').map(Number) : []);

function fields(capture: string, extra: string[], names: string[]): string[][] {
  const out = tshark([
    '-r',
    capture,
    ...extra,
    '-T',
    'fields',
    '-E',
    'separator=|',
    '-E',
    'aggregator=;',
    '-E',
    'occurrence=a',
    ...names.flatMap((n) => ['-e', n]),
  ]);
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split('|'));
}

export function tsharkFrames(capture: string, tlsPort: number, keyLog: string): TsharkFrame[] {
  const rows = fields(
    capture,
    ['-o', `tls.keylog_file:${keyLog}`, '-d', `tcp.port==${tlsPort},tls`],
    [
      'frame.time_epoch',
      'tcp.stream',
      'tcp.srcport',
      'tcp.dstport',
      'tcp.flags.syn',
      'tcp.flags.ack',
      'tcp.len',
      'tls.record.content_type',
      'tls.handshake.type',
      'http.request.line',
    ]
  );
  return rows
    .filter((r) => r[1] !== '')
    .map((r) => ({
      us: epochUs(r[0]),
      stream: Number(r[1]),
      srcPort: Number(r[2]),
      dstPort: Number(r[3]),
      syn: r[4] === '1',
      ack: r[5] === '1',
      payload: Number(r[6]),
      contentTypes: numbers(r[7]),
      handshakeTypes: numbers(r[8]),
      // tshark prints each line's CRLF escaped.
      requestLines: r[9] ? r[9].split(';').map((l) => l.replace(/\\r\\n$/, '')) : [],
    }));
}

export interface TsharkLookup {
  us: number;
  endUs: number;
  clientIp: string;
  answers: string[];
}

export function tsharkLookups(capture: string): TsharkLookup[] {
  const rows = fields(capture, ['-Y', 'dns'], ['frame.time_epoch', 'dns.id', 'dns.flags.response', 'ip.src', 'dns.a']);
  const queries = new Map<string, { us: number; clientIp: string }>();
  const lookups: TsharkLookup[] = [];
  for (const [time, id, response, src, answers] of rows) {
    if (response === '0') {
      queries.set(id, { us: epochUs(time), clientIp: src });
    } else if (queries.has(id)) {
      const q = queries.get(id)!;
      lookups.push({
        us: q.us,
        endUs: epochUs(time),
        clientIp: q.clientIp,
        answers: answers ? answers.split(';') : [],
      });
    }
  }
  return lookups;
}

// Each exchange's phases as the agent defines them, from frame times: dns (the client's last lookup answering with the
// server address before the SYN), connect (SYN → SYN-ACK, or zero at the request on a reused connection), tls
// (ClientHello → the client's first application data), request (the client's application data until the server
// answers), ttfb (→ the server's first application data), transfer (→ its last before the client writes again).
export function tsharkExchanges(
  frames: TsharkFrame[],
  serverPorts: { tls: number[]; plain: number[] },
  lookups: TsharkLookup[],
  addresses: { client: string; server: string }
): TsharkExchange[] {
  const exchanges: TsharkExchange[] = [];
  const streams = [...new Set(frames.map((f) => f.stream))].sort((a, b) => a - b);
  for (const stream of streams) {
    const own = frames.filter((f) => f.stream === stream);
    const serverPort = own[0].syn && !own[0].ack ? own[0].dstPort : own[0].srcPort;
    const tls = serverPorts.tls.includes(serverPort);
    if (!tls && !serverPorts.plain.includes(serverPort)) {
      continue;
    }
    const fromClient = (f: TsharkFrame) => f.dstPort === serverPort;
    const carriesData = (f: TsharkFrame) => (tls ? f.contentTypes.includes(23) : f.payload > 0);
    const syn = own.find((f) => f.syn && !f.ack)!;
    const synAck = own.find((f) => f.syn && f.ack)!;
    const hello = own.find((f) => fromClient(f) && f.handshakeTypes.includes(1));
    let current: { start: number; end: number; lines: string[]; response?: [number, number] } | undefined;
    const finish = () => {
      if (!current) {
        return;
      }
      const c = current;
      const first = exchanges.filter((e) => e.stream === stream).length === 0;
      const phases: ExchangePhase[] = [];
      if (first) {
        const lookup = lookups
          .filter((l) => l.clientIp === addresses.client && l.answers.includes(addresses.server) && l.endUs <= syn.us)
          .at(-1);
        if (lookup) {
          phases.push({ phase: 'dns', startUs: lookup.us, endUs: lookup.endUs });
        }
        phases.push({ phase: 'connect', startUs: syn.us, endUs: synAck.us });
        if (tls && hello) {
          phases.push({ phase: 'tls', startUs: hello.us, endUs: c.start });
        }
      } else {
        phases.push({ phase: 'connect', startUs: c.start, endUs: c.start });
      }
      phases.push({ phase: 'request', startUs: c.start, endUs: c.end });
      if (c.response) {
        phases.push({ phase: 'ttfb', startUs: c.end, endUs: c.response[0] });
        phases.push({ phase: 'transfer', startUs: c.response[0], endUs: c.response[1] });
      }
      exchanges.push({ stream, clientPort: syn.srcPort, phases, requestLines: c.lines });
      current = undefined;
    };
    for (const f of own.filter(carriesData)) {
      if (fromClient(f)) {
        if (current?.response) {
          finish();
        }
        current ??= { start: f.us, end: f.us, lines: [] };
        current.end = f.us;
        current.lines.push(...f.requestLines);
      } else if (current) {
        current.response = [current.response?.[0] ?? f.us, f.us];
      }
    }
    finish();
  }
  return exchanges;
}

// The ClientHello's SNI and offered ALPN, the ServerHello's version, cipher and ALPN, read without the key log.
export function tsharkNegotiations(capture: string, tlsPort: number): TsharkNegotiation[] {
  const rows = fields(
    capture,
    [
      '-d',
      `tcp.port==${tlsPort},tls`,
      '-Y',
      'tls.handshake.type == 1 || tls.handshake.type == 2',
      '-o',
      'gui.column.format:"Protocol","%p","Cipher","%Cus:tls.handshake.ciphersuite"',
    ],
    [
      'tcp.srcport',
      'tcp.dstport',
      'tls.handshake.type',
      '_ws.col.Protocol',
      '_ws.col.Cipher',
      'tls.handshake.extensions_server_name',
      'tls.handshake.extensions_alpn_str',
    ]
  );
  const byPort = new Map<number, TsharkNegotiation>();
  for (const [src, dst, types, protocol, cipher, sni, alpn] of rows) {
    const isClientHello = numbers(types).includes(1);
    const clientPort = Number(isClientHello ? src : dst);
    const n = byPort.get(clientPort) ?? { clientPort, offeredAlpn: [] };
    byPort.set(clientPort, n);
    if (isClientHello) {
      n.sni = sni || undefined;
      n.offeredAlpn = alpn ? alpn.split(';') : [];
    } else {
      // The protocol column reads "TLSv1.3" from the ServerHello's supported_versions (or its version field).
      n.version = protocol.replace(/^TLSv/, 'TLS ');
      n.cipher = cipher;
      n.alpn = alpn || undefined;
    }
  }
  return [...byPort.values()];
}
