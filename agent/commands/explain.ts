// `explain`: why a connection is allowed or denied by the NetworkPolicies of a cluster file.
import { parseArgs } from 'node:util';
import type { PolicyExplanation, PolicySuggestion } from '../../model/events';
import { ClusterFileError, loadClusterFile } from '../kube/clusterFile';
import { explainConnection, PolicyInputError, suggestPolicyFix } from '../policy';
import type { AgentCommand } from './command';

const SYNOPSIS =
  'explain --cluster FILE --from NS/POD|IP --to NS/POD|IP --port PORT[/PROTO] [--suggest] [--format json|text]';

const HELP = `Usage: wiretrace-agent ${SYNOPSIS}

  --cluster FILE   output of: kubectl get pods,services,endpointslices,namespaces,nodes,networkpolicies -A -o yaml
  --from, --to     a pod as NAMESPACE/NAME, or an IP address
  --port           destination port, optionally with protocol: 8443, 53/UDP, 3868/SCTP (TCP by default)
  --suggest        for a denied connection, the smallest NetworkPolicy change that allows it (field suggestions:
                   full manifests, each with a one-line description), confirmed by explaining again with it applied
  --format         json (default) or text
`;

class UsageError extends Error {}

export function parsePortSpec(spec: string): { port: number; protocol: string } {
  const match = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(spec.trim());
  const port = match ? Number(match[1]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new UsageError(`--port "${spec}" is not PORT or PORT/PROTO with a port from 1 to 65535 (e.g. 8443, 53/UDP)`);
  }
  return { port, protocol: (match[2] ?? 'TCP').toUpperCase() };
}

function verdictWord(allowed: boolean | null): string {
  return allowed === null ? 'not applicable' : allowed ? 'allowed' : 'denied';
}

export function formatExplanationText(
  from: string,
  to: string,
  port: number,
  protocol: string,
  e: PolicyExplanation
): string {
  const lines = [`${from} -> ${to} ${port}/${protocol}: ${e.allowed ? 'ALLOWED' : 'DENIED'}`];
  for (const [direction, verdict] of [
    ['egress ', e.egress],
    ['ingress', e.ingress],
  ] as const) {
    lines.push(`  ${direction} ${verdictWord(verdict.allowed)}: ${verdict.reason}`);
    if (verdict.policies.length > 0) {
      lines.push(`          policies: ${verdict.policies.join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatSuggestionsText(allowed: boolean, suggestions: PolicySuggestion[]): string {
  if (suggestions.length === 0) {
    return allowed ? 'suggested fix: none needed\n' : 'suggested fix: no narrow change allows this connection\n';
  }
  return suggestions.map((s) => `suggested fix (${s.direction}): ${s.description}\n---\n${s.yaml}`).join('');
}

export const explainCommand: AgentCommand = {
  synopsis: SYNOPSIS,
  summary: 'explain the NetworkPolicy verdict of one connection from a cluster file',
  async run(argv) {
    try {
      const { values } = parseArgs({
        args: argv,
        options: {
          cluster: { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
          port: { type: 'string' },
          format: { type: 'string', default: 'json' },
          suggest: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h' },
        },
      });
      if (values.help) {
        process.stdout.write(HELP);
        return 0;
      }
      for (const required of ['cluster', 'from', 'to', 'port'] as const) {
        if (!values[required]) {
          throw new UsageError(`--${required} is required`);
        }
      }
      if (values.format !== 'json' && values.format !== 'text') {
        throw new UsageError(`--format must be json or text, not "${values.format}"`);
      }
      const { port, protocol } = parsePortSpec(values.port!);
      const { snapshot } = loadClusterFile(values.cluster!);
      const explanation = explainConnection(snapshot, values.from!, values.to!, port, protocol);
      const { allowed, egress, ingress } = explanation;
      const suggestions = values.suggest
        ? suggestPolicyFix(snapshot, values.from!, values.to!, port, protocol).suggestions
        : undefined;
      process.stdout.write(
        values.format === 'json'
          ? `${JSON.stringify({ allowed, egress, ingress, ...(suggestions ? { suggestions } : {}) })}\n`
          : formatExplanationText(values.from!, values.to!, port, protocol, explanation) +
              (suggestions ? formatSuggestionsText(allowed, suggestions) : '')
      );
      return 0;
    } catch (err) {
      if (
        err instanceof UsageError ||
        err instanceof ClusterFileError ||
        err instanceof PolicyInputError ||
        isArgError(err)
      ) {
        process.stderr.write(`wiretrace-agent explain: ${(err as Error).message}\n`);
        return 2;
      }
      throw err;
    }
  },
};

// node:util parseArgs reports unknown or malformed options with these codes.
function isArgError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
