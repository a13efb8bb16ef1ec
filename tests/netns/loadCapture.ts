// Big captures for benchmarks: real traffic through the harness until the capture holds the packets asked for, or
// (where namespaces are not available) a synthetic capture of the same shape, written in the same pcap format.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MiniCluster, type HttpRequestPlan } from './miniCluster';
import { netnsSkipReason } from './availability';
import { DOMAIN, newTraceIds, PORTS } from './scenario';
import { writeSyntheticCapture } from './syntheticCapture';

export interface LoadCapture {
  file: string;
  packets: number;
  // Packets the kernel dropped before tcpdump read them: both tools read the same file, holes included.
  kernelDrops: number;
  // 'harness' for real traffic, 'synthetic' for the fallback.
  origin: 'harness' | 'synthetic';
  cleanup(): Promise<void>;
}

// Counts pcap records by walking their headers (no decoding).
export function countPcapRecords(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(24);
    if (readSync(fd, header, 0, 24, 0) < 24) {
      return 0;
    }
    const le = header.readUInt32LE(0) === 0xa1b2c3d4 || header.readUInt32LE(0) === 0xa1b23c4d;
    const size = statSync(file).size;
    const rec = Buffer.alloc(16);
    let offset = 24;
    let count = 0;
    while (offset + 16 <= size && readSync(fd, rec, 0, 16, offset) === 16) {
      const captured = le ? rec.readUInt32LE(8) : rec.readUInt32BE(8);
      offset += 16 + captured;
      if (offset <= size) {
        count++;
      }
    }
    return count;
  } finally {
    closeSync(fd);
  }
}

export async function makeLoadCapture(targetPackets: number, log: (m: string) => void): Promise<LoadCapture> {
  const skip = netnsSkipReason(['tcpdump', 'dnsmasq', 'iptables']);
  if (skip) {
    log(`network namespaces unavailable (${skip}): using a SYNTHETIC capture of the same shape`);
    return writeSyntheticCapture(targetPackets);
  }
  const cluster = MiniCluster.create([
    { name: 'coredns', namespace: 'kube-system', host: 10, network: 'local' },
    ...[2, 3, 4].map((host) => ({ name: `client${host}`, namespace: 'shop', host, network: 'local' as const })),
    { name: 'web', namespace: 'shop', host: 2, network: 'remote' },
  ]);
  try {
    const web = cluster.pod('web');
    await cluster.startHttpServer('web', PORTS.http);
    await cluster.startDns('coredns', DOMAIN, { [`web.${DOMAIN}`]: web.ip });
    // 256 MiB of kernel buffer: the harness makes traffic faster than a busy machine's tcpdump writes it.
    const capture = await cluster.startCapture(1600, 'br0', 256 * 1024);
    let packets = 0;
    for (let round = 0; packets < targetPackets; round++) {
      await Promise.all(
        ['client2', 'client3', 'client4'].map(async (client, i) => {
          const plan: HttpRequestPlan[] = Array.from({ length: 1500 }, (_, n) => ({
            url: `http://${web.ip}:${PORTS.http}${n % 10 === 0 ? '/status/503' : '/api/items'}`,
            method: n % 2 === 0 ? 'POST' : 'GET',
            propagation: (['traceparent', 'b3', 'uber-trace-id'] as const)[(n + i) % 3],
            ...(n % 2 === 0 ? { bodyBytes: 64 * 1024 } : {}),
            ...newTraceIds(),
          }));
          // Every third round opens a connection per request, so handshakes and closes are part of the mix.
          await cluster.runHttpClient(client, plan, { keepAlive: round % 3 !== 2, concurrency: 4 });
          await cluster.lookup(client, 'coredns', [`web.${DOMAIN}`, `nope${round}.${DOMAIN}`]);
        })
      );
      // The manifest would grow with every request; the benchmark only needs the capture.
      cluster.manifest.exchanges.length = 0;
      packets = countPcapRecords(capture);
      log(`harness round ${round + 1}: ${packets} packets captured`);
    }
    await cluster.stopCapture();
    const file = join(cluster.workDir, 'capture.pcap');
    return {
      file,
      packets: countPcapRecords(file),
      kernelDrops: cluster.lastCaptureKernelDrops,
      origin: 'harness',
      cleanup: () => cluster.destroy(),
    };
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
}
