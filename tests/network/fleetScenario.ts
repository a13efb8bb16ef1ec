// The fleet the scale test and the fan-out benchmark share: agents on loopback addresses of their own, one in ten
// slow or down, started behind one DNS name — the shape of a headless Service over a large cluster.
import { AgentFleet, type AgentHealth, type FleetAgentSpec } from './agentFleet';
import { fleetEvents, nodeName } from './fleetEvents';
import { ServiceDns } from './serviceDns';

export const FLEET_SERVICE = 'wiretrace-agent.scale.test';
// Events span this long before the end time.
const WINDOW_US = 5 * 60_000_000;

// One in twenty slow, one in twenty down.
export function fleetHealth(i: number): AgentHealth {
  return i % 20 === 9 ? 'slow' : i % 20 === 19 ? 'down' : 'healthy';
}

// `octet` is a second address octet of the caller's own, so concurrent runs on one machine rarely meet.
export function fleetSpecs(octet: number, agents: number, eventsPerAgent: number, endUs: number): FleetAgentSpec[] {
  return Array.from({ length: agents }, (_, i) => ({
    address: `127.${octet}.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
    node: nodeName(i),
    health: fleetHealth(i),
    events: fleetEvents(i, eventsPerAgent, endUs, WINDOW_US),
  }));
}

export interface FleetService {
  fleet: AgentFleet;
  dns: ServiceDns;
  // The one agent URL a datasource is given.
  agentUrl: string;
  stop(): Promise<void>;
}

export async function startFleetService(specs: FleetAgentSpec[], octet: number, slowMs: number): Promise<FleetService> {
  const fleet = new AgentFleet(slowMs);
  try {
    await fleet.start(specs);
    const dns = await ServiceDns.start(`127.${octet}.53.1`, { [FLEET_SERVICE]: specs.map((s) => s.address) }, 5);
    return {
      fleet,
      dns,
      agentUrl: `http://${FLEET_SERVICE}:${fleet.port}`,
      stop: async () => {
        await dns.stop();
        await fleet.stop();
      },
    };
  } catch (err) {
    await fleet.stop();
    throw err;
  }
}
