import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { CapturedFrame } from './captureFrame';
import { TcpdumpLiveSource } from './liveCapture';

const canCapture = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v tcpdump']).status === 0;
const live = canCapture ? describe : describe.skip;

// The datagram's text ends the frame (UDP on loopback, no trailer).
function datagramText(frame: CapturedFrame): string {
  return /ping \d+$/.exec(Buffer.from(frame.data).toString('latin1'))?.[0] ?? '';
}

function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

live('TcpdumpLiveSource on loopback', () => {
  async function capture(count: number, consume: (f: CapturedFrame) => void, queueMaxFrames?: number) {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const port = socket.address().port;
    const errors: string[] = [];
    const frameErrors: unknown[] = [];
    let shed = 0;
    const source = new TcpdumpLiveSource(
      { interfaces: ['lo'], snaplen: 65535, filter: `udp and dst port ${port}`, stallAfterMs: 0 },
      {
        onFrame: consume,
        onShed: (n) => (shed += n),
        onError: (m) => errors.push(m),
        onFrameError: (e) => frameErrors.push(e),
      },
      { queueMaxFrames, statsIntervalMs: 100 }
    );
    await source.start();
    for (let i = 0; i < count; i++) {
      await new Promise<void>((r) => socket.send(`ping ${i}`, port, '127.0.0.1', () => r()));
    }
    await new Promise((r) => setTimeout(r, 500));
    const health = source.health();
    await source.stop();
    socket.close();
    return { shed: () => shed, errors, frameErrors, health };
  }

  it('hands on every frame in order when the pipeline keeps up', async () => {
    const got: string[] = [];
    const { shed, errors } = await capture(20, (f) => got.push(datagramText(f)));
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `ping ${i}`));
    expect(shed()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('sheds and reports what a slow pipeline cannot take, keeping only the bounded queue', async () => {
    let delivered = 0;
    const { shed, errors } = await capture(
      300,
      () => {
        delivered++;
        blockFor(5);
      },
      4
    );
    expect(shed()).toBeGreaterThan(0);
    // Every packet sent is either handed on or counted as lost (shed by the queue or dropped by the kernel).
    expect(delivered + shed()).toBeGreaterThanOrEqual(300);
    expect(delivered).toBeLessThan(300);
    expect(errors).toEqual([]);
  });

  it('goes on after a packet whose handling throws, reporting each failure', async () => {
    const got: string[] = [];
    const { errors, frameErrors, health } = await capture(10, (f) => {
      const text = datagramText(f);
      if (text === 'ping 0' || text === 'ping 5') {
        throw new TypeError(`cannot handle ${text}`);
      }
      got.push(text);
    });
    expect(frameErrors).toHaveLength(2);
    expect(got).toEqual([1, 2, 3, 4, 6, 7, 8, 9].map((i) => `ping ${i}`));
    expect(errors).toEqual([]);
    expect(health.ok).toBe(true);
  });
});
