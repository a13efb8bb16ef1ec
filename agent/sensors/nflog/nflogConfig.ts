// The `nflog:` section of the agent config → a running NFLOG source (its frames go to the agent's frame path).
import { ConfigError, FieldReader } from '../../config';
import type { FrameSink } from '../captureFrame';
import type { RunningEventSource } from '../hubble/hubbleConfig';
import { NflogPrefixPattern } from './nflogPrefix';
import { NflogSource, type NflogSourceOptions } from './nflogSource';

// The group to listen on, and how its logged packets become drops (prefix → policy, node, folding).
export interface NflogConfig extends NflogSourceOptions {
  prefixPattern?: string | string[];
  node: string;
  coalesceMs?: number;
}

export function nflogConfigFrom(raw: Record<string, unknown>, node: string, origin = 'config'): NflogConfig {
  const read = new FieldReader(origin);
  read.onlyKeys(raw, 'nflog', ['group', 'prefixPattern', 'coalesceMs']);
  const group = read.integer(raw, 'nflog.group', 0, 65535);
  if (group === undefined) {
    throw new ConfigError(`${origin}: nflog.group is required (the --nflog-group of the logging rules)`);
  }
  const pattern = raw.prefixPattern;
  if (
    pattern !== undefined &&
    typeof pattern !== 'string' &&
    !(Array.isArray(pattern) && pattern.every((p) => typeof p === 'string'))
  ) {
    throw new ConfigError(`${origin}: nflog.prefixPattern must be a regular expression string or a list of them`);
  }
  const prefixPattern = pattern as string | string[] | undefined;
  try {
    // Fail at startup, naming the key, rather than when the first packet arrives.
    new NflogPrefixPattern(prefixPattern);
  } catch (err) {
    throw new ConfigError(`${origin}: ${(err as Error).message}`);
  }
  const coalesceMs = read.integer(raw, 'nflog.coalesceMs', 0, 600_000);
  return coalesceMs === undefined ? { group, prefixPattern, node } : { group, prefixPattern, node, coalesceMs };
}

export async function startNflogSource(
  options: NflogSourceOptions,
  onFrame: FrameSink,
  log: (level: 'info' | 'error', message: string) => void
): Promise<RunningEventSource> {
  const source = new NflogSource(options, onFrame);
  await source.start();
  log('info', `nflog: listening on group ${options.group}`);
  return {
    name: 'nflog',
    stop: async () => {
      await source.stop();
      if (source.lastError) {
        log('error', source.lastError);
      }
    },
  };
}
