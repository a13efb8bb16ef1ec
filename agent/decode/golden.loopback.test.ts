// Golden tests against the real tools: tcpdump writes the capture of traffic this test makes on loopback,
// and tshark's reading of the same file is the reference for ours.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, createServer } from 'node:http';
import { Resolver } from 'node:dns/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCaptureFile, type DecodedCapture } from './decodeCapture';
import { parseDnsMessage } from './dns/dnsMessage';
import type { Http1Message } from './http1/http1Message';
import { Http1StreamParser } from './http1/http1StreamParser';
import { extractTraceContext } from './http1/traceContext';
import type { DecodedPacket } from './packet';

const tools = ['tcpdump', 'tshark', 'editcap', 'dnsmasq'].every(
  (t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0
);
const live = tools && process.getuid?.() === 0 ? describe : describe.skip;

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function startTcpdump(file: string, filter: string, extra: string[] = []) {
  // 64 MiB of kernel buffer holds the whole scenario, so a busy machine rarely makes tcpdump drop any of it.
  const child = spawn('tcpdump', ['-i', 'lo', '-U', '--immediate-mode', '-B', '65536', '-w', file, ...extra, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('listening on')) {
        resolve();
      }
    });
    child.on('close', () => reject(new Error(`tcpdump exited: ${stderr}`)));
  });
  // Resolves with the packets the kernel dropped before tcpdump read them (its exit statistics).
  return async (): Promise<number> => {
    await waitForCaptureEnd(file);
    const closed = new Promise((r) => child.on('close', r));
    child.kill('SIGINT');
    await closed;
    return Number(/(\d+) packets? dropped by kernel/.exec(stderr)?.[1] ?? 0);
  };
}

// The traffic ends with the DNS answer 10.9.8.7: tcpdump on a busy machine writes it late, and a SIGINT before that
// loses what it had not read yet. Wait for the answer in the file, then for the file to stop growing (closing FINs).
async function waitForCaptureEnd(file: string): Promise<void> {
  const answer = Buffer.from([10, 9, 8, 7]);
  let lastSize = -1;
  for (let poll = 0; poll < 600; poll++) {
    const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
    if (bytes.includes(answer) && bytes.length === lastSize) {
      return;
    }
    lastSize = bytes.length;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`tcpdump never wrote the end of the test traffic to ${file}`);
}

function tsharkFields(file: string, fields: string[]): string[][] {
  const args = [
    '-r',
    file,
    '-T',
    'fields',
    '-E',
    'separator=|',
    '-E',
    'occurrence=f',
    ...fields.flatMap((f) => ['-e', f]),
  ];
  const out = spawnSync('tshark', args, { encoding: 'utf8' });
  return out.stdout
    .trim()
    .split('\n')
    .map((l) => l.split('|'));
}

async function makeTraffic(httpPort: number, dnsPort: number): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(req.method === 'POST' ? 'created' : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(httpPort, '127.0.0.1', r));
  const call = (method: string, path: string, body?: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: httpPort, method, path, headers: { traceparent: TRACEPARENT, connection: 'close' } },
        (res) => {
          res.resume();
          res.on('end', resolve);
        }
      );
      req.on('error', reject);
      req.end(body);
    });
  await call('GET', '/api/items?limit=5');
  await call('POST', '/api/orders', JSON.stringify({ item: 1 }));
  await call('GET', '/missing');
  await new Promise((r) => server.close(r));
  const resolver = new Resolver({ timeout: 2000, tries: 3 });
  resolver.setServers([`127.0.0.1:${dnsPort}`]);
  expect(await resolver.resolve4('api.golden.test')).toEqual(['10.9.8.7']);
}

