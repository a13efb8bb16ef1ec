// The agent as assemble() builds it over a capture file, with parts handed in: the enrichers share one cluster view,
// a handed-in view replaces the config's, and a bad config section is named before anything starts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { ConfigError, parseAgentConfig } from '../config';
import { LINKTYPE } from '../sensors/captureFrame';
import { writePcap } from '../testkit/captureWriter';
import { ethernetFrame, ipv4Packet, tcpSegment, TCP_FLAGS } from '../testkit/packetBuilder';
import { assemble } from './assemble';
import { clusterViewFromFile, type ClusterView } from './clusterView';

const SHOP = join(__dirname, '../../tests/fixtures/netpol/clusters/shop.yaml');
const T0 = Date.UTC(2026, 2, 2, 10, 0, 0) * 1000;
const dir = mkdtempSync(join(tmpdir(), 'wiretrace-assemble-'));

// frontend → payments:8443, three SYNs nobody answers: one drop.
function unansweredSyns(): string {
  const syn = ethernetFrame(
    ipv4Packet(
      { src: '10.42.0.11', dst: '10.42.1.21', protocol: 6 },
      tcpSegment({ srcPort: 40000, dstPort: 8443, flags: TCP_FLAGS.SYN })
    )
  );
  const file = join(dir, 'syns.pcap');
  writeFileSync(
    file,
    writePcap(
      [0, 1, 3].map((s) => ({ timeUs: T0 + s * 1_000_000, data: syn })),
      { linkType: LINKTYPE.ETHERNET }
    )
  );
  return file;
}

async function analyzed(
  config = parseAgentConfig({}),
  clusterView?: ClusterView | null,
  kind: NetworkEvent['kind'] = 'drop'
): Promise<NetworkEvent[]> {
  const events: NetworkEvent[] = [];
  const agent = assemble(
    config,
    { kind: 'file', path: unansweredSyns() },
    {
      clusterView,
      onEvent: (e) => events.push(e),
      log: () => undefined,
    }
  );
  const { ok, capture } = await agent.start();
  await agent.stop();
  expect(ok).toBe(true);
  expect(capture?.counters.packets).toBe(3);
  return events.filter((e) => e.kind === kind);
}

test('identity, then policy, over the one cluster view handed in', async () => {
  const file = clusterViewFromFile(SHOP);
  let snapshots = 0;
  const counted: ClusterView = { ...file, snapshot: () => (snapshots++, file.snapshot()) };
  const drops = await analyzed(undefined, counted);
  expect(drops.length).toBeGreaterThanOrEqual(1);
  expect(drops[0].src).toMatchObject({ pod: 'frontend-6d4b9c7f5-x2k8p', workload: { name: 'frontend' } });
  // The explanation needed the pods identity found; only drops asked the view for its snapshot.
  expect(drops[0].drop?.policy).toMatchObject({ allowed: false, ingress: { allowed: false } });
  expect(snapshots).toBe(drops.length);
});

test('the config names the cluster file; a handed-in null view means none, and the file is never read', async () => {
  const [fromConfig] = await analyzed(parseAgentConfig({ clusterFile: SHOP }));
  expect(fromConfig.dst.pod).toBe('payments-7c9f6d8b4-m4n5b');
  const [bare] = await analyzed(parseAgentConfig({ clusterFile: join(dir, 'no-such-cluster.yaml') }), null);
  expect(bare.src).toEqual({ ip: '10.42.0.11', port: 40000 });
  expect(bare.drop?.policy).toBeUndefined();
});

test('a bad NFLOG prefix pattern is named, with the config it came from, before anything starts', () => {
  const config = parseAgentConfig({ nflog: { group: 5, prefixPattern: '^x(.*)' } });
  const build = () =>
    assemble(config, { kind: 'file', path: '/dev/null', origin: 'agent.yaml' }, { log: () => undefined });
  expect(build).toThrow(ConfigError);
  expect(build).toThrow(/^agent\.yaml: .*needs a named group \(\?<policy>\.\.\.\)/);
});

test('the security section adds its watcher: a connection to a blocklisted address gives one signal, not one per SYN', async () => {
  const blocklist = join(dir, 'blocklist.txt');
  writeFileSync(blocklist, '# payments subnet\n10.42.1.0/24\n');
  const signals = await analyzed(parseAgentConfig({ security: { blocklists: [blocklist] } }), null, 'signal');
  expect(signals).toHaveLength(1);
  expect(signals[0]).toMatchObject({
    src: { ip: '10.42.0.11', port: 40000 },
    dst: { ip: '10.42.1.21', port: 8443 },
    signal: { matches: [{ rule: 'blocklisted_address', end: 'dst', detail: `${blocklist}:2 10.42.1.0/24` }] },
  });
  expect(await analyzed(parseAgentConfig({}), null, 'signal')).toEqual([]);
});
