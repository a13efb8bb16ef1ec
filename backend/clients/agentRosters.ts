// One AgentRoster per datasource instance, keyed by uid and rebuilt (the old one disposed) when the settings that
// shape it change, so discovery and placement outlive a query but never a settings version.
import type { DatasourceSettings } from '../datasource/types';
import { AgentRoster } from './agentRoster';

const rosters = new Map<string, { version: string; roster: AgentRoster }>();

export function rosterFor(settings: DatasourceSettings): AgentRoster {
  const version = JSON.stringify([settings.jsonData.agentUrls ?? [], settings.jsonData.agentConcurrency ?? null]);
  const held = rosters.get(settings.uid);
  if (held?.version === version) {
    return held.roster;
  }
  held?.roster.dispose();
  const roster = new AgentRoster(settings);
  rosters.set(settings.uid, { version, roster });
  return roster;
}
