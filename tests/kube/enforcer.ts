// kube-network-policies (the SIG-Network reference NetworkPolicy enforcer), unmodified, for the harness node: it
// reads pods and policies from the real API server with in-cluster credentials and decides every new connection the
// node forwards, from an nfqueue.
//
// This kernel has no nftables `queue` expression, so the enforcer's own ruleset is rejected as a whole ("syncing
// nftables rules" in its log) and, alone, it would enforce nothing while running on. The harness adds the one rule
// that ruleset would have added, in iptables: new forwarded connections go to queue 100, whose verdicts are the
// enforcer's. Should the enforcer's own ruleset ever get through, packets would be queued twice and the verdicts
// no longer be its alone: the harness refuses to go on and says so.
import { type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh, spawnIn } from '../netns/shell';
import { API_SERVER_PORT } from './apiServer';

const QUEUE = 100;
const QUEUE_RULE = ['FORWARD', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'NFQUEUE', '--queue-num', String(QUEUE)];
const SA_DIR = '/run/secrets/kubernetes.io/serviceaccount';
// Its own ruleset's failure on this kernel, as it logs it.
export const NFTABLES_FAILURE = 'syncing nftables rules';
const START_TIMEOUT_MS = 120_000;

/** One packet the enforcer decided, from its -v=2 lines ("Evaluating packet" joined to "Finished syncing packet"). */
export interface EnforcerVerdict {
  id: number;
  srcPod: string;
  dstPod: string;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  verdict: 'accept' | 'drop' | 'unknown';
}

export interface EnforcerOptions {
  binary: string;
  nodeNs: string;
  workDir: string;
  // The node name the pods' spec.nodeName carries.
  nodeName: string;
  token: string;
  caPem: string;
  metricsPort: number;
}

export class NetworkPolicyEnforcer {
  private child?: ChildProcess;
  private readonly logFile: string;

  private constructor(private readonly options: EnforcerOptions) {
    this.logFile = join(options.workDir, 'kube-network-policies.log');
  }

  static async start(options: EnforcerOptions): Promise<NetworkPolicyEnforcer> {
    const enforcer = new NetworkPolicyEnforcer(options);
    try {
      await enforcer.run();
    } catch (err) {
      await enforcer.stop();
      throw err;
    }
    return enforcer;
  }

  get log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Every packet it has decided so far. */
  verdicts(): EnforcerVerdict[] {
    const evaluated = new Map<number, Omit<EnforcerVerdict, 'verdict'>>();
    const out: EnforcerVerdict[] = [];
    for (const record of logRecords(this.log)) {
      if (record.includes('"Evaluating packet"')) {
        const parsed = parseEvaluation(record);
        if (parsed) {
          evaluated.set(parsed.id, parsed);
        }
      } else if (record.includes('"Finished syncing packet"')) {
        const id = Number(/\bid=(\d+)/.exec(record)?.[1]);
        const verdict = /\bverdict="?(\w+)"?/.exec(record)?.[1] as EnforcerVerdict['verdict'] | undefined;
        const packet = evaluated.get(id);
        if (packet && verdict) {
          out.push({ ...packet, verdict });
        }
      }
    }
    return out;
  }

  /** The verdicts on connections to dstIp:dstPort from srcIp (SYNs and their retries). */
  verdictsFor(srcIp: string, dstIp: string, dstPort: number): EnforcerVerdict[] {
    return this.verdicts().filter((v) => v.srcIp === srcIp && v.dstIp === dstIp && v.dstPort === dstPort);
  }

