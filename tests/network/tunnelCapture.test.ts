// A capture of the underlay between two nodes whose pods talk over VXLAN (the IANA port and Flannel's): `analyze`
// reports the pods' flows and HTTP exchanges with the node addresses as the underlay, as tshark decodes them.
// (This kernel has no geneve or gre link types; those encapsulations are covered by the decoder's unit tests.)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS } from '../netns/miniCluster';
import { runIn, sh, shQuiet, spawnIn, waitFor } from '../netns/shell';
import { agentBuilt, analyze, type AnalyzeResult } from './agentProcess';

const skipReason =
  netnsSkipReason(['tcpdump', 'tshark']) ?? (agentBuilt() ? null : 'build the agent first (npm run build:agent)');
const describeNetwork = skipReason ? describe.skip : describe;
if (skipReason) {
  process.stderr.write(`network tests skipped: ${skipReason}\n`);
}

const NODES = { a: '192.168.77.1', b: '192.168.77.2' };
const OVERLAYS = [
  { dev: 'vx0', vni: 42, port: 4789, subnet: '10.200.0' },
  { dev: 'vx1', vni: 43, port: 8472, subnet: '10.201.0' },
];
const HTTP_PORT = 8080;

describeNetwork('analyze on a VXLAN underlay capture', () => {
  const run = process.pid.toString(36);
  const ns = { a: `wt-${run}-na`, b: `wt-${run}-nb` };
  const dir = mkdtempSync(join(tmpdir(), 'wt-vxlan-'));
  const file = join(dir, 'underlay.pcap');
  const children: ChildProcess[] = [];
  let result: AnalyzeResult;

  beforeAll(async () => {
    for (const n of Object.values(ns)) {
      sh('ip', ['netns', 'add', n]);
      sh('ip', ['-n', n, 'link', 'set', 'lo', 'up']);
    }
    sh('ip', ['link', 'add', 'eth0', 'netns', ns.a, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.b]);
    for (const side of ['a', 'b'] as const) {
      const other = side === 'a' ? 'b' : 'a';
      sh('ip', ['-n', ns[side], 'addr', 'add', `${NODES[side]}/24`, 'dev', 'eth0']);
      sh('ip', ['-n', ns[side], 'link', 'set', 'eth0', 'up']);
      for (const o of OVERLAYS) {
        const vxlan = ['type', 'vxlan', 'id', String(o.vni), 'remote', NODES[other], 'local', NODES[side]];
        sh('ip', ['-n', ns[side], 'link', 'add', o.dev, ...vxlan, 'dstport', String(o.port), 'dev', 'eth0']);
        sh('ip', ['-n', ns[side], 'addr', 'add', `${o.subnet}.${side === 'a' ? 1 : 2}/24`, 'dev', o.dev]);
        sh('ip', ['-n', ns[side], 'link', 'set', o.dev, 'up']);
      }
    }
    const server = spawnIn(ns.b, NODE_JS, [join(__dirname, '../netns/podScripts/httpServer.mjs'), '0.0.0.0', '8080']);
    children.push(server);
    let out = '';
    server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('listening'), 10_000, 'the HTTP server in node b');
    const tcpdump = spawn('ip', ['netns', 'exec', ns.a, 'tcpdump', '-i', 'eth0', '-U', '-w', file, 'udp']);
    children.push(tcpdump);
    let stderr = '';
    tcpdump.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(() => stderr.includes('listening on'), 10_000, 'tcpdump on the underlay');
    for (const o of OVERLAYS) {
      const request = `GET /status/201 HTTP/1.1\\r\\nHost: pod\\r\\nConnection: close\\r\\n\\r\\n`;
      const script = `exec 3<>/dev/tcp/${o.subnet}.2/${HTTP_PORT}; printf '${request}' >&3; cat <&3`;
      expect(await runIn(ns.a, 'bash', ['-c', script])).toContain('HTTP/1.1 201');
    }
    // A marker datagram on the underlay after the exchanges: once it is in the file, so is everything before it.
    const marker = `wt-vxlan-end-${run}`;
    await waitFor(
      () => {
        sh('ip', ['netns', 'exec', ns.a, 'bash', '-c', `printf ${marker} > /dev/udp/${NODES.b}/9`]);
        return existsSync(file) && readFileSync(file).includes(marker);
      },
      30_000,
      'the end-of-capture marker'
    );
    const exited = new Promise((r) => tcpdump.once('exit', r));
    tcpdump.kill('SIGINT');
    await exited;
    result = await analyze(['--pcap', file]);
  });

  afterAll(() => {
    children.forEach((c) => c.kill('SIGKILL'));
    Object.values(ns).forEach((n) => shQuiet('ip', ['netns', 'del', n]));
    rmSync(dir, { recursive: true, force: true });
  });

  function tshark(filter: string, ...fields: string[]): string[][] {
    const args = ['-r', file, '-n', '-d', 'udp.port==8472,vxlan', '-Y', filter, '-T', 'fields'];
    return execFileSync('tshark', [...args, ...fields.flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => l.split('\t'));
  }

  it('reports the pods’ HTTP exchanges tshark decodes inside the tunnels, with the nodes as the underlay', () => {
    expect(result.code).toBe(0);
    const fromTshark = tshark('http.request', 'ip.src', 'ip.dst', 'http.request.uri')
      .map(([, inner, uri]) => `${inner.split(',').pop()} ${uri}`)
      .sort();
    const http = result.events.filter((e) => e.kind === 'http');
    expect(http.map((e) => `${e.dst.ip} ${e.http?.path}`).sort()).toEqual(fromTshark);
    expect(fromTshark).toHaveLength(OVERLAYS.length);
    for (const e of http) {
      expect(e.http?.status).toBe(201);
      expect(e.underlay).toEqual({ srcIp: NODES.a, dstIp: NODES.b, encapsulation: 'vxlan' });
    }
  });

  it('reports one flow per pod connection tshark sees, each with its underlay', () => {
    const streams = new Set(tshark('tcp', 'tcp.stream').map(([s]) => s));
    const flows = result.events.filter((e) => e.kind === 'flow' && e.transport === 'tcp');
    expect(flows).toHaveLength(streams.size);
    expect(flows.map((e) => e.src.ip).sort()).toEqual(OVERLAYS.map((o) => `${o.subnet}.1`));
    expect(flows.every((e) => e.underlay?.encapsulation === 'vxlan')).toBe(true);
  });
});
