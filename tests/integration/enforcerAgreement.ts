// For each flow a scenario made: what the enforcer did with it (its own -v=2 verdicts, and whether the SYN came out
// on the far side of the node in a capture there) beside what the agent said (a drop event and the policy it names,
// and `wiretrace-agent explain` on the API server's objects at that moment); the agreement is printed and asserted.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import type { EnforcerVerdict } from '../kube/enforcer';
import type { MiniCluster } from '../netns/miniCluster';

export interface ScenarioFlow {
  label: string;
  clientIp: string;
  srcPort?: number;
  serverIp: string;
  serverPort: number;
  startUs: number;
  endUs: number;
  // What the client saw: an HTTP status, or its error (ETIMEDOUT behind a drop).
  outcome: string;
  // `wiretrace-agent explain` on the API server's objects when the flow was made.
  explained: { allowed: boolean; policies: string[] };
}

export interface FlowJudgement {
  flow: ScenarioFlow;
  enforcer: 'accept' | 'drop' | 'none';
  delivered: boolean;
  agentDropped: boolean;
  agentPolicies: string[];
  agrees: boolean;
}

// The SYNs that reached the remote pods' bridge, i.e. that the node forwarded. Never promiscuous on a bridge: that
// makes the queued packets vanish on this kernel.
export class ForwardedSynCapture {
  private child?: ChildProcess;
  private readonly file: string;

  constructor(private readonly cluster: MiniCluster) {
    this.file = join(cluster.workDir, 'forwarded-syns.pcap');
  }

  async start(): Promise<void> {
    const child = this.cluster.spawnInNode('tcpdump', [
      '-p',
      '-i',
      'br1',
      '-U',
      // Each packet is handed over at once: a SYN still in the kernel's ring buffer when tcpdump stops is lost.
      '--immediate-mode',
      '-n',
      '-w',
      this.file,
      'tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0',
    ]);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    this.child = child;
    const deadline = Date.now() + 30_000;
    while (!stderr.includes('listening on')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`tcpdump on br1 did not start: ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Forwarded SYNs as `srcIp:srcPort>dstIp:dstPort` with their times (µs). */
  syns(): Array<{ key: string; src: string; dst: string; timeUs: number }> {
    const text = execFileSync('tcpdump', ['-r', this.file, '-nn', '-tt'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const out = [];
    for (const line of text.split('\n')) {
      const m = /^(\d+)\.(\d+) IP (\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(\d+):/.exec(line);
      if (m) {
        const timeUs = Number(m[1]) * 1e6 + Number(m[2].padEnd(6, '0').slice(0, 6));
        out.push({ key: `${m[3]}:${m[4]}>${m[5]}:${m[6]}`, src: m[3], dst: `${m[5]}:${m[6]}`, timeUs });
      }
    }
    return out;
  }

  /** Stops tcpdump and waits until it has closed the file. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGINT');
    await exited;
  }
}

export function judgeFlows(
  flows: ScenarioFlow[],
  verdicts: EnforcerVerdict[],
  syns: ReturnType<ForwardedSynCapture['syns']>,
  drops: NetworkEvent[]
): FlowJudgement[] {
  return flows.map((flow) => {
    const same = (ip: string, port: number | undefined, dstIp: string, dstPort: number) =>
      ip === flow.clientIp &&
      dstIp === flow.serverIp &&
      dstPort === flow.serverPort &&
      (flow.srcPort === undefined || port === undefined || port === flow.srcPort);
    const inWindow = (us: number) => us >= flow.startUs - 1_000_000 && us <= flow.endUs + 1_000_000;
    const mine = verdicts.filter((v) => same(v.srcIp, v.srcPort, v.dstIp, v.dstPort));
    const enforcer = mine.length === 0 ? 'none' : mine.some((v) => v.verdict === 'accept') ? 'accept' : 'drop';
    const delivered = syns.some(
      (s) =>
        s.key.startsWith(`${flow.clientIp}:${flow.srcPort ?? ''}`) &&
        s.dst === `${flow.serverIp}:${flow.serverPort}` &&
        inWindow(s.timeUs)
    );
    const drop = drops.find(
      (e) => e.kind === 'drop' && same(e.src.ip, e.src.port, e.dst.ip, e.dst.port ?? -1) && inWindow(e.time)
    );
    const agentPolicies = drop?.drop?.policy
      ? [...drop.drop.policy.ingress.policies, ...drop.drop.policy.egress.policies]
      : [];
    const enforcerDropped = enforcer === 'drop' && !delivered;
    const agrees =
      enforcer !== 'none' &&
      (enforcer === 'accept') === delivered &&
      Boolean(drop) === enforcerDropped &&
      flow.explained.allowed === !enforcerDropped &&
      (!enforcerDropped || agentPolicies.some((p) => flow.explained.policies.includes(p)));
    return { flow, enforcer, delivered, agentDropped: Boolean(drop), agentPolicies, agrees };
  });
}

export function agreementTable(judgements: FlowJudgement[]): string {
  const rows = judgements.map((j) =>
    [
      j.flow.label.padEnd(34),
      `${j.flow.clientIp}:${j.flow.srcPort ?? '?'} → ${j.flow.serverIp}:${j.flow.serverPort}`.padEnd(42),
      j.flow.outcome.padEnd(10),
      `enforcer ${j.enforcer}${j.delivered ? ', forwarded' : ', not forwarded'}`.padEnd(32),
      `agent ${j.agentDropped ? `drop (${j.agentPolicies.join(', ') || 'no policy'})` : 'no drop'}, explain ${j.flow.explained.allowed ? 'allowed' : `denied (${j.flow.explained.policies.join(', ')})`}`,
      j.agrees ? 'agree' : 'DISAGREE',
    ].join('  ')
  );
  const agreed = judgements.filter((j) => j.agrees).length;
  return [
    `enforcer vs agent, ${judgements.length} flows: ${agreed}/${judgements.length} agree`,
    ...rows.map((r) => `  ${r}`),
  ].join('\n');
}
