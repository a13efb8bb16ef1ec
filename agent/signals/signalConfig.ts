// The `security` section of the agent config: suspicious ports, alerts on connections leaving the cluster's
// ranges, and blocklist files. Checked before the agent starts; every mistake names its key.
import { ConfigError, FieldReader } from '../config';
import { type Cidr, parseCidr } from './cidr';

export interface SignalConfig {
  // Server ports a connection to is suspicious (reverse shells, IRC, miners…).
  suspiciousPorts: number[];
  // When set: connections from inside these ranges (pods, services, nodes) to an address outside all of them.
  clusterRanges?: Cidr[];
  blocklists: string[];
  blocklistReloadMs: number;
}

const KNOWN = ['suspiciousPorts', 'externalConnections', 'clusterRanges', 'blocklists', 'blocklistReloadMs'];

export function signalConfigFrom(raw: Record<string, unknown>, origin = 'config'): SignalConfig | undefined {
  const read = new FieldReader(origin);
  read.onlyKeys(raw, 'security', KNOWN);
  const ports = raw.suspiciousPorts;
  if (ports !== undefined && (!Array.isArray(ports) || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))) {
    throw new ConfigError(`${origin}: security.suspiciousPorts must be a list of port numbers (1–65535)`);
  }
  const external = read.boolean(raw, 'security.externalConnections') ?? false;
  const rangeTexts = read.stringList(raw, 'security.clusterRanges') ?? [];
  const clusterRanges = rangeTexts.map((text) => {
    const cidr = parseCidr(text.trim());
    if (typeof cidr === 'string') {
      throw new ConfigError(`${origin}: security.clusterRanges: ${cidr}`);
    }
    return cidr;
  });
  if (external && clusterRanges.length === 0) {
    throw new ConfigError(
      `${origin}: security.externalConnections needs security.clusterRanges (the pod, service and node CIDRs)`
    );
  }
  const config: SignalConfig = {
    suspiciousPorts: [...new Set((ports as number[] | undefined) ?? [])],
    clusterRanges: external ? clusterRanges : undefined,
    blocklists: read.stringList(raw, 'security.blocklists') ?? [],
    blocklistReloadMs: read.integer(raw, 'security.blocklistReloadMs', 100, 86_400_000) ?? 10_000,
  };
  const anything = config.suspiciousPorts.length > 0 || config.clusterRanges || config.blocklists.length > 0;
  return anything ? config : undefined;
}
