import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { ethernetFrame, ipv4Packet, linuxCooked2Frame, tcpSegment, TCP_FLAGS } from '../testkit/packetBuilder';
import { writePcap, writePcapng, type FrameRecord } from '../testkit/captureWriter';
import { LINKTYPE_NFLOG } from '../sensors/nflog/nflogFrame';
import { nflogFrame } from '../testkit/nflogFrameBuilder';
import { analyzeCommand } from './analyze';

const CLIENT = '10.244.1.2';
const SERVER = '10.244.2.2';

function frame(timeUs: number, src: string, dst: string, seg: Parameters<typeof tcpSegment>[0]): FrameRecord {
  return { timeUs, data: ethernetFrame(ipv4Packet({ src, dst, protocol: 6 }, tcpSegment(seg))) };
}

// A policy-dropped connect (SYN sent three times) and a keep-alive HTTP exchange with a traceparent.
function scenarioCapture(): Uint8Array {
  const frames: FrameRecord[] = [];
  const t0 = 1_767_225_600_000_000;
  for (const dt of [0, 1_000_000, 3_000_000]) {
    frames.push(frame(t0 + dt, CLIENT, SERVER, { srcPort: 40001, dstPort: 9090, seq: 100, flags: TCP_FLAGS.SYN }));
  }
  const request = Buffer.from(
    'GET /orders HTTP/1.1\r\nHost: web\r\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n\r\n'
  );
  const response = Buffer.from('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
  const t = t0 + 10_000;
  frames.push(frame(t, CLIENT, SERVER, { srcPort: 40002, dstPort: 8080, seq: 500, flags: TCP_FLAGS.SYN }));
  frames.push(
    frame(t + 40, SERVER, CLIENT, {
      srcPort: 8080,
      dstPort: 40002,
      seq: 900,
      ack: 501,
      flags: TCP_FLAGS.SYN | TCP_FLAGS.ACK,
    })
  );
  frames.push(
    frame(t + 80, CLIENT, SERVER, { srcPort: 40002, dstPort: 8080, seq: 501, ack: 901, flags: TCP_FLAGS.ACK })
  );
  frames.push(
    frame(t + 100, CLIENT, SERVER, {
      srcPort: 40002,
      dstPort: 8080,
      seq: 501,
      ack: 901,
      flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH,
      payload: request,
    })
  );
  frames.push(
    frame(t + 900, SERVER, CLIENT, {
      srcPort: 8080,
      dstPort: 40002,
      seq: 901,
      ack: 501 + request.length,
      flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH,
      payload: response,
    })
  );
  return writePcap(frames, { linkType: 1 });
}

async function runAnalyze(
  args: string[]
): Promise<{ code: number; events: NetworkEvent[]; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await analyzeCommand.run(args);
    const events = args.includes('table')
      ? []
      : stdout
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as NetworkEvent);
    return { code, events, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('wiretrace-agent analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wt-analyze-'));
  const file = join(dir, 'scenario.pcap');
  writeFileSync(file, scenarioCapture());

  it('prints the drop, the HTTP exchange and the flows as JSON lines in time order, with a summary', async () => {
    const r = await runAnalyze(['--pcap', file]);
    expect(r.code).toBe(0);
    expect(r.events.map((e) => e.kind)).toEqual(['drop', 'flow', 'flow', 'http']);
    expect(r.events[0]).toMatchObject({
      src: { ip: CLIENT, port: 40001 },
      dst: { ip: SERVER, port: 9090 },
      drop: { reason: 'unanswered_syn', attempts: 3 },
    });
    expect(r.events[3]).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      http: { method: 'GET', path: '/orders', status: 503, latencyUs: 800 },
    });
    expect(r.stderr).toMatch(/summary .*"packets":8.*"eventsByKind":\{/);
  });

  it('prints a table when asked', async () => {
    const r = await runAnalyze(['--pcap', file, '--format', 'table']);
    expect(r.stdout).toContain('unanswered_syn attempts=3');
    expect(r.stdout).toContain('GET web/orders 503 trace=0af7651916cd43dd8448eb211c80319c');
  });

  it('keeps the events before a cut and says where the file broke', async () => {
    const whole = scenarioCapture();
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 30));
    const r = await runAnalyze(['--pcap', cut]);
    expect(r.code).toBe(1);
    expect(r.events.some((e) => e.kind === 'drop')).toBe(true);
    expect(r.stderr).toMatch(/cut\.pcap: .+ \(the \d+ events before it were printed\)/);
  });

  it('names what is wrong with the command line or the file', async () => {
    expect((await runAnalyze([])).stderr).toContain('--pcap FILE is required');
    expect((await runAnalyze(['--pcap', file, '--format', 'xml'])).stderr).toContain('--format must be jsonl or table');
    const missing = await runAnalyze(['--pcap', join(dir, 'nope.pcap')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.pcap/);
  });

  it('stops at the first fatal format error of an endless input', async () => {
    const r = await runAnalyze(['--pcap', '/dev/zero', '--stream']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/dev/zero: not a pcap or pcapng capture: starts with 0x00000000');
  });

  it('refuses a FIFO or a device unless asked to stream, and reads a FIFO when asked', async () => {
    const fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const refused = await runAnalyze(['--pcap', fifo]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`capture ${fifo} is a FIFO (named pipe), not a regular file: pass --stream`);
    expect((await runAnalyze(['--pcap', '/dev/zero'])).stderr).toContain('is a character device');
    expect((await runAnalyze(['--pcap', dir])).stderr).toContain('is a directory');
    // A writer on the other end, as `tcpdump -w FIFO` would be.
    const writer = spawn('sh', ['-c', `cat "${file}" > "${fifo}"`]);
    const written = new Promise((r) => writer.once('exit', r));
    const streamed = await runAnalyze(['--pcap', fifo, '--stream']);
    await written;
    expect(streamed.code).toBe(0);
    expect(streamed.events.map((e) => e.kind)).toEqual(['drop', 'flow', 'flow', 'http']);
  });

  it('refuses a cluster file that is not a regular file, or too large, naming the file and the limit', async () => {
    const zero = await runAnalyze(['--pcap', file, '--cluster', '/dev/zero']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('cluster file /dev/zero is a character device, not a regular file');
    const big = join(dir, 'big.json');
    writeFileSync(big, Buffer.alloc(65 * 1024 * 1024, 0x20));
    const large = await runAnalyze(['--pcap', file, '--cluster', big]);
    expect(large.code).toBe(1);
    expect(large.stderr).toContain(`cluster file ${big} is 68157440 bytes, over the limit of 67108864 (64 MiB)`);
    const yaml = join(dir, 'big.yaml');
    writeFileSync(yaml, `# ${'x'.repeat(9 * 1024 * 1024)}\n`);
    const largeYaml = await runAnalyze(['--pcap', file, '--cluster', yaml]);
    expect(largeYaml.code).toBe(1);
    expect(largeYaml.stderr).toContain(`cluster file ${yaml} is 9437187 bytes of YAML, over the YAML limit of 8388608`);
    expect(largeYaml.stderr).toContain('-o json');
  });

  it('documents how streams are read', async () => {
    const help = await runAnalyze(['--help', '--format', 'table']);
    expect(help.stdout).toContain('--stream');
    expect(help.stdout).toContain('FIFO');
  });

  // `tcpdump -i nflog:5 -w`: link type 239, each frame a logged packet with the rule's prefix.
  it('reads an NFLOG capture as the drops it logged, the policy named by the prefix', async () => {
    const prefix = 'calico-drop:shop/deny-payments';
    const syn = ipv4Packet(
      { src: '10.244.1.2', dst: '10.244.2.3', protocol: 6 },
      tcpSegment({ srcPort: 43000, dstPort: 8443, flags: TCP_FLAGS.SYN })
    );
    const t0 = 1_700_000_000_000_000;
    const frames = [0, 1_000_000, 3_000_000].map((dt) => ({
      timeUs: t0 + dt,
      data: nflogFrame({ group: 5, prefix, payload: syn }),
    }));
    const nflogFile = join(dir, 'nflog.pcap');
    writeFileSync(nflogFile, writePcap(frames, { linkType: LINKTYPE_NFLOG }));
    const r = await runAnalyze(['--pcap', nflogFile]);
    expect(r.code).toBe(0);
    expect(r.events).toEqual([
      expect.objectContaining({
        kind: 'drop',
        source: 'nflog',
        src: { ip: '10.244.1.2', port: 43000 },
        dst: { ip: '10.244.2.3', port: 8443 },
        drop: { reason: `nflog:${prefix}`, verdict: 'dropped', attempts: 3, deniedBy: ['shop/deny-payments'] },
      }),
    ]);
    expect(r.stderr).toContain('"unsupportedLinkType":0');
  });

  // A pcapng written by `tcpdump -i any` beside an Ethernet interface, or by mergecap: each interface its link type.
  it('reads a pcapng whose interfaces have different link types, NFLOG among them', async () => {
    const t0 = 1_700_000_000_000_000;
    const ip = (srcPort: number) =>
      ipv4Packet(
        { src: '10.244.1.2', dst: '10.244.2.3', protocol: 6 },
        tcpSegment({ srcPort, dstPort: 8443, seq: 100, flags: TCP_FLAGS.SYN })
      );
    const bytes = writePcapng(
      [
        { linkType: 1, name: 'eth0' },
        { linkType: 276, name: 'any' },
        { linkType: LINKTYPE_NFLOG, name: 'nflog:5' },
      ],
      [
        { timeUs: t0, interfaceId: 0, data: ethernetFrame(ip(41000)) },
        { timeUs: t0 + 10, interfaceId: 1, data: linuxCooked2Frame(ip(42000), 3) },
        {
          timeUs: t0 + 20,
          interfaceId: 2,
          data: nflogFrame({ group: 5, prefix: 'drop:shop/deny', payload: ip(43000) }),
        },
      ]
    );
    const mixed = join(dir, 'mixed.pcapng');
    writeFileSync(mixed, bytes);
    const r = await runAnalyze(['--pcap', mixed]);
    expect(r.code).toBe(0);
    expect(r.events.map((e) => [e.kind, e.src.port, e.drop?.deniedBy])).toEqual([
      ['flow', 41000, undefined],
      ['flow', 42000, undefined],
      ['drop', 43000, ['shop/deny']],
    ]);
    expect(r.stderr).toContain('"unsupportedLinkType":0');
  });
});
