// What the host specs know about the incident the setup ran (build/host/scenario.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkEvent } from '../../../model/events';

export const SCENARIO_FILE = join(__dirname, '..', '..', '..', 'build', 'host', 'scenario.json');

export interface ScenarioPodInfo {
  namespace: string;
  name: string;
  app: string;
  ip: string;
}

export interface HostScenario {
  // The host's address: the Go front with the backend executable behind it.
  url: string;
  startedMs: number;
  // The denied frontend → payments connection as the agent reported it, and its id in the app's URLs.
  drop: NetworkEvent;
  dropId: string;
  // The checkout whose payment call timed out behind the drop, and a checkout that went through.
  failedTraceId: string;
  failedSpanId: string;
  okTraceId: string;
  frontend: ScenarioPodInfo;
  payments: ScenarioPodInfo;
  catalog: ScenarioPodInfo;
}

export function hostScenario(): HostScenario {
  return JSON.parse(readFileSync(SCENARIO_FILE, 'utf8')) as HostScenario;
}
