// What the agent reads: live interfaces (tcpdump) or one capture file, and for a live agent the Hubble and NFLOG
// sources its config names. Every section is checked here, before anything starts, so a misspelt key is a usage
// error rather than a half-started agent.
import { type AgentConfig, type CaptureConfig, ConfigError } from '../config';
import type { NflogDropsOptions } from '../decode/nflog/nflogDrops';
import { NflogPrefixPattern } from '../sensors/nflog/nflogPrefix';
import { hubbleConfigFrom, type HubbleSourceConfig } from '../sensors/hubble/hubbleConfig';
import { nflogConfigFrom, type NflogConfig } from '../sensors/nflog/nflogConfig';

export type AgentInput =
  // `run`: the interfaces of config.capture, plus the Hubble and NFLOG sources of config.sources, until stopped.
  | { kind: 'live'; origin?: string }
  // `analyze`: one capture file to its end (its NFLOG frames read as logged drops); clusterFile overrides the config's.
  | { kind: 'file'; path: string; clusterFile?: string; origin?: string };

export interface AgentSources {
  // Live interfaces, or the capture file's path.
  packets: { kind: 'live'; capture: CaptureConfig } | { kind: 'file'; path: string };
  hubble?: HubbleSourceConfig;
  nflog?: NflogConfig;
  // How NFLOG frames, from the live group or met in the file, become drops; a live agent without an NFLOG source
  // counts such frames as an unsupported link type.
  nflogDrops?: NflogDropsOptions;
}

export function sourcesFor(config: AgentConfig, input: AgentInput): AgentSources {
  const origin = input.origin ?? 'config';
  if (input.kind === 'file') {
    // A file's NFLOG frames read as the live source reads them, by the configured prefix pattern; no group to check.
    const prefixPattern = config.sources.nflog?.prefixPattern as string | string[] | undefined;
    try {
      new NflogPrefixPattern(prefixPattern);
    } catch (err) {
      throw new ConfigError(`${origin}: ${(err as Error).message}`);
    }
    return { packets: { kind: 'file', path: input.path }, nflogDrops: { prefixPattern } };
  }
  const hubble = config.sources.hubble ? hubbleConfigFrom(config.sources.hubble, origin) : undefined;
  const nflog = config.sources.nflog ? nflogConfigFrom(config.sources.nflog, config.node, origin) : undefined;
  return {
    packets: { kind: 'live', capture: config.capture },
    hubble,
    nflog,
    nflogDrops: nflog && { prefixPattern: nflog.prefixPattern, node: nflog.node, coalesceMs: nflog.coalesceMs },
  };
}