// A real DNS server on loopback, answered once before the capture starts so the capture holds no retries.
async function startDnsmasq(dnsPort: number) {
  const args = [
    '--no-daemon',
    '--conf-file=/dev/null',
    `--port=${dnsPort}`,
    '--listen-address=127.0.0.1',
    '--bind-interfaces',
  ];
  const dnsmasq = spawn('dnsmasq', [...args, '--no-resolv', '--no-hosts', '--address=/golden.test/10.9.8.7'], {
    stdio: 'ignore',
  });
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${dnsPort}`]);
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await resolver.resolve4('ready.golden.test');
      return () => dnsmasq.kill();
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  dnsmasq.kill();
  throw new Error('dnsmasq did not answer on loopback');
}

function httpMessages(packets: DecodedPacket[], serverPort: number): Http1Message[] {
  const out: Http1Message[] = [];
  const parsers = new Map<string, Http1StreamParser>();
  for (const p of packets) {
    if (!p.tcp || p.payload.length === 0) {
      continue;
    }
    const toServer = p.tcp.dstPort === serverPort;
    const key = `${toServer ? p.tcp.srcPort : p.tcp.dstPort}/${toServer}`;
    let parser = parsers.get(key);
    if (!parser) {
      parser = new Http1StreamParser({
        role: toServer ? 'request' : 'response',
        onMessage: (m) => out.push(m),
        maxBodyBytes: 64,
      });
      parsers.set(key, parser);
    }
    parser.push(p.payload, p.timeUs);
  }
  parsers.forEach((p) => p.end(0));
  return out;
}

// The capture, its retakes and the tshark passes take minutes on a fully busy machine: the config's bound applies.
live('golden captures from tcpdump on loopback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-golden-'));
  const pcap = join(dir, 'lo.pcap');
  const pcapNano = join(dir, 'lo-nano.pcap');
  const pcapng = join(dir, 'lo.pcapng');
  let httpPort = 0;
  let ours: DecodedCapture;

  beforeAll(async () => {
    httpPort = await freePort();
    const dnsPort = await freePort();
    const filter = `tcp port ${httpPort} or udp port ${dnsPort}`;
    const stopDns = await startDnsmasq(dnsPort);
    try {
      // A busy machine can make the kernel drop packets before tcpdump reads them; such a file is no reference,
      // so the traffic is captured again (tcpdump's own statistics say when).
      let dropped = 0;
      for (let attempt = 0; attempt < 3; attempt++) {
        const stopMicro = await startTcpdump(pcap, filter);
        const stopNano = await startTcpdump(pcapNano, filter, ['--time-stamp-precision=nano']);
        try {
          await makeTraffic(httpPort, dnsPort);
        } finally {
          dropped = (await stopMicro()) + (await stopNano());
        }
        if (dropped === 0) {
          break;
        }
      }
      expect(dropped).toBe(0);
    } finally {
      stopDns();
    }
    expect(spawnSync('editcap', ['-F', 'pcapng', pcap, pcapng]).status).toBe(0);
    ours = decodeCaptureFile(pcap);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes every packet tshark sees, with the same addresses, ports, sequence numbers and flags', () => {
    const reference = tsharkFields(pcap, [
      'frame.time_epoch',
      'ip.src',
      'ip.dst',
      'tcp.srcport',
      'tcp.dstport',
      'udp.srcport',
      'udp.dstport',
      'tcp.seq_raw',
      'tcp.flags',
      'tcp.window_size_value',
      'tcp.len',
      'udp.length',
    ]);
    expect(ours.error).toBeUndefined();
    expect(ours.packets.length).toBe(reference.length);
    expect(ours.packets.length).toBeGreaterThan(20);
    ours.packets.forEach((p, i) => {
      const [time, src, dst, tsp, tdp, usp, udp, seq, flags, window, tcpLen, udpLen] = reference[i];
      expect(p.timeUs).toBe(Math.round(Number(time) * 1e6));
      expect([p.srcIp, p.dstIp]).toEqual([src, dst]);
      if (p.tcp) {
        expect([p.tcp.srcPort, p.tcp.dstPort, p.tcp.seq, p.tcp.flags, p.tcp.window, p.payload.length]).toEqual([
          Number(tsp),
          Number(tdp),
          Number(seq),
          parseInt(flags, 16),
          Number(window),
          Number(tcpLen),
        ]);
      } else {
        expect([p.udp?.srcPort, p.udp?.dstPort, p.payload.length + 8]).toEqual([
          Number(usp),
          Number(udp),
          Number(udpLen),
        ]);
      }
    });
  });

  it('reads the SYN options tshark reads', () => {
    const reference = tsharkFields(pcap, [
      'tcp.options.mss_val',
      'tcp.options.wscale.shift',
      'tcp.options.timestamp.tsval',
    ]);
    const syns = ours.packets.map((p, i) => [p, reference[i]] as const).filter(([p]) => p.tcp && p.tcp.flags & 0x02);
    expect(syns.length).toBe(6);
    for (const [p, [mss, shift, tsval]] of syns) {
      expect([p.tcp?.options.mss, p.tcp?.options.windowScale, p.tcp?.options.tsVal]).toEqual([
        Number(mss),
        Number(shift),
        Number(tsval),
      ]);
    }
  });

  it('reads the same packets from the nanosecond pcap and the pcapng conversion', () => {
    const nano = decodeCaptureFile(pcapNano);
    const ng = decodeCaptureFile(pcapng);
    expect(nano.format).toBe('pcap');
    expect(ng.format).toBe('pcapng');
    const shape = (c: DecodedCapture) =>
      c.packets.map(
        (p) => `${p.srcIp}:${p.tcp?.srcPort ?? p.udp?.srcPort}>${p.dstIp} ${p.tcp?.seq ?? ''} ${p.payload.length}`
      );
    expect(shape(ng)).toEqual(shape(ours));
    expect(ng.packets.map((p) => p.timeUs)).toEqual(ours.packets.map((p) => p.timeUs));
    expect(shape(nano)).toEqual(shape(ours));
  });

  it('parses the HTTP exchanges as tshark does, with the trace context', () => {
    const messages = httpMessages(ours.packets, httpPort);
    const requests = messages.flatMap((m) => (m.head.kind === 'request' ? [m.head] : []));
    const responses = messages.flatMap((m) => (m.head.kind === 'response' ? [m.head.status] : []));
    const reference = tsharkFields(pcap, ['http.request.method', 'http.request.uri', 'http.response.code']).filter(
      (r) => r.some((f) => f)
    );
    expect(requests.map((r) => [r.method, r.target])).toEqual(reference.filter((r) => r[0]).map((r) => [r[0], r[1]]));
    expect(responses).toEqual(reference.filter((r) => r[2]).map((r) => Number(r[2])));
    expect(responses).toEqual([200, 200, 404]);
    expect(extractTraceContext(requests[0].headers)).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    });
    const post = messages.find((m) => m.head.kind === 'request' && m.head.method === 'POST');
    expect(Buffer.from(post!.body!).toString()).toBe('{"item":1}');
  });

  it('parses the DNS exchange as tshark does', () => {
    const reference = tsharkFields(pcap, ['dns.id', 'dns.qry.name', 'dns.flags.rcode', 'dns.a', 'dns.qry.type']).filter(
      (r) => r[0]
    );
    const ourDns = ours.packets.filter((p) => p.udp).map((p) => parseDnsMessage(p.payload));
    expect(ourDns.length).toBe(reference.length);
    ourDns.forEach((r, i) => {
      const [id, name, rcode, a, qtype] = reference[i];
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect([r.message.id, r.message.questions[0].name, r.message.questions[0].type]).toEqual([
          Number(id),
          name,
          Number(qtype),
        ]);
        if (r.message.isResponse) {
          expect(r.message.rcode).toBe(Number(rcode) === 0 ? 'NOERROR' : expect.any(String));
          expect(r.message.answers.find((x) => x.typeName === 'A')?.data).toBe(a || undefined);
        }
      }
    });
    expect(ourDns.some((r) => r.ok && r.message.answers.some((x) => x.data === '10.9.8.7'))).toBe(true);
  });
});
