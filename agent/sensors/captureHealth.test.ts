import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureHealth } from './captureHealth';
import { TcpdumpSensor } from './tcpdumpSensor';

describe('CaptureHealth', () => {
  it('is unhealthy once capture stopped, naming why', () => {
    const health = new CaptureHealth(0);
    expect(health.report([{ iface: 'lo', frames: 3, ended: false }], 1000).ok).toBe(true);
    health.stopped('live capture stopped: the frame stream ended');
    expect(health.report([{ iface: 'lo', frames: 3, ended: false }], 2000)).toMatchObject({
      ok: false,
      reasons: ['live capture stopped: the frame stream ended'],
    });
  });

  it('is unhealthy when a capture ended on its own', () => {
    const health = new CaptureHealth(0);
    expect(health.report([{ iface: 'eth0', frames: 0, ended: true }], 0)).toMatchObject({
      ok: false,
      reasons: ['capture on eth0 ended'],
    });
  });

  it('calls silence unhealthy only on an interface that had traffic, after the configured time', () => {
    const health = new CaptureHealth(5000);
    const at = (lo: number, idle: number, now: number) =>
      health.report(
        [
          { iface: 'lo', frames: lo, ended: false },
          { iface: 'idle0', frames: idle, ended: false },
        ],
        now
      );
    expect(at(10, 0, 0).ok).toBe(true);
    expect(at(20, 0, 4000).ok).toBe(true);
    // 4 s after the last change, still within 5 s.
    expect(at(20, 0, 8000).ok).toBe(true);
    const quiet = at(20, 0, 9500);
    expect(quiet.ok).toBe(false);
    expect(quiet.reasons).toEqual(['no packet on lo for 6 s (it had traffic before)']);
    expect(at(21, 0, 9600).ok).toBe(true);
    // idle0 never had traffic: never reported quiet.
    expect(at(22, 0, 60_000).reasons.some((r) => r.includes('idle0'))).toBe(false);
  });
});

describe('TcpdumpSensor on a stream that stops parsing', () => {
  it('stops that tcpdump and reports the capture ended, instead of reading on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-fake-tcpdump-'));
    const fake = join(dir, 'tcpdump');
    // Says it listens, then writes bytes that are no capture format, forever.
    writeFileSync(fake, '#!/bin/sh\necho "listening on lo" >&2\nexec cat /dev/zero\n');
    chmodSync(fake, 0o755);
    const ended: string[] = [];
    const sensor = new TcpdumpSensor({
      interfaces: ['lo'],
      tcpdumpPath: fake,
      onCaptureEnded: (_iface, message) => ended.push(message),
    });
    await sensor.start();
    const deadline = Date.now() + 30_000;
    while (sensor.interfaceFrames().some((i) => !i.ended) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ended).toEqual([
      'capture stream from tcpdump on lo stopped parsing: not a pcap or pcapng capture: starts with 0x00000000',
    ]);
    expect(sensor.interfaceFrames()).toEqual([{ iface: 'lo', frames: 0, ended: true }]);
    await sensor.stop();
  });
});
