// The `hubble:` section of the agent config → a running Hubble source (Relay stream, or a flow JSON file).
import { readFileSync } from 'node:fs';
import type { NetworkEvent } from '../../../model/events';
import { ConfigError, FieldReader } from '../../config';
import { readHubbleJsonFile } from './jsonLines';
import type { FlowFilterJson } from './observerRequest';
import { type HubbleObserverOptions, HubbleObserverSource } from './observerSource';

export interface HubbleSourceConfig {
  // host:port of Hubble Relay; or `file` for a Hubble exporter / `hubble observe -o json` file.
  address?: string;
  file?: string;
  follow: boolean;
  since?: string;
  until?: string;
  number?: number;
  whitelist?: FlowFilterJson[];
  blacklist?: FlowFilterJson[];
  tlsCaFile?: string;
}

function filters(raw: Record<string, unknown>, key: string, origin: string): FlowFilterJson[] | undefined {
  const v = raw[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!Array.isArray(v) || v.some((f) => typeof f !== 'object' || f === null || Array.isArray(f))) {
    throw new ConfigError(`${origin}: hubble.${key} must be a list of FlowFilter mappings`);
  }
  return v as FlowFilterJson[];
}

export function hubbleConfigFrom(raw: Record<string, unknown>, origin = 'config'): HubbleSourceConfig {
  const read = new FieldReader(origin);
  read.onlyKeys(raw, 'hubble', [
    'address',
    'file',
    'follow',
    'since',
    'until',
    'number',
    'whitelist',
    'blacklist',
    'tlsCaFile',
  ]);
  const config: HubbleSourceConfig = {
    address: read.string(raw, 'hubble.address'),
    file: read.string(raw, 'hubble.file'),
    follow: read.boolean(raw, 'hubble.follow') ?? true,
    since: read.string(raw, 'hubble.since'),
    until: read.string(raw, 'hubble.until'),
    number: read.integer(raw, 'hubble.number', 0, Number.MAX_SAFE_INTEGER),
    whitelist: filters(raw, 'whitelist', origin),
    blacklist: filters(raw, 'blacklist', origin),
    tlsCaFile: read.string(raw, 'hubble.tlsCaFile'),
  };
  if (!config.address === !config.file) {
    throw new ConfigError(`${origin}: hubble needs exactly one of address (Hubble Relay host:port) or file`);
  }
  return config;
}

export interface RunningEventSource {
  readonly name: string;
  stop(): Promise<void>;
}

/** Starts the configured Hubble input; stream errors in follow mode are logged and retried, never fatal. */
export function startHubbleSource(
  config: HubbleSourceConfig,
  node: string,
  onEvent: (event: NetworkEvent) => void,
  log: (level: 'info' | 'error', message: string) => void
): RunningEventSource {
  if (config.file) {
    const done = readHubbleJsonFile(config.file, onEvent, { node }).then(
      (c) =>
        log('info', `hubble: read ${c.flows} flows from ${config.file} (${c.events} events, ${c.malformed} malformed)`),
      (err: Error) => log('error', err.message)
    );
    return { name: 'hubble', stop: () => done };
  }
  const options: HubbleObserverOptions = {
    address: config.address!,
    follow: config.follow,
    since: config.since,
    until: config.until,
    number: config.number,
    whitelist: config.whitelist,
    blacklist: config.blacklist,
    node,
  };
  if (config.tlsCaFile) {
    options.tlsCa = readFileSync(config.tlsCaFile);
  }
  const source = new HubbleObserverSource(options, onEvent);
  const running = source.run().catch((err: Error) => log('error', err.message));
  log('info', `hubble: streaming flows from ${config.address}${config.follow ? ' (follow)' : ''}`);
  return {
    name: 'hubble',
    stop: async () => {
      source.stop();
      await running;
    },
  };
}
