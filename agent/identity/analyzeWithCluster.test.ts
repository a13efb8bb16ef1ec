// `analyze --pcap --cluster` end to end: the bundled agent reads a capture of unanswered SYNs and prints drops
// carrying pod identity and the NetworkPolicy explanation.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { NetworkEvent } from '../../model/events';

const ROOT = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wiretrace-analyze-'));

function checksum(bytes: Buffer): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += (bytes[i] << 8) + (bytes[i + 1] ?? 0);
  }
  while (sum > 0xffff) {
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ~sum & 0xffff;
}

// An Ethernet/IPv4/TCP SYN with valid checksums.
function syn(src: string, dst: string, sport: number, dport: number): Buffer {
  const ip = (a: string) => Buffer.from(a.split('.').map(Number));
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(sport, 0);
  tcp.writeUInt16BE(dport, 2);
  tcp.writeUInt32BE(1000, 4);
  tcp[12] = 5 << 4;
  tcp[13] = 0x02;
  tcp.writeUInt16BE(64240, 14);
  const pseudo = Buffer.concat([ip(src), ip(dst), Buffer.from([0, 6, 0, tcp.length])]);
  tcp.writeUInt16BE(checksum(Buffer.concat([pseudo, tcp])), 16);
  const header = Buffer.alloc(20);
  header[0] = 0x45;
  header.writeUInt16BE(20 + tcp.length, 2);
  header[8] = 64;
  header[9] = 6;
  ip(src).copy(header, 12);
  ip(dst).copy(header, 16);
  header.writeUInt16BE(checksum(header), 10);
  const ethernet = Buffer.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0]);
  return Buffer.concat([ethernet, header, tcp]);
}

function pcap(records: Array<[number, Buffer]>): Buffer {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20);
  return Buffer.concat([
    global,
    ...records.flatMap(([seconds, packet]) => {
      const header = Buffer.alloc(16);
      header.writeUInt32LE(seconds, 0);
      header.writeUInt32LE(packet.length, 8);
      header.writeUInt32LE(packet.length, 12);
      return [header, packet];
    }),
  ]);
}

test('drops are printed with identity and the policy that denied them', () => {
  const agent = join(dir, 'agent.cjs');
  buildSync({
    entryPoints: [join(ROOT, 'agent/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    outfile: agent,
    logLevel: 'error',
  });
  const capture = join(dir, 'drops.pcap');
  const t = 1_763_700_000;
  const retries = [0, 1, 3].map((dt): [number, Buffer] => [t + dt, syn('10.42.0.11', '10.42.1.21', 40000, 8443)]);
  writeFileSync(capture, pcap([...retries, [t + 60, syn('10.42.0.12', '10.42.1.21', 40001, 8443)]]));

  const run = spawnSync(
    process.execPath,
    [agent, 'analyze', '--pcap', capture, '--cluster', join(ROOT, 'tests/fixtures/netpol/clusters/shop.yaml')],
    {
      encoding: 'utf8',
    }
  );
  expect(run.status).toBe(0);
  const drops = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as NetworkEvent)
    .filter((e) => e.kind === 'drop');
  expect(drops.length).toBeGreaterThanOrEqual(1);
  expect(drops[0].src).toMatchObject({
    pod: 'frontend-6d4b9c7f5-x2k8p',
    workload: { kind: 'Deployment', name: 'frontend' },
  });
  expect(drops[0].dst).toMatchObject({ pod: 'payments-7c9f6d8b4-m4n5b', service: 'payments', node: 'node-b' });
  // Per-rule detail (policy.*.rules) is checked by the explainer's own tests; here the verdict and its reason.
  expect(drops[0].drop?.policy).toMatchObject({
    allowed: false,
    egress: {
      allowed: true,
      policies: ['shop/frontend-egress'],
      reason: 'allowed by shop/frontend-egress egress rule 1',
    },
    ingress: {
      allowed: false,
      policies: ['shop/default-deny', 'shop/payments-allow-checkout'],
      reason: 'no rule in [shop/default-deny, shop/payments-allow-checkout] allows app=frontend (shop) on 8443/TCP',
    },
  });
});