  /** What to read when its verdicts are not the expected ones: the queue rule's counters and its log's end. */
  diagnostics(): string {
    let rules: string;
    try {
      rules = sh('ip', ['netns', 'exec', this.options.nodeNs, 'iptables', '-L', 'FORWARD', '-v', '-n']);
    } catch (err) {
      rules = `iptables -L FORWARD failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    return `${rules}\n--- kube-network-policies log (end) ---\n${tail(this.log)}`;
  }

  /** SIGINT is its stop signal (it ignores SIGTERM); it removes what it set up and exits within seconds. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    try {
      sh('ip', ['netns', 'exec', this.options.nodeNs, 'iptables', '-D', ...QUEUE_RULE]);
    } catch {
      // The node namespace may already be gone.
    }
  }

  private async run(): Promise<void> {
    const { binary, nodeNs, workDir, nodeName, token, caPem, metricsPort } = this.options;
    const secrets = join(workDir, 'enforcer-serviceaccount');
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, 'token'), token, { mode: 0o600 });
    writeFileSync(join(secrets, 'ca.crt'), caPem);
    // It reads only in-cluster configuration: a private mount namespace with a tmpfs on /run holds the service
    // account's files where a pod would have them, and nothing of the host's /run is touched.
    const script = [
      'set -e',
      'mount -t tmpfs tmpfs /run',
      `mkdir -p ${SA_DIR}`,
      `cp "$1/token" "$1/ca.crt" ${SA_DIR}/`,
      'shift',
      'exec "$@"',
    ].join('\n');
    const child = spawnIn(
      nodeNs,
      'unshare',
      [
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        script,
        'sh',
        secrets,
        binary,
        `--hostname-override=${nodeName}`,
        `--metrics-bind-address=127.0.0.1:${metricsPort}`,
        `--nfqueue-id=${QUEUE}`,
        '--disable-nri',
        '-v=2',
      ],
      { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(API_SERVER_PORT) }
    );
    this.child = child;
    const log = createWriteStream(this.logFile, { flags: 'a' });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.once('close', () => log.end());

    const deadline = Date.now() + START_TIMEOUT_MS;
    // Started once its informers have synced and it has tried its ruleset (and, on this kernel, failed).
    while (!(this.log.includes('Caches are synced') && this.log.includes(NFTABLES_FAILURE))) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`kube-network-policies exited (${child.exitCode ?? child.signalCode}):\n${tail(this.log)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          this.log.includes('Caches are synced')
            ? `kube-network-policies synced but never logged "${NFTABLES_FAILURE}": its own nftables ruleset ` +
                `may have been accepted on this kernel, and the harness's NFQUEUE rule would then queue packets a ` +
                `second time. Revisit tests/kube/enforcer.ts before trusting its verdicts.\n${tail(this.log)}`
            : `kube-network-policies did not sync its informers within ${START_TIMEOUT_MS / 1000}s:\n${tail(this.log)}`
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    sh('ip', ['netns', 'exec', nodeNs, 'iptables', '-A', ...QUEUE_RULE]);
  }
}

// klog's text format: a value with a line break is written as `key=<`, its lines indented, then ` >`; such a record
// is joined back into one string.
function logRecords(log: string): string[] {
  const records: string[] = [];
  for (const line of log.split('\n')) {
    if (/^[\t ]/.test(line) && records.length > 0) {
      records[records.length - 1] += `\n${line}`;
    } else {
      records.push(line);
    }
  }
  return records;
}

// `"Evaluating packet" srcPod="ns/name" dstPod="ns/name" packet=<\n\t[5] 10.244.1.10:50686 10.244.2.20:8443 TCP\n >`
// (a pod outside the cluster is logged as an empty name).
function parseEvaluation(record: string): Omit<EnforcerVerdict, 'verdict'> | undefined {
  const srcPod = /\bsrcPod="([^"]*)"/.exec(record)?.[1] || 'none';
  const dstPod = /\bdstPod="([^"]*)"/.exec(record)?.[1] || 'none';
  const packet = /\[(\d+)\]\s+(\S+):(\d+)\s+(\S+):(\d+)\s+(\w+)/.exec(record);
  if (!packet) {
    return undefined;
  }
  const [, id, srcIp, srcPort, dstIp, dstPort] = packet;
  return { id: Number(id), srcPod, dstPod, srcIp, srcPort: Number(srcPort), dstIp, dstPort: Number(dstPort) };
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Its ServiceAccount and read rights (what its own install manifest grants: pods, namespaces, policies). */
export function enforcerRbac(): Array<
  { apiVersion: string; kind: string; metadata: object } & Record<string, unknown>
> {
  const name = 'kube-network-policies';
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'kube-system' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: 'kube-system' }],
    },
  ];
}
