// The security-signal stage as the assembly adds it: the blocklist files (reloaded on change), the rules, the
// per-connection detector watching the pipeline, and its metrics.
import type { Registry, RegistryContentType } from 'prom-client';
import { ConfigError } from '../config';
import { BlocklistError, BlocklistFiles } from './blocklistFiles';
import { ConnectionSignals } from './connectionSignals';
import { signalConfigFrom, type SignalConfig } from './signalConfig';
import { SignalMetrics } from './signalMetrics';
import { SignalRules } from './signalRules';

export interface SecuritySignals {
  readonly config: SignalConfig;
  readonly watcher: ConnectionSignals;
  readonly blocklist?: BlocklistFiles;
  // Counts the signals the pipeline publishes; registered on the agent's registries when it has them.
  readonly metrics: SignalMetrics;
  start(): void;
  stop(): void;
}

// Undefined when the config asks for no signal; throws ConfigError (a bad key, range or unreadable blocklist).
export function securitySignalsFrom(
  raw: Record<string, unknown> | undefined,
  context: {
    origin?: string;
    source: string;
    node?: string;
    registries?: Array<Registry<RegistryContentType>>;
    log: (level: 'info' | 'error', message: string) => void;
  }
): SecuritySignals | undefined {
  const config = raw && signalConfigFrom(raw, context.origin);
  if (!config) {
    return undefined;
  }
  let blocklist: BlocklistFiles | undefined;
  try {
    blocklist = config.blocklists.length > 0 ? new BlocklistFiles(config.blocklists, context.log) : undefined;
  } catch (err) {
    if (err instanceof BlocklistError) {
      throw new ConfigError(`${context.origin ?? 'config'}: security.blocklists: ${err.message}`);
    }
    throw err;
  }
  const watcher = new ConnectionSignals(new SignalRules(config, blocklist), {
    source: context.source,
    node: context.node,
  });
  const metrics = new SignalMetrics(context.registries ?? [], blocklist?.stats);
  return {
    config,
    watcher,
    blocklist,
    metrics,
    start: () => blocklist?.start(config.blocklistReloadMs),
    stop: () => blocklist?.stop(),
  };
}
