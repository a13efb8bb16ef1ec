// One frame notice for the agents a fan-out missed, naming their nodes, and saying what fills the gap.
import type { Notice } from '../frames/frame';
import type { AgentFailure } from './agentFanOut';

// Beyond this many the notice counts the rest: hundreds of names help nobody read a panel.
const NAMED = 25;

export function missingAgentsNotice(
  failures: readonly AgentFailure[],
  asked: number,
  lokiAnswered: boolean
): Notice | undefined {
  if (failures.length === 0) {
    return undefined;
  }
  const named = failures.slice(0, NAMED).map(describe);
  const more = failures.length > NAMED ? `; and ${failures.length - NAMED} more` : '';
  const gap = lokiAnswered
    ? 'their nodes’ events come only from what Loki holds'
    : 'their nodes’ recent events are missing (configure Loki for the durable history)';
  return {
    severity: 'warning',
    text: `Partial results: ${failures.length} of ${asked} capture agents did not answer, ${gap}: ${named.join('; ')}${more}`,
  };
}

function describe(f: AgentFailure): string {
  return f.node ? `node ${f.node} (${f.agent}): ${f.message}` : `${f.agent}: ${f.message}`;
}
