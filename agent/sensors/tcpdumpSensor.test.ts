import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { PacketDecoder } from '../decode/packetDecoder';
import { BoundedQueue } from './boundedQueue';
import { LINKTYPE, type CapturedFrame } from './captureFrame';
import { latestKernelDrops, parseTcpdumpStats } from './tcpdumpStats';
import { TcpdumpSensor } from './tcpdumpSensor';

const canCapture = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v tcpdump']).status === 0;
const live = canCapture ? describe : describe.skip;

async function udpPeer(): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { socket, port: socket.address().port };
}

async function sendMany(socket: Socket, port: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await new Promise<void>((r) => socket.send(`ping ${i}`, port, '127.0.0.1', () => r()));
    if (i % 20 === 19) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

async function take(frames: AsyncGenerator<CapturedFrame>, count: number, timeoutMs = 5000): Promise<CapturedFrame[]> {
  const out: CapturedFrame[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    const next = await Promise.race([frames.next(), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
    if (next && !next.done) {
      out.push(next.value);
    } else if (next?.done) {
      break;
    }
  }
  return out;
}

describe('parseTcpdumpStats', () => {
  it('reads the counters tcpdump prints on exit', () => {
    const stderr =
      'tcpdump: listening on lo\n12 packets captured\n14 packets received by filter\n2 packets dropped by kernel\n';
    expect(parseTcpdumpStats(stderr)).toEqual({ captured: 12, receivedByFilter: 14, droppedByKernel: 2 });
  });
});

describe('BoundedQueue', () => {
  it('sheds and counts when full by items or bytes, and drains in order', async () => {
    const q = new BoundedQueue<string>({ maxItems: 3, maxBytes: 10 }, (s) => s.length);
    expect(['aa', 'bb', 'cc', 'dd'].map((s) => q.offer(s))).toEqual([true, true, true, false]);
    expect(q.poll()).toBe('aa');
    expect(q.offer('xxxxxxx')).toBe(false);
    expect(q.offer('e')).toBe(true);
    q.close();
    const rest: string[] = [];
    for await (const s of q.drain()) {
      rest.push(s);
    }
    expect(rest).toEqual(['bb', 'cc', 'e']);
    expect([q.shed, q.shedBytes]).toEqual([2, 9]);
  });
});

live('TcpdumpSensor on loopback', () => {
  it('streams decoded packets from tcpdump and reports its counters on stop', async () => {
    const { socket, port } = await udpPeer();
    const sensor = new TcpdumpSensor({ interfaces: ['lo'], filter: `udp and dst port ${port}` });
    await sensor.start();
    const frames = sensor.frames();
    await sendMany(socket, port, 5);
    const got = await take(frames, 5);
    const report = await sensor.stop();
    socket.close();
    const decoder = new PacketDecoder();
    const packets = got.map((f) => decoder.decodeFrame(f));
    expect(packets.map((p) => Buffer.from(p!.payload).toString())).toEqual([
      'ping 0',
      'ping 1',
      'ping 2',
      'ping 3',
      'ping 4',
    ]);
    expect(packets[0]).toMatchObject({ srcIp: '127.0.0.1', dstIp: '127.0.0.1', udp: { dstPort: port }, ifName: 'lo' });
    expect(got[0].linkType).toBe(LINKTYPE.ETHERNET);
    expect(report.frames).toBe(5);
    expect(report.interfaces[0].tcpdump).toMatchObject({ captured: 5, droppedByKernel: 0 });
    expect(report.kernelDropped).toBe(0);
  });

  it('captures several interfaces at once, including any (Linux cooked v2 with interface index)', async () => {
    const { socket, port } = await udpPeer();
    const sensor = new TcpdumpSensor({ interfaces: ['lo', 'any'], filter: `udp and dst port ${port}` });
    await sensor.start();
    const frames = sensor.frames();
    await sendMany(socket, port, 3);
    const got = await take(frames, 6);
    await sensor.stop();
    socket.close();
    const linkTypes = got.map((f) => f.linkType).sort((a, b) => a - b);
    expect(linkTypes).toEqual([1, 1, 1, 276, 276, 276]);
    const cooked = new PacketDecoder().decodeFrame(got.find((f) => f.linkType === LINKTYPE.LINUX_SLL2)!);
    expect(cooked).toMatchObject({ udp: { dstPort: port } });
    expect(cooked?.ifIndex).toBeGreaterThan(0);
  });

  it('sheds and counts frames when the consumer does not keep up, with memory bounded by the queue', async () => {
    const { socket, port } = await udpPeer();
    const sensor = new TcpdumpSensor({ interfaces: ['lo'], filter: `udp and dst port ${port}`, queueMaxFrames: 16 });
    await sensor.start();
    await sendMany(socket, port, 200);
    await new Promise((r) => setTimeout(r, 500));
    expect(sensor.queued).toBe(16);
    const report = await sensor.stop();
    socket.close();
    let drained = 0;
    for await (const frame of sensor.frames()) {
      drained += frame.data.length > 0 ? 1 : 0;
    }
    // On a busy machine tcpdump itself may lose some to the kernel ring; those are reported, not hidden.
    expect(report.frames + report.kernelDropped).toBeGreaterThanOrEqual(200);
    expect(report.frames).toBeGreaterThan(16);
    expect(drained).toBe(16);
    expect(report.shedPackets).toBe(report.frames - 16);
  });

  it('names the problem when tcpdump cannot open the interface', async () => {
    const sensor = new TcpdumpSensor({ interfaces: ['wt-no-such-if0'] });
    await expect(sensor.start()).rejects.toThrow(
      /tcpdump on wt-no-such-if0 exited \(1\) before capturing: .*wt-no-such-if0/
    );
    await sensor.stop();
  });

  it('refuses nflog groups, which another source reads', () => {
    expect(() => new TcpdumpSensor({ interfaces: ['nflog:5'] })).toThrow(/read by the NFLOG source/);
  });
});

describe('latestKernelDrops', () => {
  it('reads the last count from both the SIGUSR1 line and the exit lines', () => {
    const usr1 = 'tcpdump: 10 packets captured, 12 packets received by filter, 2 packets dropped by kernel\n';
    expect(latestKernelDrops(usr1)).toBe(2);
    expect(
      latestKernelDrops(`${usr1}40 packets captured\n41 packets received by filter\n7 packets dropped by kernel\n`)
    ).toBe(7);
    expect(latestKernelDrops('tcpdump: listening on lo\n')).toBeUndefined();
  });
});
