// Time decomposition and TLS negotiation on real connections in a namespace: a name resolved by dnsmasq, a traced call
// over a fresh TLS 1.3 connection, a second call reusing it, a call over TLS 1.2 and a traced cleartext call. `analyze`
// on the capture (no keys) must give each phase within 1 ms of the frame times tshark reads with the server's TLS key
// log, the version, cipher, SNI and ALPN tshark reads from the hellos, and each connection's goodput as the payload
// tshark counts.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS } from '../netns/miniCluster';
import { hasCommand, waitFor } from '../netns/shell';
import { stopWhenSettled } from './settledCapture';
import { agentBuilt, analyze, type AnalyzeResult } from './agentProcess';
import { LoopbackNamespace } from './loopbackNamespace';
import {
  type TsharkExchange,
  type TsharkFrame,
  tsharkExchanges,
  tsharkFrames,
  tsharkLookups,
  tsharkNegotiations,
  type TsharkNegotiation,
} from './tsharkExchangeTimes';

const skipReason =
  netnsSkipReason(['tcpdump', 'dnsmasq', 'openssl']) ?? (agentBuilt() ? null : 'build the agent first');
const describeNetwork = skipReason ? describe.skip : describe;

const TLS_PORT = 8443;
const HTTP_PORT = 8080;
const CLIENT_IP = '127.0.0.1';
const SERVER_IP = '127.0.0.2';
const NAME = 'shop.test';
const SERVER = require.resolve('../netns/podScripts/timedServer.mjs');
const CLIENT = require.resolve('../netns/podScripts/timedClient.mjs');
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const TOLERANCE_US = 1000;
const PLAN = [
  { resolve: true, scheme: 'https', port: TLS_PORT, connection: 'tls13', path: '/fresh', traceparent: TRACEPARENT },
  { scheme: 'https', port: TLS_PORT, connection: 'tls13', path: '/reused' },
  { resolve: true, scheme: 'https', port: TLS_PORT, connection: 'tls12', tlsVersion: 'TLSv1.2', path: '/tls12' },
  { resolve: true, scheme: 'http', port: HTTP_PORT, connection: 'plain', path: '/plain', traceparent: TRACEPARENT },
].map((call) => ({ ...call, name: NAME }));

interface ClientSaw {
  status: number;
  body: string;
  localPort: number;
  path: string;
  address: string;
}

