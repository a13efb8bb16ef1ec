// The bounded, routed fan-out to the agents of one instance: discovered agents (a Service expands to its pods),
// narrowed to the nodes hosting the queried pod or namespace, at most agentConcurrency requests at once, and the
// whole of it over within the agent timeout: an agent that has not answered by then is named, never waited for, and
// rests a while (named without being asked) so the next queries do not wait for it either.
import { HOSTED_PODS_PATH, type HostedPodsPage } from '../../model/hostedPods';
import { QueryError, type DatasourceSettings } from '../datasource/types';
import { UpstreamClient } from './http';
import { agentTimeoutMs, type AgentRoster } from './agentRoster';
import type { PodRoute } from './podPlacement';

const PLACEMENT_SHARE = 0.5;

export interface AgentFailure {
  agent: string;
  // The node the agent last said it runs on, when it ever answered.
  node?: string;
  message: string;
  status: number;
}

export interface AgentAnswer<T> {
  agent: string;
  value: T;
}

export interface AgentFanOut<T> {
  answers: Array<AgentAnswer<T>>;
  failures: AgentFailure[];
  // Agents discovered, and how many this fan-out tried (fewer when routed by pod or namespace; a configured URL
  // that did not resolve counts as one).
  discovered: number;
  asked: number;
}

export interface FanOutOptions {
  signal?: AbortSignal;
  route?: PodRoute;
}

export type AgentCall<T> = (client: UpstreamClient, signal: AbortSignal) => Promise<T>;

export async function fanOutToAgents<T>(
  roster: AgentRoster,
  settings: DatasourceSettings,
  call: AgentCall<T>,
  options: FanOutOptions = {}
): Promise<AgentFanOut<T>> {
  const timeoutMs = agentTimeoutMs(settings);
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const found = await roster.discovery.agents();
  const urls = found.agents.map((a) => a.url);
  roster.retain(urls);
  const clientOf = (url: string) =>
    new UpstreamClient({
      name: `agent ${url}`,
      baseUrl: url,
      credentials: settings.secure.agentToken
        ? { kind: 'bearer', token: settings.secure.agentToken }
        : { kind: 'none' },
      timeoutMs,
      limiter: roster.limiter,
    });
  const awake = urls.filter((url) => roster.restingFor(url) === undefined);
  let targets = urls;
  if (options.route?.pod || options.route?.namespace) {
    // Placement gets half the time: a hung agent must not use up the deadline the events requests share.
    const placementSignal = AbortSignal.any([signal, AbortSignal.timeout(Math.ceil(timeoutMs * PLACEMENT_SHARE))]);
    await refreshPlacement(roster, roster.placement.stale(awake), clientOf, placementSignal);
    targets = roster.placement.route(urls, options.route);
  }
  const out: AgentFanOut<T> = {
    answers: [],
    failures: [],
    discovered: urls.length,
    asked: targets.length + found.problems.length,
  };
  for (const problem of found.problems) {
    out.failures.push({ agent: problem.configuredUrl, message: problem.message, status: 502 });
  }
  const asking: string[] = [];
  for (const agent of targets) {
    const restMs = roster.restingFor(agent);
    if (restMs === undefined) {
      asking.push(agent);
    } else {
      out.failures.push(
        failure(roster, agent, `did not answer in time lately; asked again in ${Math.ceil(restMs / 1000)} s`, 504)
      );
    }
  }
  // Whether the deadline had passed is read when each request ends: an agent that refused at once was not cut.
  const settled = await Promise.all(
    asking.map((url) =>
      call(clientOf(url), signal).then(
        (value) => ({ ok: true as const, value }),
        (reason: unknown) => ({ ok: false as const, reason, cut: deadline.aborted && !options.signal?.aborted })
      )
    )
  );
  settled.forEach((result, i) => {
    const agent = asking[i];
    if (result.ok) {
      out.answers.push({ agent, value: result.value });
      return;
    }
    const err = result.reason;
    if (result.cut && !(err instanceof QueryError)) {
      // Still queued for a request slot when time ran out: the agent was never asked, so it is not rested.
      const slots = `all ${roster.limiter.limit} agent request slots (agentConcurrency) were busy`;
      out.failures.push(failure(roster, agent, `not asked within ${timeoutMs} ms: ${slots}`, 504));
    } else if (result.cut) {
      roster.rest(agent);
      out.failures.push(failure(roster, agent, `did not answer within ${timeoutMs} ms`, 504));
    } else {
      const message = err instanceof Error ? err.message : String(err);
      out.failures.push(failure(roster, agent, message, err instanceof QueryError ? err.status : 502));
    }
  });
  return out;
}

function failure(roster: AgentRoster, agent: string, message: string, status: number): AgentFailure {
  const node = roster.nodeOf(agent);
  return { agent, ...(node ? { node } : {}), message, status };
}

// Asks the agents whose placement is old where their pods are; one that cannot say is asked about every pod.
async function refreshPlacement(
  roster: AgentRoster,
  urls: string[],
  clientOf: (url: string) => UpstreamClient,
  signal: AbortSignal
): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      try {
        const page = await clientOf(url).getJson<HostedPodsPage>(HOSTED_PODS_PATH, { signal });
        if (page && typeof page === 'object' && Array.isArray(page.pods)) {
          roster.rememberNode(url, page.node);
          roster.placement.record(url, page);
          return;
        }
      } catch (err) {
        // Its events request will fail the same way and name it; routing just cannot leave it out. An agent that did
        // not answer (yet) stays unplaced, to be asked again next query, rather than being held as unknown.
        const answered = err instanceof QueryError && err.status < 500 && err.status !== 499;
        if (!answered) {
          return;
        }
      }
      roster.placement.recordUnknown(url);
    })
  );
}
