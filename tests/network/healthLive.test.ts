// /healthz of `run` tells the truth about capture: ok while packets flow, 503 naming the interface once an interface
// that had traffic has been silent past capture.stallAfterMs, and 503 once its tcpdump is gone.
import { execFileSync } from 'node:child_process';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS } from '../netns/miniCluster';
import { agentBuilt } from './agentProcess';
import { LoopbackNamespace } from './loopbackNamespace';

const skipReason = netnsSkipReason(['tcpdump']) ?? (agentBuilt() ? null : 'build the agent first');
const describeNetwork = skipReason ? describe.skip : describe;

const API_PORT = 9477;
const API = `http://127.0.0.1:${API_PORT}`;
const STALL_MS = 3000;

describeNetwork('run: /healthz follows capture', () => {
  let lo: LoopbackNamespace;
  let agent: Awaited<ReturnType<LoopbackNamespace['startAgent']>>;

  async function health(): Promise<{ status: number; body: { status: string; reason?: string } }> {
    const r = await lo.get(`${API}/healthz`);
    return { status: r.status, body: JSON.parse(r.body) as { status: string; reason?: string } };
  }

  // Asks until the answer has the wanted status; the deadline only bounds a failing run.
  async function healthUntil(status: number): Promise<Awaited<ReturnType<typeof health>>> {
    const deadline = Date.now() + 60_000;
    let h = await health();
    while (h.status !== status && agent.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      h = await health();
    }
    return h;
  }

  async function sendUdp(count: number): Promise<void> {
    const script = `const s = (await import('node:dgram')).createSocket('udp4'); for (let i = 0; i < ${count}; i++) await new Promise((r) => s.send('tick', 9, '127.0.0.1', r)); s.close();`;
    await lo.run(NODE_JS, ['--input-type=module', '-e', script]);
  }

  // Traffic and health checks interleaved until ok: on a busy machine a single burst may already count as quiet.
  async function okWhileSending(): Promise<Awaited<ReturnType<typeof health>>> {
    const deadline = Date.now() + 60_000;
    await sendUdp(3);
    let h = await health();
    while (h.status !== 200 && agent.exitCode === null && Date.now() < deadline) {
      await sendUdp(3);
      h = await health();
    }
    return h;
  }

  beforeAll(async () => {
    lo = LoopbackNamespace.create('health');
    agent = await lo.startAgent(API_PORT, [
      `capture: { interfaces: [lo], filter: "udp port 9", stallAfterMs: ${STALL_MS} }`,
    ]);
  });

  afterAll(async () => {
    await lo?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it('is ok while packets arrive and 503 once an interface with traffic goes quiet', async () => {
    const ok = await okWhileSending();
    expect(ok.body.status).toBe('ok');
    const quiet = await healthUntil(503);
    expect(quiet).toMatchObject({ status: 503, body: { status: 'unhealthy' } });
    expect(quiet.body.reason).toMatch(/no packet on lo for \d+ s/);
    expect((await okWhileSending()).status).toBe(200);
  });

  it('is 503 once the capture process is gone', async () => {
    const tcpdump = execFileSync('pgrep', ['-P', String(agent.pid), 'tcpdump'], { encoding: 'utf8' }).trim();
    expect(tcpdump).toMatch(/^\d+$/);
    process.kill(Number(tcpdump), 'SIGKILL');
    const stopped = await healthUntil(503);
    expect(stopped.status).toBe(503);
    expect(stopped.body.reason).toMatch(/tcpdump on lo exited/);
    expect(agent.output()).toMatch(/tcpdump on lo exited/);
  });
});