function finishedConnections(capture: string): number {
  const out = execFileSync('tcpdump', ['-nr', capture, 'tcp[tcpflags] & tcp-fin != 0'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l.trim()).length;
}

// The largest distance between our phases and tshark's (their names must be the same, in the same order).
function phaseDistanceUs(ours: NetworkEvent, theirs: TsharkExchange): number {
  const mine = ours.http!.timing!.phases;
  expect(mine.map((p) => p.phase)).toEqual(theirs.phases.map((p) => p.phase));
  return Math.max(
    ...mine.flatMap((p, i) => [
      Math.abs(p.startUs - theirs.phases[i].startUs),
      Math.abs(p.endUs - theirs.phases[i].endUs),
    ])
  );
}

describeNetwork('time decomposition and TLS negotiation (Node https and http, dnsmasq)', () => {
  let lo: LoopbackNamespace;
  let capture: string;
  let keyLog: string;
  let clientSaw: ClientSaw[];
  let result: AnalyzeResult;
  let exchanges: NetworkEvent[];
  let theirs: TsharkExchange[];
  let negotiations: TsharkNegotiation[];
  let frames: TsharkFrame[];

  it('has tshark to compare with', () => {
    expect(hasCommand('tshark')).toBe(true);
  });

  beforeAll(async () => {
    lo = LoopbackNamespace.create('tlstime');
    capture = join(lo.workDir, 'timing.pcap');
    keyLog = join(lo.workDir, 'keys.log');
    const [cert, key] = [join(lo.workDir, 'cert.pem'), join(lo.workDir, 'key.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat([
        '-subj',
        `/CN=${NAME}`,
        '-addext',
        `subjectAltName=DNS:${NAME}`,
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'ignore', timeout: 30_000 }
    );
    await lo.start(
      'dnsmasq',
      [
        '--keep-in-foreground',
        '--log-facility=-',
        '--no-resolv',
        '--no-hosts',
        '--conf-file=/dev/null',
        `--pid-file=${join(lo.workDir, 'dnsmasq.pid')}`,
        `--listen-address=${CLIENT_IP}`,
        '--bind-interfaces',
        '--user=root',
        `--host-record=${NAME},${SERVER_IP}`,
      ],
      /started/,
      'dnsmasq'
    );
    const tcpdump = await lo.start(
      'tcpdump',
      ['-i', 'lo', '-U', '-w', capture, `udp port 53 or tcp port ${TLS_PORT} or tcp port ${HTTP_PORT}`],
      /listening on/,
      'tcpdump'
    );
    await lo.start(
      NODE_JS,
      [SERVER, SERVER_IP, String(TLS_PORT), String(HTTP_PORT), cert, key, keyLog],
      /listening/,
      'the server'
    );
    const out = await lo.run(NODE_JS, [CLIENT, CLIENT_IP, cert, JSON.stringify(PLAN)], 30_000);
    clientSaw = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ClientSaw);
    // The client closes its three connections; once their FINs are in the file and it stops growing, stop tcpdump.
    await waitFor(() => finishedConnections(capture) >= 3, 20_000, 'the connections to close in the capture');
    await stopWhenSettled(tcpdump, capture, 20_000);
    result = await analyze(['--pcap', capture]);
    exchanges = result.events.filter((e) => e.kind === 'http').sort((a, b) => a.time - b.time);
    frames = tsharkFrames(capture, TLS_PORT, keyLog);
    theirs = tsharkExchanges(frames, { tls: [TLS_PORT], plain: [HTTP_PORT] }, tsharkLookups(capture), {
      client: CLIENT_IP,
      server: SERVER_IP,
    });
    negotiations = tsharkNegotiations(capture, TLS_PORT);
  }, 90_000);

  afterAll(async () => {
    await lo?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it('the client resolved the name and got every answer, the second over the first connection', () => {
    expect(clientSaw.map((c) => [c.path, c.status, c.address])).toEqual(PLAN.map((p) => [p.path, 200, SERVER_IP]));
    expect(clientSaw.every((c) => c.body === `first part of ${c.path}\nsecond part\n`)).toBe(true);
    expect(clientSaw[1].localPort).toBe(clientSaw[0].localPort);
    expect(new Set(clientSaw.map((c) => c.localPort)).size).toBe(3);
  });

  it('finds the four exchanges tshark finds, one per call, on the connections the client used', () => {
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/"appParseErrors":0/);
    expect(theirs.map((t) => t.clientPort)).toEqual(clientSaw.map((c) => c.localPort));
    expect(exchanges.map((e) => e.src.port)).toEqual(clientSaw.map((c) => c.localPort));
    expect(exchanges.map((e) => [e.dst.ip, e.dst.port])).toEqual(PLAN.map((p) => [SERVER_IP, p.port]));
  });

  it('gives each phase within 1 ms of the frame times tshark reads (decrypting with the key log)', () => {
    const distances = exchanges.map((e, i) => phaseDistanceUs(e, theirs[i]));
    expect(Math.max(...distances)).toBeLessThanOrEqual(TOLERANCE_US);
    // The server thinks 12 ms and writes its body in two parts 8 ms apart: the phases are about that long, not noise.
    for (const e of exchanges) {
      const phase = (name: string) => e.http!.timing!.phases.find((p) => p.phase === name)!;
      expect(phase('ttfb').endUs - phase('ttfb').startUs).toBeGreaterThanOrEqual(10_000);
      expect(phase('transfer').endUs - phase('transfer').startUs).toBeGreaterThanOrEqual(5_000);
    }
  });

  it('starts each fresh connection with the DNS lookup, connect and TLS handshake; the reused one with none', () => {
    const timings = exchanges.map((e) => e.http!.timing!);
    expect(timings.map((t) => t.reused)).toEqual([false, true, false, false]);
    expect(timings.map((t) => t.dnsQuery)).toEqual([NAME, undefined, NAME, NAME]);
    expect(timings.map((t) => t.phases.map((p) => p.phase))).toEqual([
      ['dns', 'connect', 'tls', 'request', 'ttfb', 'transfer'],
      ['connect', 'request', 'ttfb', 'transfer'],
      ['dns', 'connect', 'tls', 'request', 'ttfb', 'transfer'],
      ['dns', 'connect', 'request', 'ttfb', 'transfer'],
    ]);
    const reusedConnect = timings[1].phases[0];
    expect(reusedConnect.endUs - reusedConnect.startUs).toBe(0);
    // Each fresh connection's dns phase is its own lookup, not the latest one.
    const dnsStarts = timings.filter((t) => !t.reused).map((t) => t.phases[0].startUs);
    expect(new Set(dnsStarts).size).toBe(3);
  });

  it("reads the traced cleartext call's traceparent; the encrypted ones show only their timing", () => {
    // tshark, decrypting, sees the traceparent on the fresh TLS call: the agent, without keys, cannot.
    expect(theirs[0].requestLines).toContain(`traceparent: ${TRACEPARENT}`);
    expect(exchanges.slice(0, 3).map((e) => [e.http!.encrypted, e.http!.method, e.traceId])).toEqual([
      [true, '', undefined],
      [true, '', undefined],
      [true, '', undefined],
    ]);
    expect(exchanges[3].http).toMatchObject({ method: 'GET', path: '/plain', status: 200 });
    expect(exchanges[3].traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(exchanges.map((e) => e.http!.host)).toEqual([NAME, NAME, NAME, NAME]);
  });

  it('names the TLS version, cipher, SNI and ALPN tshark reads from the hellos, and the handshake time', () => {
    const tls = result.events.filter((e) => e.kind === 'tls').sort((a, b) => a.time - b.time);
    const ours = tls.map((e) => ({
      clientPort: e.src.port!,
      sni: e.tls!.sni,
      offeredAlpn: e.tls!.offeredAlpn ?? [],
      version: e.tls!.version,
      cipher: e.tls!.cipher,
      alpn: e.tls!.alpn,
    }));
    const byPort = <T extends { clientPort: number }>(list: T[]) =>
      [...list].sort((a, b) => a.clientPort - b.clientPort);
    expect(byPort(ours)).toEqual(byPort(negotiations));
    expect(ours.map((o) => [o.version, o.sni, o.offeredAlpn])).toEqual([
      ['TLS 1.3', NAME, ['h2', 'http/1.1']],
      ['TLS 1.2', NAME, ['h2', 'http/1.1']],
    ]);
    // TLS 1.3 carries the chosen ALPN inside the encrypted extensions: neither tshark without keys nor we see it.
    expect(ours.map((o) => o.alpn)).toEqual([undefined, 'http/1.1']);
    expect(tls.every((e) => e.tls!.failure === undefined)).toBe(true);
    // The handshake's duration is the tls phase of the connection's first exchange.
    for (const e of tls) {
      const first = exchanges.find((x) => x.src.port === e.src.port)!;
      const phase = first.http!.timing!.phases.find((p) => p.phase === 'tls')!;
      expect(e.tls!.handshakeUs).toBe(phase.endUs - phase.startUs);
    }
  });

  it("reports each connection's goodput as the payload tshark counts, with its RTT jitter and health class", () => {
    const flows = result.events.filter((e) => e.kind === 'flow');
    const ports = clientSaw.map((c) => c.localPort).filter((p, i, all) => all.indexOf(p) === i);
    expect(flows.map((f) => f.src.port).sort()).toEqual([...ports].sort());
    for (const port of ports) {
      const stream = theirs.find((t) => t.clientPort === port)!.stream;
      const payload = frames.filter((f) => f.stream === stream).reduce((sum, f) => sum + f.payload, 0);
      const tcp = flows.find((f) => f.src.port === port)!.flow!.tcp!;
      // Nothing was resent on loopback: all payload arrived once.
      expect(tcp).toMatchObject({ payloadBytes: payload, retransmittedBytes: 0, goodputBytes: payload });
      expect(tcp).toMatchObject({ retransmitRate: 0, health: 'healthy' });
      expect(tcp.rttSamples).toBeGreaterThan(0);
      expect(tcp.rttJitterUs).toBeGreaterThanOrEqual(0);
      expect(tcp.rttJitterUs).toBeLessThanOrEqual(tcp.rttMaxUs! - tcp.rttMinUs!);
    }
  });
});
